#!/usr/bin/env bash
# Wall time of `cert list` against a remote panel (`--server`, over HTTPS on loopback) beside the same command on the
# data directory here, `--help` (the process's own start) and two anchors: curl fetching the same API page, and
# `openssl x509 -noout`. curl runs with -k only because --pinnedpubkey then checks the key itself. Prints the median of each over N rounds, the commands taking turns within each round.
#
#   bench/cli-remote.sh BINARY [N] [COUNT]
#
# BINARY is a published panel (`dotnet publish src/SynoCertPanel.Web -c Release -r linux-x64 --self-contained false
# -o /tmp/cli-pub`, then /tmp/cli-pub/synocertpanel). N rounds (default 21). COUNT certificates are made with
# `cert create` before the panel starts (default 4, as bench/cli-startup.sh). With strace installed, it also reports
# whether the remote call opened EF Core or BouncyCastle (it should open neither).
set -euo pipefail

bin=${1:?usage: bench/cli-remote.sh BINARY [N] [COUNT]}
runs=${2:-21}
count=${3:-4}
work=$(mktemp -d)
data="$work/data"
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" --data "$data" cert create --cn seed.lab.internal --san seed.lab.internal --key p256 >/dev/null
for i in $(seq 2 "$count"); do
  "$bin" --data "$data" cert create --cn "host$i.lab.internal" --san "host$i.lab.internal" --key p256 >/dev/null
done
"$bin" --data "$data" token create --name bench --scope certificates:read --json \
  | sed -E 's/.*"secret":"([^"]+)".*/\1/' > "$work/token"
chmod 600 "$work/token"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" --data "$data" serve --https-port "$port" --http-port 0 --bind 127.0.0.1 >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  if "$bin" health --https-port "$port" >/dev/null 2>&1; then break; fi
  sleep 0.2
done

# Trust exactly the certificate the panel serves: its SHA-256 for the command line, its key's for curl.
openssl s_client -connect "127.0.0.1:$port" </dev/null 2>/dev/null | openssl x509 >"$work/served.pem"
fingerprint=$(openssl x509 -in "$work/served.pem" -noout -fingerprint -sha256 | cut -d= -f2)
pin=$(openssl x509 -in "$work/served.pem" -noout -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
remote=("$bin" --server "https://127.0.0.1:$port" --token-file "$work/token" --fingerprint "$fingerprint")

# The same rows both ways, or the comparison means nothing.
diff <("$bin" --data "$data" cert list) <("${remote[@]}" cert list) >/dev/null || { echo "remote and local lists differ" >&2; exit 1; }

elapsed() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000 ))
}

declare -a t_help t_local t_remote t_curl t_x509
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$runs"); do
  t_help+=("$(elapsed "$bin" --help)")
  t_local+=("$(elapsed "$bin" --data "$data" cert list)")
  t_remote+=("$(elapsed "${remote[@]}" cert list)")
  t_curl+=("$(elapsed curl -fsS -k --pinnedpubkey "sha256//$pin" -H "Authorization: Bearer $(cat "$work/token")" \
    "https://127.0.0.1:$port/api/v1/certificates?limit=500")")
  t_x509+=("$(elapsed openssl x509 -noout -in "$work/served.pem")")
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"

median() { printf '%s\n' "$@" | sort -n | awk -v n="$#" 'NR == int((n + 1) / 2) { printf "%.3f\n", $1 / 1e6 }'; }
help=$(median "${t_help[@]}")
local_list=$(median "${t_local[@]}")
printf '%-52s %8s %8s %12s\n' "command (median of $runs, $count certificates)" "wall s" "× help" "× local list"
row() {
  printf '%-52s %8s %8s %12s\n' "$1" "$2" "$(awk -v a="$2" -v b="$help" 'BEGIN { printf "%.1f", a / b }')" \
    "$(awk -v a="$2" -v b="$local_list" 'BEGIN { printf "%.2f", a / b }')"
}
row "synocertpanel --help" "$help"
row "synocertpanel cert list (data directory here)" "$local_list"
row "synocertpanel --server … cert list" "$(median "${t_remote[@]}")"
row "curl the same page (key pinned)" "$(median "${t_curl[@]}")"
row "openssl x509 -noout" "$(median "${t_x509[@]}")"

if command -v strace >/dev/null; then
  strace -f -e trace=openat -o "$work/trace" "${remote[@]}" cert list >/dev/null 2>&1 || true
  for assembly in Microsoft.EntityFrameworkCore BouncyCastle.Cryptography Microsoft.Data.Sqlite; do
    printf 'remote cert list opened %s: %s\n' "$assembly" "$(grep -q "$assembly.dll" "$work/trace" && echo yes || echo no)"
  done
fi
