#!/usr/bin/env bash
# Trains the web demo's small language model with the CLI and ships it with
# ship-language-checkpoint.sh; the result is committed. language-demo-config.json keeps it under
# 1 MB: 2,048 n-gram buckets of 32 dimensions, 64-wide unit-length embeddings, a 256-coordinate
# n-gram sketch and a 64-unit generator (180,867 weights, 723 kB); no bank of training languages
# (lmBank 0): the page would have to ship their text or 118 MiB of tables. Steps: $1 (default 1000; about
# 4 minutes on 2 busy cores, wasm). A better run made elsewhere ships with
# ship-language-checkpoint.sh RUN_DIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
steps="${1:-1000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node "$root/packages/cli/dist/main.js" train --task language --steps "$steps" --seed 1 --backend wasm \
  --config "$here/language-demo-config.json" --out "$tmp/run" --checkpoint-every "$steps" --keep 1
"$here/ship-language-checkpoint.sh" "$tmp/run"
