// Reference token ids for the tokenizer tests, computed by Hugging Face's tokenizers.js
// (npm @huggingface/tokenizers@0.2.0) from the same tokenizer.json files the Java side loads.
// usage: node make_token_ids.mjs STRINGS.json QWEN_TOKENIZER.json CLIP_TOKENIZER.json OUT.json
import { Tokenizer } from "@huggingface/tokenizers";
import { readFileSync, writeFileSync } from "node:fs";

const [stringsPath, qwenPath, clipPath, out] = process.argv.slice(2);
const strings = JSON.parse(readFileSync(stringsPath, "utf8"));
const qwen = new Tokenizer(JSON.parse(readFileSync(qwenPath, "utf8")), {});
const clip = new Tokenizer(JSON.parse(readFileSync(clipPath, "utf8")), {});
const result = strings.map(({ name, text }) => ({
  name,
  qwen: Array.from(qwen.encode(text, { add_special_tokens: true }).ids),
  clip: Array.from(clip.encode(text, { add_special_tokens: true }).ids),
}));
writeFileSync(out, JSON.stringify({ generator: "tools/text/make_token_ids.sh (@huggingface/tokenizers 0.2.0)", ids: result }));
for (const r of result) console.log(r.name, "qwen", r.qwen.length, "clip", r.clip.length);
