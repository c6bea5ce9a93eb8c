#!/usr/bin/env bash
# Evaluates the four Omniglot runs (runs/omniglot-<method>) on the held-out alphabets, 600 episodes
# each at 5-way 1-shot and 20-way 1-shot, and prints the README's table rows (with training time).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data/omniglot}
for m in ${METHODS:-hypernet protonet maml finetune}; do
  [ -d "runs/omniglot-$m" ] || continue
  for ways in 5 20; do
    node packages/cli/dist/main.js eval --checkpoint "runs/omniglot-$m" --data-dir "$data" --episodes 600 --ways "$ways" --shots 1 --json > "runs/omniglot-$m/eval-${ways}way-1shot.json"
  done
  node -e '
    const [m] = process.argv.slice(1);
    const r = (w) => JSON.parse(require("fs").readFileSync(`runs/omniglot-${m}/eval-${w}way-1shot.json`, "utf8"));
    const f = (x) => `${(100 * x.accuracy).toFixed(1)} ± ${(100 * x.ci95).toFixed(1)} %`;
    // training time: the last "seconds" the run logged (its final step)
    const rows = require("fs").readFileSync(`runs/omniglot-${m}/metrics.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const secs = rows.filter((x) => x.seconds !== undefined).pop()?.seconds;
    const t = secs === undefined ? "n/a" : `${secs.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;
    console.log(`| ${m} | ${f(r(5))} | ${f(r(20))} | ${t} |`);
  ' "$m"
done
