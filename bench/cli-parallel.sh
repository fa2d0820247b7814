#!/usr/bin/env bash
# Many `cert create` calls at once on one data directory, as a provisioning script runs them: the wall time of N calls,
# P at a time, and that every call succeeded with a distinct certificate under one root.
#
#   bench/cli-parallel.sh BINARY [N] [P]
#
# BINARY is a published panel (see bench/cli-startup.sh). N calls (default 1000), P at a time (default 32), on a fresh
# data directory in a temporary folder: the first call makes the root, every other one issues from it.
set -euo pipefail

bin=${1:?usage: bench/cli-parallel.sh BINARY [N] [P]}
calls=${2:-1000}
parallel=${3:-32}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="$work/data"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s%N)
seq "$calls" | xargs -P "$parallel" -I{} "$bin" --data "$data" cert create --cn "host{}.lab.internal" --san "host{}.lab.internal" \
  --key p256 --json >"$work/out.jsonl" 2>"$work/err.txt" || true
end=$(date +%s%N)
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"

made=$(grep -c '"certificateId"' "$work/out.jsonl" || true)
roots=$(grep -o '"authorityId":[0-9]*' "$work/out.jsonl" | sort -u | wc -l)
# The list holds the root as well as the certificates it issued.
listed=$(( $("$bin" --data "$data" cert list --json | grep -o '"total":[0-9]*' | cut -d: -f2) - 1 ))
wall=$(( (end - start) / 1000000 ))
echo "calls: $calls, $parallel at a time; succeeded: $made; CAs used: $roots; certificates listed: $listed"
echo "wall: $((wall / 1000)).$(printf '%03d' $((wall % 1000))) s; per call: $(( wall / calls )) ms"
if [ -s "$work/err.txt" ]; then
  echo "errors (first 5):"
  head -5 "$work/err.txt"
fi
[ "$made" -eq "$calls" ] && [ "$roots" -eq 1 ] && [ "$listed" -eq "$calls" ]
