"""Known answers for ModelMetricsTest: the tiny CLIP tower (clip_tiny.safetensors, made by make_tiny_vit.py) run
through the independent NumPy forward of make_tiny_vit.py on SyntheticVideos clips of 12x12 (the tower's own
resolution, so clip_transform is only /255 and the CLIP mean/std), then the VBench formulas in NumPy.
Run: PYTHONPATH=../../../../../shared/golden/tools python3 metric_answers.py
"""
import math
import os

import numpy as np
from safetensors_io import load_file

import make_tiny_vit as ref

# ModelMetrics loads the towers without a heads override: 64-wide heads as in DINO/OpenAI CLIP, at least one, so
# the 32-wide tiny towers run with one head (make_tiny_vit's cases use two, passed explicitly by their tests)
ref.HEADS = 1
HERE = os.path.dirname(os.path.abspath(__file__))
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)


def texture(x, y):  # SyntheticVideos.texture, Java Math.round = floor(v + 0.5)
    v = 128 + 55 * math.sin(2 * math.pi * x / 13.0) + 45 * math.cos(2 * math.pi * y / 17.0) \
        + 20 * math.sin(2 * math.pi * (x + y) / 29.0)
    return int(max(0, min(255, math.floor(v + 0.5))))


def still(frames, h, w):
    f = np.zeros((frames, h, w, 3), np.uint8)
    for y in range(h):
        for x in range(w):
            t = texture(x, y)
            f[:, y, x] = (t, 255 - t, (t + 64) % 256)
    return f


def moving_square(frames, h, w, side, x0, y0, dx, dy):
    f = np.zeros((frames, h, w, 3), np.uint8)
    for i in range(frames):
        sx, sy = x0 + i * dx, y0 + i * dy
        for y in range(h):
            for x in range(w):
                inside = sx <= x < sx + side and sy <= y < sy + side
                f[i, y, x] = texture(x - sx, y - sy) if inside else 100
    return f


def embed(clip, frames):
    x = frames.astype(np.float32) / np.float32(255)
    x = ((x - MEAN) / STD).transpose(0, 3, 1, 2)
    return ref.clip_forward(clip, np.ascontiguousarray(x)).astype(np.float64)


def unit(v):
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def consistency(e):
    e = unit(e)
    s = [(max(0, e[i - 1] @ e[i]) + max(0, e[0] @ e[i])) / 2 for i in range(1, len(e))]
    return sum(s) / len(s)


def main():
    clip = load_file(os.path.join(HERE, "clip_tiny.safetensors"))
    moving = embed(clip, moving_square(5, 12, 12, 6, 1, 2, 1, 0))
    stills = embed(clip, still(3, 12, 12))
    print("background_consistency movingSquare(5,12,12,24,6,1,2,1,0): %.9f" % consistency(moving))
    w = np.array([(i % 3 - 1) * 5.0 for i in range(16)])
    print("aesthetic_quality still(3,12,12), w=(i%%3-1)*5, b=5: %.9f" % np.mean((unit(stills) @ w + 5) / 10))
    ids = np.array([[8, 1, 2, 3, 9, 0]])  # "a red car" in word_tokenizer.json, zero-padded to the context 6
    t = unit(ref.clip_text_forward(clip, ids).astype(np.float64))[0]
    print("text_video_alignment movingSquare, 'a red car': %.9f" % np.mean(unit(moving) @ t))
    print("text_video_alignment still(1,12,12), 'a red car': %.9f" % (unit(stills[:1]) @ t)[0])


if __name__ == "__main__":
    main()
