#!/usr/bin/env bash
# Runs the main job (emit, then build with Nix) on the embedded example
# workspace, through the CLI, offline. Prints the outputs and runs the result.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-machine.sh
# Sandboxed, as on every runner (Debian's own nix.conf turns it off).
export NIX_CONFIG="${NIX_CONFIG:-experimental-features = nix-command flakes
substituters =
sandbox = true}"
work=$(mktemp -d)
cp -r test/fixtures/workspace "$work/workspace"
node dist/cli.js run --source-dir "$work/workspace" --toolchain system --metadata-dir "$work/metadata" | tee "$work/outputs"
result=$(sed -n 's/^out-paths=//p' "$work/outputs")
echo "--- $result/target/debug/app:"
"$result/target/debug/app"
echo "--- metadata: $work/metadata ($(wc -l < "$work/metadata/invocations.jsonl") records)"
