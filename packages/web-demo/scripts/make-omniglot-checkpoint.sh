#!/usr/bin/env bash
# Trains the demo's Omniglot hypernet with the CLI's default configuration (about 27 minutes on
# 2 cores with two threads, wasm) and copies its weights into public/models/omniglot/. The result is committed.
# Usage: make-omniglot-checkpoint.sh [DATA_DIR]   (default: ../shared/data/omniglot beside the repo)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
data="${1:-$root/../shared/data/omniglot}"
out="$root/packages/web-demo/public/models/omniglot"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node "$root/packages/cli/dist/main.js" train --task omniglot --method hypernet --data-dir "$data" --backend wasm --out "$tmp/run"
rm -rf "$out"
mkdir -p "$out"
# Inference loads skip the optimizer moments: ship weights and manifest only.
cp "$tmp"/run/checkpoints/step-*/{checkpoint.json,weights.json,weights.bin} "$out/"
node "$root/packages/cli/dist/main.js" eval --checkpoint "$out" --data-dir "$data" --episodes 100 --ways 5 --shots 1
