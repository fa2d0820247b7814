#!/usr/bin/env bash
# Probing 500 TLS endpoints inside the running panel: wall time, sockets and memory of the panel process itself while its
# scheduled round probes every enabled box, then the cost of a /metrics scrape at that many endpoints.
#
#   bench/panel-probe-500.sh BINARY [ENDPOINTS] [BOXES] [PORTS]
#
# BINARY is a published panel (`dotnet publish src/SynoCertPanel.Web -c Release -r linux-x64 --self-contained false
# -o /tmp/probe-pub`, then /tmp/probe-pub/synocertpanel). ENDPOINTS (default 500) are spread over BOXES watch-only boxes
# (default 100) added with `box add`, each watching ENDPOINTS/BOXES endpoints on 127.0.0.1 among PORTS ports (default 8).
# The ports are served by bench/watch-probe.cs started in its "serve" mode: a separate process, so its memory and sockets
# are not counted; it serves a P-256 certificate for 127.0.0.1 that the panel issued from its own root, so every endpoint
# should be judged ok. Set NO_OPENSSL=1 to skip the openssl comparison.
#
# The panel runs with Boxes__CheckIntervalHours=0.05: its first round runs at start (JIT, the TLS stack, the allocator's
# per-connection memory: what an idle panel holds after its first scheduled run), the second three minutes later. A
# sampler reads /proc/PID/status (VmRSS) and counts the socket descriptors in /proc/PID/fd at 10 Hz from the panel's
# start until the second round has ended; nothing asks the panel anything from 60 s before the second round until its
# probe sockets have closed. "Idle" is the median RSS of the 10 s before the second round's first probe socket; the
# round's duration is the panel's own figure (synocertpanel_probe_round_duration_seconds), read afterwards.
set -euo pipefail

bin=${1:?usage: bench/panel-probe-500.sh BINARY [ENDPOINTS] [BOXES] [PORTS]}
endpoints=${2:-500}
boxes=${3:-100}
ports=${4:-8}
per_box=$(( endpoints / boxes ))
[ $(( per_box * boxes )) -eq "$endpoints" ] || { echo "ENDPOINTS must be a multiple of BOXES" >&2; exit 2; }
[ "$per_box" -le "$ports" ] || { echo "each box watches distinct ports: ENDPOINTS/BOXES must be at most PORTS" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
data="$work/data"
panel_pid=
server_pid=
sampler_pid=
cleanup() {
  for pid in "$sampler_pid" "$panel_pid"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  if [ -n "$server_pid" ]; then exec 3>&-; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
cert=$("$bin" --data "$data" cert create --cn endpoints.home.arpa --san 127.0.0.1 --key p256 --json | sed -E 's/.*"id":([0-9]+).*/\1/')
"$bin" --data "$data" cert export "$cert" --format pem --out "$work/leaf.pem" >/dev/null
"$bin" --data "$data" cert export "$cert" --format key --include-key --out "$work/leaf.key" >/dev/null
"$bin" --data "$data" cert export "$cert" --format chain --out "$work/chain.pem" >/dev/null
"$bin" --data "$data" metrics enable --allow 127.0.0.0/8 >/dev/null

# The endpoints' server: bench/watch-probe.cs's serve mode, stopped by closing its standard input.
mkfifo "$work/stop"
dotnet run -c Release "$repo/bench/watch-probe.cs" serve "$ports" "$work" <"$work/stop" >"$work/ports" &
server_pid=$!
exec 3>"$work/stop"
for _ in $(seq 600); do [ -s "$work/ports" ] && break; sleep 0.5; done
read -r -a listening <"$work/ports"
[ "${#listening[@]}" -eq "$ports" ] || { echo "the endpoint server did not start" >&2; exit 1; }

clock_start=$(date +%s)
for b in $(seq 0 $(( boxes - 1 ))); do
  watch=()
  for e in $(seq 0 $(( per_box - 1 ))); do watch+=(--watch "127.0.0.1:${listening[$(( (b + e) % ports ))]}"); done
  "$bin" --data "$data" box add "$(printf 'bench-%03d' "$b")" --address 127.0.0.1 "${watch[@]}" --delivery none >/dev/null
done
echo "added $boxes boxes with $per_box endpoints each in $(( $(date +%s) - clock_start )) s"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
Boxes__CheckIntervalHours=0.05 "$bin" --data "$data" serve --https-port "$port" --http-port 0 --bind 127.0.0.1 >"$work/serve.log" 2>&1 &
panel_pid=$!
started=$(date +%s.%N)
python3 - "$panel_pid" >"$work/samples" <<'SAMPLER' &
import os, sys, time
pid = sys.argv[1]
while True:
    try:
        with open(f"/proc/{pid}/status") as status:
            rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        sockets = 0
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                    sockets += 1
            except OSError:
                pass
    except (OSError, StopIteration):
        break
    print(f"{time.time():.3f} {rss} {sockets}", flush=True)
    time.sleep(0.1)
SAMPLER
sampler_pid=$!
metrics="https://127.0.0.1:$port/metrics"
sample() { curl -fsS -k "$metrics" | awk -v s="$1" '$1 == s { print $2 }'; }
rounds() { sample 'synocertpanel_probe_round_duration_seconds_count{round="all"}'; }
for _ in $(seq 300); do [ "$(rounds 2>/dev/null || true)" = 1 ] && break; sleep 1; done
[ "$(rounds)" = 1 ] || { echo "the first round did not end" >&2; tail "$work/serve.log" >&2; exit 1; }
first=$(sample 'synocertpanel_probe_round_duration_seconds_sum{round="all"}')
echo "first round (at start, cold): ${first} s; states: $(curl -fsS -k "$metrics" | grep '^synocertpanel_endpoints{' | awk '$2 > 0' | tr '\n' ' ')"

# Where the panel's resident memory is, from /proc/PID/smaps: file-backed (code and data of the assemblies and native
# libraries), malloc arenas of threads other than the main one (glibc reserves 64 MiB each: a read-write part followed by
# an inaccessible rest; OpenSSL's allocations land there), the main native heap, and other anonymous memory (the GC heap,
# the JIT's code, thread stacks).
resident() {
  python3 - "$panel_pid" <<'SMAPS'
import re, sys
maps = []
for line in open(f"/proc/{sys.argv[1]}/smaps"):
    m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$", line)
    if m:
        maps.append([int(m.group(1), 16), int(m.group(2), 16), m.group(3), m.group(4).strip(), 0])
    elif line.startswith("Rss:"):
        maps[-1][4] = int(line.split()[1])
kinds = {}
for i, (start, end, perms, name, rss) in enumerate(maps):
    if name == "[heap]":
        kind = "main native heap"
    elif name:
        kind = "files" if name.startswith("/") else name
    elif (perms.startswith("rw") and i + 1 < len(maps) and maps[i + 1][0] == end and maps[i + 1][2].startswith("---")
          and not maps[i + 1][3] and maps[i + 1][1] - start == 64 << 20):
        kind = "malloc arenas"
    else:
        kind = "other anonymous"
    kinds[kind] = kinds.get(kind, 0) + rss
print(", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]) if v >= 1024) + " MiB")
SMAPS
}

# No request to the panel from 60 s before the second round (due 180 s after start) until the sampler has seen its probe
# sockets close and stay closed for 3 s: the panel's sockets are then only its listeners and the round's probes.
sleep "$(awk -v s="$started" -v now="$(date +%s.%N)" 'BEGIN { w = s + 120 - now; print (w > 0 ? w : 0) }')"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
resident_idle=$(resident)
settled() {
  awk -v s="$started" '
    $1 >= s + 120 && $1 < s + 170 { idle[$3]++ }
    $1 >= s + 170 {
      if (mode == "") { best = -1; for (k in idle) if (idle[k] > best) { best = idle[k]; mode = k } }
      if ($3 + 0 > mode + 0) { busy = 1; quiet = 0 } else if (busy && ++quiet >= 30) { print "done"; exit }
    }' "$work/samples"
}
for _ in $(seq 900); do [ "$(settled)" = done ] && break; sleep 1; done
[ "$(settled)" = done ] || { echo "the second round was not seen" >&2; exit 1; }
sleep 10
resident_after=$(resident)
kill "$sampler_pid"; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
[ "$(rounds)" = 2 ] || { echo "the sockets rose and fell, but not for the second round" >&2; exit 1; }
second=$(awk -v a="$(sample 'synocertpanel_probe_round_duration_seconds_sum{round="all"}')" -v b="$first" 'BEGIN { printf "%.2f", a - b }')
text=$(curl -fsS -k "$metrics")
ok=$(awk '$1 == "synocertpanel_endpoints{state=\"ok\"}" { print $2 }' <<<"$text")
echo "load: $load_before before the second round, $load_after after"
echo "second round: $second s (the panel's own figure), $endpoints endpoints on $boxes boxes, $ok judged ok"

python3 - "$work/samples" "$started" <<'ANALYSIS'
import statistics, sys
rows = [tuple(float(x) for x in line.split()) for line in open(sys.argv[1]) if line.strip()]
started = float(sys.argv[2])
quiet = [r for r in rows if started + 120 <= r[0] < started + 170]
idle_sockets = statistics.mode(int(r[2]) for r in quiet)
start = next(i for i, r in enumerate(rows) if r[0] >= started + 170 and r[2] > idle_sockets)
end = max(i for i, r in enumerate(rows) if r[2] > idle_sockets)
window = [r for r in rows[:start] if r[0] >= rows[start][0] - 10]
idle = statistics.median(r[1] for r in window)
peak = max(r[1] for r in rows[start:])
peak_sockets = int(max(r[2] for r in rows[start:]))
after = statistics.median(r[1] for r in rows[end + 1:])
first_round = [r for r in rows if r[0] < started + 120]
print(f"first round: RSS {first_round[0][1] / 1024:.1f} MiB at the first sample after start, peak {max(r[1] for r in first_round) / 1024:.1f} MiB; "
      f"{statistics.median(r[1] for r in quiet) / 1024:.1f} MiB idle after it")
print(f"second round: probe sockets seen open for {rows[end][0] - rows[start][0]:.1f} s; sockets (panel process, 10 Hz): idle {idle_sockets}, "
      f"peak {peak_sockets} (+{peak_sockets - idle_sockets})")
print(f"RSS: idle {idle / 1024:.1f} MiB (median of {len(window)} samples, range {min(r[1] for r in window) / 1024:.1f}-{max(r[1] for r in window) / 1024:.1f}), "
      f"peak {peak / 1024:.1f} MiB (+{(peak - idle) / 1024:.1f} MiB), after the round {after / 1024:.1f} MiB")
ANALYSIS
echo "resident memory idle before the second round: $resident_idle"
echo "resident memory 10 s after the second round:  $resident_after"

# A Prometheus scrape at this many endpoints: 5 to warm up, then 50 on one kept-alive connection.
urls=()
for _ in $(seq 55); do urls+=(-o /dev/null "$metrics"); done
curl -fsS -k -w '%{time_total} %{size_download}\n' "${urls[@]}" | tail -n 50 | sort -n | awk -v n="$endpoints" -v lines="$(wc -l <<<"$text")" '
  { t[NR] = $1 * 1000; size = $2 }
  END { printf "GET /metrics at %s endpoints (50 after 5 warm-up): p50 %.1f ms, p95 %.1f ms, max %.1f ms; %.0f KiB, %d lines\n",
        n, t[int(NR / 2) + 1], t[int(NR * 0.95)], t[NR], size / 1024, lines }'
echo "load after the scrapes: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -z "${NO_OPENSSL:-}" ]; then
  for i in $(seq 0 $(( endpoints - 1 ))); do echo "${listening[$(( i % ports ))]}"; done >"$work/targets"
  t0=$(date +%s%N)
  xargs -P 32 -I{} sh -c 'openssl s_client -connect 127.0.0.1:{} </dev/null >/dev/null 2>&1' <"$work/targets"
  echo "openssl s_client, the same $endpoints handshakes with xargs -P 32: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
fi
