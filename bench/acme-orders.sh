#!/usr/bin/env bash
# Complete ACME orders per minute for one client process (Debian's lego 4.9, http-01, P-256 keys) against the panel's
# directory, Caddy 2.6's acme_server and Pebble, in the same run; then the panel's memory while 20 orders run at once.
#
#   bench/acme-orders.sh BINARY [N] [PARALLEL]
#
# BINARY is a published panel (`dotnet publish src/SynoCertPanel.Web -c Release -r linux-x64 --self-contained false
# -o /tmp/acme-bench-pub`, then /tmp/acme-bench-pub/synocertpanel). N (default 20) is the number of timed orders per
# server; PARALLEL (default 20) the number of lego processes started together against the panel in the second part.
# Runs as root: every server validates http-01 on port 80 (Caddy's acme_server cannot be told another port), which must
# be free. KEEP=1 keeps the temporary directory (the servers' logs, lego's output) for a look afterwards.
#
# The identifier is the DNS name "localhost". lego 4.9 sends an IP address as a "dns" identifier (Pebble refuses the
# order, Caddy validates and then refuses the CSR), so an RFC 8738 "ip" identifier cannot be asked for with this lego.
# Caddy 2.6's acme_server has no resolver setting (its "resolvers" subdirective came with 2.7; 2.6.2 adapts the
# Caddyfile without it) and resolves through Go's resolver: /etc/hosts, then the system's DNS. No system file is edited,
# so the only name that reaches 127.0.0.1 for all three is the standard "localhost" entry. The panel resolves it with
# `acme resolve localhost=127.0.0.1`, Pebble through pebble-challtestsrv's DNS (-dnsserver; every A answer 127.0.0.1).
#
# Part 1: one lego account per server (a first, untimed order opens it and warms the server up), then N timed `lego run`
# calls per server, each a new order with a fresh P-256 key for the same account, lego's own http-01 server on :80. The
# servers take turns order by order (panel, Caddy, Pebble, panel, ...) so that the load of a shared machine falls on all
# three alike. Per order: the wall time of the lego process (account load, new order, validation, finalize, download).
# Pebble runs with PEBBLE_VA_NOSLEEP=1 (no random validation delay), PEBBLE_WFE_NONCEREJECT=0 (no deliberate badNonce)
# and PEBBLE_AUTHZREUSE=0 (every order really validated, as the panel and Caddy do); never PEBBLE_VA_ALWAYS_VALID.
#
# Part 2: PARALLEL lego processes started together against the panel, each with its own account and its own name
# (bench-01.home.arpa ... resolved by the panel to 127.0.0.1). The panel validates every name on port 80, so they share
# one http-01 responder: lego's --http.webroot and python3's http.server on :80 serving that directory. A sampler reads
# VmRSS from /proc/PID/status at 10 Hz: idle is the median of the 10 s before the start, peak the highest during.
set -euo pipefail

bin=${1:?usage: bench/acme-orders.sh BINARY [N] [PARALLEL]}
runs=${2:-20}
parallel=${3:-20}
[ "$(id -u)" = 0 ] || { echo "http-01 is validated on port 80: run as root" >&2; exit 2; }
if ss -Hltn 'sport = :80' | grep -q .; then echo "port 80 is taken" >&2; exit 2; fi
python=/usr/bin/python3
work=$(mktemp -d)
data="$work/data"
pids=()
sampler_pid=
cleanup() {
  for pid in "$sampler_pid" "${pids[@]}"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  if [ -n "${KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 600); do ss -Hltn "sport = :$1" | grep -q . && return 0; sleep 0.2; done; echo "nothing listens on $1" >&2; return 1; }

echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "lego $(dpkg-query -W -f '${Version}' lego), caddy $(dpkg-query -W -f '${Version}' caddy), pebble $(dpkg-query -W -f '${Version}' pebble), $runs orders each"

# The panel: a root CA with a P-256 key, its directory without EAB (lifetime: the default 90 days), "localhost" and the
# part-2 names resolved to 127.0.0.1 by its validation resolver.
ca=$("$bin" --data "$data" ca create --cn "Bench Root CA" --key p256 --json | sed -E 's/.*"id":([0-9]+).*/\1/')
"$bin" --data "$data" acme enable --ca "$ca" --no-eab --allow-dns localhost --allow-dns home.arpa >/dev/null
resolve=(localhost=127.0.0.1)
for i in $(seq -w 1 "$parallel"); do resolve+=("bench-$i.home.arpa=127.0.0.1"); done
"$bin" --data "$data" acme resolve "${resolve[@]}" >/dev/null
panel_port=$(free_port)
"$bin" --data "$data" serve --https-port "$panel_port" --http-port 0 --bind 127.0.0.1 >"$work/panel.log" 2>&1 &
panel_pid=$!
pids+=("$panel_pid")
wait_port "$panel_port"
# lego must trust the panel's own HTTPS: the last certificate of the chain it serves is its issuing root.
openssl s_client -connect "127.0.0.1:$panel_port" -showcerts </dev/null 2>/dev/null |
  awk '/BEGIN CERT/ { c = "" } { c = c $0 "\n" } /END CERT/ { last = c } END { printf "%s", last }' >"$work/panel-trust.pem"
panel_url="https://127.0.0.1:$panel_port/acme/$ca/directory"

# Caddy: acme_server on a loopback https site with `tls internal`; its HTTP port moved off 80, no admin endpoint.
caddy_port=$(free_port)
mkdir -p "$work/caddy"
cat >"$work/caddy/Caddyfile" <<EOF
{
	admin off
	http_port $(free_port)
	https_port $caddy_port
	skip_install_trust
}
https://127.0.0.1:$caddy_port {
	tls internal
	acme_server
}
EOF
XDG_DATA_HOME="$work/caddy/data" XDG_CONFIG_HOME="$work/caddy/config" caddy run --config "$work/caddy/Caddyfile" --adapter caddyfile \
  >"$work/caddy.log" 2>&1 &
pids+=($!)
wait_port "$caddy_port"
for _ in $(seq 100); do [ -s "$work/caddy/data/caddy/pki/authorities/local/root.crt" ] && break; sleep 0.2; done
caddy_url="https://127.0.0.1:$caddy_port/acme/local/directory"

# Pebble: its HTTPS certificate from a throw-away CA (Debian's package does not ship the test/certs files), http-01 on
# port 80, names resolved by pebble-challtestsrv's DNS (its own http-01/tls-alpn-01 responders off).
pebble_port=$(free_port)
dns_port=$(free_port)
mkdir -p "$work/pebble"
(
  cd "$work/pebble"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=Pebble bench CA"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out req.csr -subj "/CN=localhost"
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
  openssl x509 -req -in req.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf -out cert.pem
) >/dev/null 2>&1
cat >"$work/pebble/config.json" <<EOF
{"pebble": {"listenAddress": "127.0.0.1:$pebble_port", "managementListenAddress": "127.0.0.1:$(free_port)",
  "certificate": "$work/pebble/cert.pem", "privateKey": "$work/pebble/key.pem", "httpPort": 80, "tlsPort": 5001,
  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
EOF
pebble-challtestsrv -dns01 "127.0.0.1:$dns_port" -defaultIPv4 127.0.0.1 -http01 "" -https01 "" -tlsalpn01 "" \
  -management "127.0.0.1:$(free_port)" >"$work/challtestsrv.log" 2>&1 &
pids+=($!)
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 pebble -config "$work/pebble/config.json" -dnsserver "127.0.0.1:$dns_port" \
  >"$work/pebble.log" 2>&1 &
pids+=($!)
wait_port "$pebble_port"
pebble_url="https://127.0.0.1:$pebble_port/dir"

servers=(panel caddy pebble)
declare -A url=([panel]=$panel_url [caddy]=$caddy_url [pebble]=$pebble_url)
declare -A trust=([panel]="$work/panel-trust.pem" [caddy]="$work/caddy/data/caddy/pki/authorities/local/root.crt" [pebble]="$work/pebble/ca.pem")
# One order: prints its wall time in milliseconds, or fails with lego's output.
order() {
  local server=$1 log=$2 t0 t1
  t0=$(date +%s%N)
  if ! LEGO_CA_CERTIFICATES=${trust[$server]} lego --server "${url[$server]}" --accept-tos --email bench@lab.home.arpa \
      --key-type ec256 --path "$work/lego-$server" --domains localhost --http --http.port :80 run >"$log" 2>&1; then
    echo "lego against $server failed:" >&2; cat "$log" >&2; return 1
  fi
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
for server in "${servers[@]}"; do order "$server" "$work/warm-$server.log" >/dev/null; done
echo "accounts opened, one untimed order each"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for i in $(seq "$runs"); do
  for server in "${servers[@]}"; do
    echo "$server $(order "$server" "$work/order-$server-$i.log")" >>"$work/times"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
# Every timed order must have produced a certificate for localhost from that server's CA chain.
for server in "${servers[@]}"; do
  openssl x509 -in "$work/lego-$server/certificates/localhost.crt" -noout -ext subjectAltName 2>/dev/null | grep -q 'DNS:localhost' ||
    { echo "no certificate for localhost from $server" >&2; exit 1; }
done
valid=$("$bin" --data "$data" acme orders --ca "$ca" --json | grep -o '"status":"valid"' | wc -l) || true
echo "load: $load_before before the timed orders, $load_after after; the panel lists $valid valid orders"
"$python" - "$work/times" <<'ANALYSIS'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    server, ms = line.split()
    times.setdefault(server, []).append(int(ms))
print(f"{'server':<8} {'orders':>6} {'orders/min':>10} {'median ms':>9} {'p95 ms':>7} {'min ms':>7} {'max ms':>7}")
for server, ms in times.items():
    s = sorted(ms)
    p95 = s[max(0, -(-len(s) * 95 // 100) - 1)]
    print(f"{server:<8} {len(s):>6} {len(s) * 60000 / sum(s):>10.1f} {statistics.median(s):>9.0f} {p95:>7} {s[0]:>7} {s[-1]:>7}")
ANALYSIS

# Part 2: PARALLEL orders at once against the panel, one shared http-01 responder on :80.
mkdir -p "$work/webroot"
"$python" -m http.server 80 --bind 0.0.0.0 --directory "$work/webroot" >"$work/webroot.log" 2>&1 &
pids+=($!)
wait_port 80
"$python" - "$panel_pid" >"$work/samples" <<'SAMPLER' &
import sys, time
pid = sys.argv[1]
while True:
    try:
        with open(f"/proc/{pid}/status") as status:
            rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        break
    print(f"{time.time():.3f} {rss}", flush=True)
    time.sleep(0.1)
SAMPLER
sampler_pid=$!
sleep 12
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s.%N)
lego_pids=()
for i in $(seq -w 1 "$parallel"); do
  LEGO_CA_CERTIFICATES=$work/panel-trust.pem lego --server "$panel_url" --accept-tos --email "bench-$i@lab.home.arpa" --key-type ec256 \
    --path "$work/parallel-$i" --domains "bench-$i.home.arpa" --http --http.webroot "$work/webroot" run >"$work/parallel-$i.log" 2>&1 &
  lego_pids+=($!)
done
failed=0
for pid in "${lego_pids[@]}"; do wait "$pid" || failed=$(( failed + 1 )); done
end=$(date +%s.%N)
sleep 10
kill "$sampler_pid"; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
issued=$(ls "$work"/parallel-*/certificates/*.crt 2>/dev/null | grep -vc issuer || true)
echo "load: $load_before before the $parallel parallel orders, $load_after after"
echo "$parallel lego processes at once: $issued certificates, $failed failed, all done in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s"
[ "$failed" = 0 ] || { for f in "$work"/parallel-*.log; do tail -n 3 "$f"; done >&2; }
"$python" - "$work/samples" "$start" "$end" <<'ANALYSIS'
import statistics, sys
rows = [tuple(float(x) for x in line.split()) for line in open(sys.argv[1]) if line.strip()]
start, end = float(sys.argv[2]), float(sys.argv[3])
idle = [r[1] for r in rows if start - 10 <= r[0] < start]
during = [r[1] for r in rows if start <= r[0] <= end]
after = [r[1] for r in rows if r[0] > end]
print(f"panel RSS (10 Hz): idle {statistics.median(idle) / 1024:.1f} MiB (median of {len(idle)} samples), "
      f"peak {max(during) / 1024:.1f} MiB (+{(max(during) - statistics.median(idle)) / 1024:.1f} MiB over idle), "
      f"{statistics.median(after) / 1024:.1f} MiB 10 s after")
ANALYSIS
