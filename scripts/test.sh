#!/usr/bin/env bash
# Runs every test project of SynoCertPanel and ends with one line "N passed, N failed, N skipped"
# counted from the TRX results. Installs the external verifiers the tests use when they are missing.
set -uo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v certutil >/dev/null 2>&1 || need_apt+=(libnss3-tools)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
# The browser tests drive Debian's Chromium through Playwright (browsers are never downloaded).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
# /metrics is checked by promtool and scraped by a real Prometheus (tests/SynoCertPanel.Web.Tests/Metrics).
[ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ] || need_apt+=(prometheus)
# SSH delivery is tested against a real sshd and nginx started by the tests (tests/SynoCertPanel.Core.Tests/Boxes/Ssh).
[ -x /usr/sbin/sshd ] && command -v ssh-keygen >/dev/null 2>&1 || need_apt+=(openssh-server openssh-client)
[ -x /usr/sbin/nginx ] || need_apt+=(nginx)
# E-mail alerts are sent to a real SMTP server started by the tests (tests/SynoCertPanel.Core.Tests/Alerts/SmtpServer.cs).
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || need_apt+=(python3-aiosmtpd)
# The full-disk fault mounts a small tmpfs; the locked-folder fault uses chattr.
command -v chattr >/dev/null 2>&1 || need_apt+=(e2fsprogs)
# ACME clients the tests run against the panel's own directories.
[ -x /usr/bin/lego ] || need_apt+=(lego)
[ -x /usr/bin/certbot ] || need_apt+=(certbot)
[ -x /usr/bin/uacme ] || need_apt+=(uacme)
/usr/bin/python3 -c "import acme" >/dev/null 2>&1 || need_apt+=(python3-acme)
# uacme trusts only /etc/ssl/certs/ca-certificates.crt, so its test shows it the lab's CA in a mount namespace of its own.
command -v unshare >/dev/null 2>&1 || need_apt+=(util-linux)
# dns-01 is tested against a real DNS server on loopback (tests/SynoCertPanel.Web.Tests/Acme/DnsmasqServer.cs).
[ -x /usr/sbin/dnsmasq ] || need_apt+=(dnsmasq-base)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null \
    || echo "warning: could not install ${need_apt[*]}; tests that need them will fail"
fi

# The OpenAPI document is validated by Redocly CLI (tests/SynoCertPanel.Web.Tests/Support/RedoclyCli.cs), kept in .tools/npm.
redocly_version="2.77.0"
if [ "$(.tools/npm/node_modules/.bin/redocly --version 2>/dev/null | head -n 1)" != "$redocly_version" ]; then
  echo "Installing @redocly/cli@$redocly_version into .tools/npm"
  mkdir -p .tools/npm
  npm install --prefix .tools/npm --no-audit --no-fund --loglevel=error "@redocly/cli@$redocly_version" >/dev/null \
    || echo "warning: could not install @redocly/cli; the OpenAPI lint tests will fail"
fi

# The generated API client is compared with what Kiota (dotnet-tools.json) makes from the OpenAPI document.
dotnet tool restore >/dev/null || echo "warning: dotnet tool restore failed; the API client generation test will fail"

results="TestResults"
rm -rf "$results"
mkdir -p "$results"

# A test host that stops answering is ended (and counted as a failure) instead of holding CI to its limit.
dotnet test SynoCertPanel.sln --configuration Release --logger "trx" --results-directory "$results" --blame-hang-timeout 10m --blame-hang-dump-type none "$@"
test_exit=$?

passed=0; failed=0; skipped=0; found=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  found=1
  counters=$(grep -o '<Counters [^>]*' "$trx" | head -n 1)
  attr() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(attr total); executed=$(attr executed)
  passed=$((passed + $(attr passed)))
  failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
  skipped=$((skipped + total - executed))
done

if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before any result was written: count it as a failure.
  failed=1
fi
[ "$found" -eq 0 ] && [ "$failed" -eq 0 ] && failed=1

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
