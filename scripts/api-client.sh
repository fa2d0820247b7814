#!/usr/bin/env bash
# Refreshes the generated API client after the API changed: writes the OpenAPI document the panel serves into
# tests/SynoCertPanel.Api.Client/openapi.json, then regenerates tests/SynoCertPanel.Api.Client/Generated with Kiota
# (the version in dotnet-tools.json). ApiClientTests fail until both match the panel.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet tool restore >/dev/null
dotnet build tests/SynoCertPanel.Web.Tests -c Release -v quiet -nologo
SYNOCERT_WRITE_API_SNAPSHOT=1 dotnet test tests/SynoCertPanel.Web.Tests -c Release --no-build \
  --filter "FullyQualifiedName~ApiClientTests.Snapshot_IsTheDocumentThePanelServes"

client=tests/SynoCertPanel.Api.Client
rm -rf "$client/Generated"
KIOTA_OFFLINE_ENABLED=true dotnet tool run kiota -- generate --language CSharp --openapi "$client/openapi.json" \
  --output "$client/Generated" --class-name PanelClient --namespace-name SynoCertPanel.Api.Client \
  --structured-mime-types application/json --log-level Error
echo "Refreshed $client/openapi.json and $client/Generated; rebuild before running the tests."
