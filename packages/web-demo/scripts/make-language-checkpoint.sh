#!/usr/bin/env bash
# Trains the web demo's small language model (language-demo-config.json: 4,096 n-gram buckets of
# 32 dimensions, 64-wide embeddings, about 0.7 MB of weights) with the CLI and ships it with
# ship-language-checkpoint.sh. The result is committed. Steps: $1 (default 1000, about 4 minutes
# on 2 cores, wasm). A better run made elsewhere ships with ship-language-checkpoint.sh RUN_DIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node "$root/packages/cli/dist/main.js" train --task language --steps "${1:-1000}" --seed 1 --backend wasm \
  --config "$here/language-demo-config.json" --out "$tmp/run" --checkpoint-every "${1:-1000}" --keep 1
"$here/ship-language-checkpoint.sh" "$tmp/run"
