#!/usr/bin/env bash
# Start-up cost of one command-line call against the process's own start (`--help`) and two openssl anchors, on
# the same machine in the same run. Prints the median wall time of each over N runs, and the ratios the targets
# name (bench/results/cli-startup.md): `cert list` ≤ 3× `--help`, `cert create --key p256` ≤ 4× `--help`.
#
#   bench/cli-startup.sh BINARY [N] [FLOOR]
#
# BINARY is a published panel (`dotnet publish src/SynoCertPanel.Web -c Release -o /tmp/cli-pub`, then
# /tmp/cli-pub/synocertpanel). N runs per command (default 21). The data directory is made afresh in a temporary
# folder: one root CA and four certificates before the timed calls; each timed `cert create` adds one more.
# FLOOR, when given, is bench/CreateFloor published the same way (`dotnet publish bench/CreateFloor -c Release -r linux-x64
# -o /tmp/floor-pub`, then /tmp/floor-pub/createfloor): the engine's key and signature work for one root and one server
# certificate with no storage, host or parser, timed in the same rounds, so the floor under `cert create` is known.
set -euo pipefail

bin=${1:?usage: bench/cli-startup.sh BINARY [N] [FLOOR]}
runs=${2:-21}
floor=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="$work/data"

"$bin" --data "$data" cert create --cn seed.lab.internal --san seed.lab.internal --key p256 >/dev/null
for i in 1 2 3; do
  "$bin" --data "$data" cert create --cn "host$i.lab.internal" --san "host$i.lab.internal" --key p256 >/dev/null
done
"$bin" --data "$data" cert list >/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=anchor -days 30 \
  -keyout "$work/anchor.key" -out "$work/anchor.crt" 2>/dev/null

# Wall time in microseconds of one run of "$@" (output discarded; a failing run stops the script).
elapsed() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000 ))
}

n=0
create() {
  n=$((n + 1))
  "$bin" --data "$data" cert create --cn "bench$n.lab.internal" --san "bench$n.lab.internal" --key p256
}

# The commands take turns within each round, so a change of load on a shared machine falls on all of them alike.
declare -a t_help t_list t_create t_x509 t_req t_floor
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$runs"); do
  t_help+=("$(elapsed "$bin" --help)")
  t_list+=("$(elapsed "$bin" --data "$data" cert list)")
  t_create+=("$(elapsed create)")
  t_x509+=("$(elapsed openssl x509 -noout -in "$work/anchor.crt")")
  t_req+=("$(elapsed openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=anchor -days 30 \
    -keyout /dev/null -out /dev/null)")
  if [ -n "$floor" ]; then t_floor+=("$(elapsed "$floor")"); fi
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"

median() { printf '%s\n' "$@" | sort -n | awk -v n="$#" 'NR == int((n + 1) / 2) { printf "%.3f\n", $1 / 1e6 }'; }
help=$(median "${t_help[@]}")
list=$(median "${t_list[@]}")
created=$(median "${t_create[@]}")
x509=$(median "${t_x509[@]}")
req=$(median "${t_req[@]}")

printf '%-40s %8s %8s\n' "command (median of $runs)" "wall s" "× help"
row() { printf '%-40s %8s %8s\n' "$1" "$2" "$(awk -v a="$2" -v b="$help" 'BEGIN { printf "%.1f", a / b }')"; }
row "synocertpanel --help" "$help"
row "synocertpanel cert list" "$list"
row "synocertpanel cert create --key p256" "$created"
row "openssl x509 -noout" "$x509"
row "openssl req -x509 -newkey ec (P-256)" "$req"
if [ -n "$floor" ]; then row "engine alone: root + server, P-256 (floor)" "$(median "${t_floor[@]}")"; fi
awk -v l="$list" -v c="$created" -v h="$help" 'BEGIN {
  printf "cert list ≤ 3× --help: %s; cert create --key p256 ≤ 4× --help: %s\n",
    (l <= 3 * h ? "met" : "missed"), (c <= 4 * h ? "met" : "missed") }'
