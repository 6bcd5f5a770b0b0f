#!/usr/bin/env python3
"""Writes the tokenizer test strings (JSON list of {name, text}) from shared/data/moviegen_bench.csv.

usage: make_test_strings.py moviegen_bench.csv OUT.json
"""
import csv
import json
import sys

VIDEO_TEMPLATE = "\n".join((
    "<|im_start|>system\nYou are a promt engineer. Describe the video in detail.",
    "Describe how the camera moves or shakes, describe the zoom and view angle, whether it follows the objects.",
    "Describe the location of the video, main characters or objects and their action.",
    "Describe the dynamism of the video and presented actions.",
    "Name the visual style of the video: whether it is a professional footage, user generated content, some kind of animation, video game or scren content.",
    "Describe the visual effects, postprocessing and transitions if they are presented in the video.",
    "Pay attention to the order of key actions shown in the scene.<|im_end|>",
    "<|im_start|>user\n{}<|im_end|>",
))
IMAGE_TEMPLATE = "\n".join((
    "<|im_start|>system\nYou are a promt engineer. Describe the image by detailing the color, shape, size, texture, quantity, text, spatial relationships of the objects and background:<|im_end|>",
    "<|im_start|>user\n{}<|im_end|>",
))

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
words = []
for r in rows:
    words += r["prompt"].split()
    if len(words) >= 600:
        break
long_prompt = " ".join(words[:600])
strings = [
    {"name": "ascii_short", "text": "a cat"},
    {"name": "ascii_sentence", "text": "A red fox jumps over the lazy dog at 5:30 PM -- cinematic, 4K! It's \"great\"."},
    {"name": "whitespace", "text": "  multiple   spaces\nnew line\ttab  "},
    {"name": "cyrillic_0", "text": rows[0]["ru_prompt"]},
    {"name": "cyrillic_1", "text": rows[1]["ru_prompt"]},
    {"name": "emoji", "text": "\U0001F431 a cat in a spacesuit \U0001F680\U0001F525 на Луне \U0001F469\u200D\U0001F680 caf\u00e9"},
    {"name": "long_600_words", "text": long_prompt},
    {"name": "video_template_a_cat", "text": VIDEO_TEMPLATE.format("a cat")},
    {"name": "image_template_a_cat", "text": IMAGE_TEMPLATE.format("a cat")},
    {"name": "video_template_prefix", "text": VIDEO_TEMPLATE.split("{}")[0]},
    {"name": "image_template_prefix", "text": IMAGE_TEMPLATE.split("{}")[0]},
]
json.dump(strings, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=1)
