"""Known answer for DitCheckpointTest: one forward of the deterministic tiny DiT checkpoint
(TinyCheckpoint.writeAll -> model/kandinsky5lite_t2v_tiny.safetensors, BF16 and F32 tensors) through the
independent NumPy DiT of shared/golden/tools/numpy_dit_check.py (float64), on the test's sin() inputs.

  python3 tiny_forward_answer.py CHECKPOINT.safetensors   # needs ../../../../shared/golden/tools on sys.path
"""
import json
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "shared", "golden", "tools"))
from numpy_dit_check import dit_forward  # noqa: E402

# configs/model/tiny.yaml dit_params
DP = {"in_visual_dim": 16, "out_visual_dim": 16, "time_dim": 32, "patch_size": [1, 2, 2], "model_dim": 128,
      "ff_dim": 256, "num_text_blocks": 2, "num_visual_blocks": 2, "axes_dims": [16, 24, 24], "visual_cond": True,
      "in_text_dim": 64, "in_text_dim2": 32}
SCALE = [1.0, 2.0, 2.0]


def load(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    out = {}
    for k, v in json.loads(data[8:8 + n]).items():
        if k == "__metadata__":
            continue
        b, e = v["data_offsets"]
        raw = data[8 + n + b:8 + n + e]
        if v["dtype"] == "BF16":
            a = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            a = np.frombuffer(raw, {"F32": "<f4", "F16": "<f2"}[v["dtype"]])
        out[k] = a.reshape(v["shape"]).astype(np.float64)
    return out


def wave(shape, freq, phase):
    k = np.arange(int(np.prod(shape)), dtype=np.float64)
    return np.sin(freq * k + phase).astype(np.float32).astype(np.float64).reshape(shape)


def main():
    w = load(sys.argv[1])
    x = wave((2, 8, 8, 2 * DP["in_visual_dim"] + 1), 0.37, 0.0)
    text = wave((5, DP["in_text_dim"]), 0.11, 0.5)
    pooled = wave((1, DP["in_text_dim2"]), 0.23, 1.0)
    v = dit_forward(w, DP, x, text, pooled, np.array([500.0]), SCALE)
    print("shape", v.shape, "rms %.9f" % np.sqrt((v ** 2).mean()), "max|v| %.6f" % np.abs(v).max())
    flat = v.ravel()
    for i in (0, 1, 17, 333, 1024, 2047):
        print("v[%d] = %.9f" % (i, flat[i]))
    if len(sys.argv) > 2:
        java = np.loadtxt(sys.argv[2])
        print("max |java - numpy| = %.3g" % np.abs(java - flat).max())


if __name__ == "__main__":
    main()
