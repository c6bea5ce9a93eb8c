#!/usr/bin/env bash
# Copies a language checkpoint into public/models/language/, where the web demo's language panel
# loads it: weights and manifest only (inference skips the optimizer moments), then scores it on
# 100 held-out 5-way episodes and on the panel's own examples, so the copy is known to load and work.
# Usage: ship-language-checkpoint.sh RUN_OR_CHECKPOINT_DIR   (a run folder: its newest checkpoint)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
src="${1:?usage: ship-language-checkpoint.sh RUN_OR_CHECKPOINT_DIR}"
if [ -d "$src/checkpoints" ]; then src="$(ls -d "$src"/checkpoints/step-* | tail -n 1)"; fi
[ -f "$src/checkpoint.json" ] || { echo "$src holds no checkpoint.json" >&2; exit 2; }
out="$root/packages/web-demo/public/models/language"
rm -f "$out"/{checkpoint.json,weights.json,weights.bin} # examples.json stays
mkdir -p "$out"
cp "$src"/{weights.json,weights.bin} "$out/"
# The manifest without any data folder: a shipped model holds no path of the machine that made it.
node -e 'const fs = require("fs"); const m = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); delete m.model.dataDir; fs.writeFileSync(process.argv[2], JSON.stringify(m, null, 2));' \
  "$src/checkpoint.json" "$out/checkpoint.json"
echo "shipped $(du -cb "$out"/{checkpoint.json,weights.json,weights.bin} | tail -n 1 | cut -f1) bytes into $out"
node "$root/packages/cli/dist/main.js" eval --checkpoint "$out" --episodes 100 --ways 5 --shots 1 --baseline
node "$root/packages/web-demo/scripts/score-language-examples.mjs" "$out"
