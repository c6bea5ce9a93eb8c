#!/usr/bin/env bash
# Trains the demo's sinusoid checkpoint with the CLI and copies it into public/models/sinusoid/.
# The result is committed (0.55 MB): training it at build time would add about a minute to every
# build and CI run, for bytes that are identical each time (same seed, same backend).
# Run from anywhere after `npm run build`; takes 1–2 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
out="$root/packages/web-demo/public/models/sinusoid"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node "$root/packages/cli/dist/main.js" train --task sinusoid --steps 4000 --seed 1 --backend wasm \
  --out "$tmp/run" --checkpoint-every 4000 --keep 1
rm -rf "$out"
mkdir -p "$out"
# Inference loads skip the optimizer moments: ship weights and manifest only.
cp "$tmp"/run/checkpoints/step-*/{checkpoint.json,weights.json,weights.bin} "$out/"
node "$root/packages/cli/dist/main.js" eval --checkpoint "$out" --shots 5 --backend wasm
