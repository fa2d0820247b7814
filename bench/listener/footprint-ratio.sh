#!/bin/sh
# Idle memory of the published panel against a bare Blazor Server + MudBlazor + EF Core Sqlite app (bench/listener/BareBlazor),
# both published as the container image is built, measured in turns in the same run. Not a unit test; loopback only.
# Usage: bench/listener/footprint-ratio.sh [RUNS]   (from the repository root; default 3 turns, about 2 minutes each)
set -eu
runs="${1:-3}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
dotnet publish src/SynoCertPanel.Web -c Release -r linux-x64 --self-contained false -o "$out/panel" --nologo -v quiet
dotnet publish bench/listener/BareBlazor -c Release -r linux-x64 --self-contained false -o "$out/bare" --nologo -v quiet
dotnet build bench/listener/ListenerLoad -c Release --nologo -v quiet
bench/listener/ListenerLoad/bin/Release/net10.0/ListenerLoad ratio "$out/panel/synocertpanel" "$out/bare/bareblazor" "$runs"
