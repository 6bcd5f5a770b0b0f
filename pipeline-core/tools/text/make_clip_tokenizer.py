#!/usr/bin/env python3
"""Writes a CLIP-format tokenizer.json with a small vocabulary (the real 49408-entry CLIP BPE vocabulary is not
available from any registry this project can reach).

Structure copied from openai/clip-vit-large-patch14's tokenizer.json: NFC + whitespace squeeze + lowercase,
CLIP's split regex, byte-level alphabet, BPE with the "</w>" end-of-word suffix, unk = <|endoftext|>, and
RobertaProcessing adding <|startoftext|> / <|endoftext|>. Vocabulary: the 256 byte symbols, the same with "</w>",
the merges below, then <|startoftext|> (vocab-2) and <|endoftext|> (vocab-1), the same order as the real file.

usage: make_clip_tokenizer.py OUT.json
"""
import json
import sys


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(c) for _, c in sorted(zip(bs, cs))]


# a few English merges so that common words are single tokens, as in the real vocabulary
WORDS = ["the", "a", "cat", "dog", "on", "in", "of", "and", "with", "red", "fox", "video", "camera", "moon"]


def main(out):
    alphabet = bytes_to_unicode()
    vocab = {}
    for ch in alphabet:
        vocab[ch] = len(vocab)
    for ch in alphabet:
        vocab[ch + "</w>"] = len(vocab)
    merges = []
    for w in WORDS:
        parts = list(w[:-1]) + [w[-1] + "</w>"]
        while len(parts) > 1:
            a, b = parts[0], parts[1]
            merged = a + b
            if [a, b] not in merges:
                merges.append([a, b])
                if merged not in vocab:
                    vocab[merged] = len(vocab)
            parts = [merged] + parts[2:]
    bos = len(vocab)
    vocab["<|startoftext|>"] = bos
    vocab["<|endoftext|>"] = bos + 1
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": bos, "content": "<|startoftext|>", "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": True, "special": True},
            {"id": bos + 1, "content": "<|endoftext|>", "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True},
        ],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}, {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
             "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", bos + 1],
                           "cls": ["<|startoftext|>", bos], "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": merges},
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(tok, f, ensure_ascii=False, indent=1)
    cfg = {"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>",
           "unk_token": "<|endoftext|>", "model_max_length": 77, "do_lower_case": True,
           "tokenizer_class": "CLIPTokenizer"}
    with open(out.replace("tokenizer.json", "tokenizer_config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    print(out, "vocab", len(vocab), "merges", len(merges))


if __name__ == "__main__":
    main(sys.argv[1])
