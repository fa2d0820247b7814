#!/usr/bin/env bash
# Times `openssl genpkey` for the five key types the panel makes, and the cost of starting an openssl
# process (`openssl version`), so key generation in the panel can be compared with the openssl CLI net
# of process start. Prints medians in ms as a Markdown table.
#
# Usage: bench/openssl-genpkey.sh [runs-for-rsa] [runs-for-ec-and-spawn]   (defaults: 15 and 51)
set -euo pipefail

rsa_runs=${1:-15}
fast_runs=${2:-51}
openssl_bin=${OPENSSL:-openssl}

# Milliseconds (3 decimals) taken by one run of the command, output discarded.
time_once() {
  local start end
  start=$(date +%s%N)
  "$@" > /dev/null 2>&1
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f\n", ns / 1e6 }'
}

# Median of N timed runs of the command.
median_ms() {
  local runs=$1
  shift
  for ((i = 0; i < runs; i++)); do
    time_once "$@"
  done | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.1f", v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "# openssl genpkey, $("$openssl_bin" version), $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
spawn=$(median_ms "$fast_runs" "$openssl_bin" version)
echo
echo "Process spawn (\`openssl version\`, median of $fast_runs): $spawn ms"
echo
echo "| key type | runs | median raw (ms) | median net of spawn (ms) |"
echo "|---|---:|---:|---:|"

row() {
  local name=$1 runs=$2
  shift 2
  local raw
  raw=$(median_ms "$runs" "$openssl_bin" genpkey "$@" -out /dev/null)
  awk -v n="$name" -v r="$runs" -v raw="$raw" -v s="$spawn" 'BEGIN { printf "| %s | %d | %.1f | %.1f |\n", n, r, raw, raw - s }'
}

row Rsa2048 "$rsa_runs" -algorithm RSA -pkeyopt rsa_keygen_bits:2048
row Rsa3072 "$rsa_runs" -algorithm RSA -pkeyopt rsa_keygen_bits:3072
row Rsa4096 "$rsa_runs" -algorithm RSA -pkeyopt rsa_keygen_bits:4096
row EcdsaP256 "$fast_runs" -algorithm EC -pkeyopt ec_paramgen_curve:P-256
row EcdsaP384 "$fast_runs" -algorithm EC -pkeyopt ec_paramgen_curve:P-384

echo
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)"
