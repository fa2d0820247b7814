#!/bin/sh
# Load test of the panel's HTTPS listener (not a unit test). Loopback only, bounded in time.
# Usage: bench/listener/run.sh [SECONDS-PER-PHASE]   (from the repository root)
set -eu
seconds="${1:-10}"
out="$(mktemp -d)"
# As the container image is built: ReadyToRun for this platform.
dotnet publish src/SynoCertPanel.Web -c Release -r linux-x64 --self-contained false -o "$out/panel" --nologo -v quiet
dotnet build bench/listener/ListenerLoad -c Release --nologo -v quiet
load=bench/listener/ListenerLoad/bin/Release/net10.0/ListenerLoad
echo "== swaps under load ($seconds s per phase)"
"$load" run "$seconds"
echo "== controlled restart: 10 moves of the listener per kind"
"$load" rebind 10
echo "== published app: time to first HTTPS 200 and idle RSS"
"$load" footprint "$out/panel/synocertpanel"
rm -rf "$out"
