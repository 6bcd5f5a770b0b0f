#!/usr/bin/env bash
# Regenerates pipeline-core/src/test/resources/text/{strings.json,token_ids.json}.
# Needs python3, node/npm (fetches @huggingface/tokenizers@0.2.0 into a temp dir) and shared/data/moviegen_bench.csv.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
core=$here/../..
csv=${1:-$core/../../shared/data/moviegen_bench.csv}
res=$core/src/test/resources/text
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$res"
python3 "$here/make_test_strings.py" "$csv" "$res/strings.json"
gunzip -c "$core/src/main/resources/org/k5spark/core/text/qwen2_5_vl-tokenizer.json.gz" > "$work/qwen.json"
(cd "$work" && npm init -y >/dev/null && npm install --silent @huggingface/tokenizers@0.2.0 >/dev/null)
cp "$here/make_token_ids.mjs" "$work/"
(cd "$work" && node make_token_ids.mjs "$res/strings.json" qwen.json \
  "$core/src/main/resources/org/k5spark/core/text/clip-tokenizer.json" "$res/token_ids.json")
