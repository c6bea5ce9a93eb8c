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
cp "$tmp"/run/checkpoints/step-*/{weights.json,weights.bin} "$out/"
# The manifest without the data folder: a shipped model holds no path of the machine that made it.
node -e 'const fs = require("fs"); const m = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); delete m.model.dataDir; fs.writeFileSync(process.argv[2], JSON.stringify(m, null, 2));' \
  "$(ls -d "$tmp"/run/checkpoints/step-* | tail -n 1)/checkpoint.json" "$out/checkpoint.json"
node "$root/packages/cli/dist/main.js" eval --checkpoint "$out" --data-dir "$data" --episodes 100 --ways 5 --shots 1
