#!/usr/bin/python3
"""Golden cases for VBench dynamic_degree (RAFT) from VBench's own code.

Runs the vendored upstream files in vendor/ UNMODIFIED (VBench @45e79ec: vbench/third_party/RAFT/core/*.py and
the DynamicDegree class of vbench/dynamic_degree.py), float32 on CPU, with seeded random weights at the real
raft-things.pth architecture (keys with the DataParallel 'module.' prefix, loaded through VBench's own
DynamicDegree.load_model), on a synthetic video with real motion. See README.md for what is stood in.

usage: gen_raft.py OUT_DIR [--height 64 --width 64 --frames 9 --fps 16 --iters 20 --seed 1 --gain 1.0
                            --speed 2 --write-weights]
"""
import argparse
import ast
import json
import math
import os
import sys
import tempfile
import zlib

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "vendor"))
sys.path.insert(0, HERE)

from RAFT.core import raft as raft_module  # noqa: E402  (vendored upstream, unmodified)
from RAFT.core.raft import RAFT  # noqa: E402
from RAFT.core.corr import CorrBlock  # noqa: E402
from RAFT.core.utils_core.utils import InputPadder  # noqa: E402
from safetensors_io import save_file  # noqa: E402

RECIPE = "hash-uniform-v1"


class EasyDict(dict):
    """Stand-in for easydict.EasyDict (not installed): a dict with attribute access, which RAFT(args) needs."""

    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError as e:
            raise AttributeError(k) from e

    def __setattr__(self, k, v):
        self[k] = v


def upstream_dynamic_degree_class():
    """The DynamicDegree class of vendor/vbench/dynamic_degree.py, its source executed as written.

    Only the class statement is executed (the module's other imports — cv2, tqdm, vbench.utils, .distributed —
    are not installed / not needed); its globals are the names the class body uses."""
    path = os.path.join(HERE, "vendor", "vbench", "dynamic_degree.py")
    tree = ast.parse(open(path).read(), path)
    cls = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "DynamicDegree"]
    ns = {"np": np, "torch": torch, "os": os, "glob": __import__("glob"), "RAFT": RAFT, "InputPadder": InputPadder}
    exec(compile(ast.Module(body=cls, type_ignores=[]), path, "exec"), ns)
    return ns["DynamicDegree"]


def fmix32(x):
    m = np.uint64(0xFFFFFFFF)
    x = x ^ (x >> np.uint64(16))
    x = (x * np.uint64(0x85EBCA6B)) & m
    x = x ^ (x >> np.uint64(13))
    x = (x * np.uint64(0xC2B2AE35)) & m
    return x ^ (x >> np.uint64(16))


def hash_uniform(key, n, seed):
    """n float32 values in [-1, 1) from (seed, crc32(key), index); bit-exact in Java (RaftRandomWeights)."""
    i = np.arange(n, dtype=np.uint64)
    x = (np.uint64(seed) * np.uint64(0x9E3779B1) + np.uint64(zlib.crc32(key.encode())) * np.uint64(0x85EBCA77)
         + i * np.uint64(0xC2B2AE3D)) & np.uint64(0xFFFFFFFF)
    x = fmix32(x)
    return (x >> np.uint64(8)).astype(np.float32) * np.float32(2.0 ** -23) - np.float32(1.0)


def recipe_weights(shapes, seed, gain):
    """Seeded weights for every key of the RAFT state_dict (names without 'module.'), shapes as declared.

    conv weight: u*gain*sqrt(6/fan_in) (He-uniform); conv bias: u/sqrt(fan_in); BatchNorm: weight 1+0.25u,
    bias 0.1u, running_mean 0.1u, running_var 1+0.5u, num_batches_tracked 0."""
    out = {}
    for k, shape in shapes.items():
        n = int(np.prod(shape)) if len(shape) else 1
        base = k.rsplit(".", 1)[0]
        leaf = k.rsplit(".", 1)[1]
        if leaf == "num_batches_tracked":
            out[k] = torch.zeros(shape, dtype=torch.int64)
            continue
        u = hash_uniform("module." + k, n, seed).reshape(shape)
        bn = (base + ".running_mean") in shapes
        if bn:
            if leaf == "weight":
                v = np.float32(0.25) * u + np.float32(1.0)
            elif leaf == "running_var":
                v = np.float32(0.5) * u + np.float32(1.0)
            else:  # bias, running_mean
                v = np.float32(0.1) * u
        else:
            w = shapes[base + ".weight"]
            fan_in = int(np.prod(w[1:]))
            if leaf == "weight":
                v = u * np.float32(gain * math.sqrt(6.0 / fan_in))
            else:
                v = u * np.float32(1.0 / math.sqrt(fan_in))
        out[k] = torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32))
    return out


def synthetic_video(frames, height, width, speed, seed):
    """uint8 (T,H,W,3) RGB: smooth textured background drifting 1 px/frame, a textured square moving
    (speed, speed//2) px/frame — real, known motion."""
    rng = np.random.default_rng(seed)
    bg = rng.integers(0, 256, size=(height + frames + 8, width + frames + 8, 3)).astype(np.float32)
    # blur the background a little so it has texture at several scales
    k = np.array([1, 4, 6, 4, 1], np.float32) / 16
    for ax in (0, 1):
        bg = np.apply_along_axis(lambda r: np.convolve(r, k, mode="same"), ax, bg)
    sq = rng.integers(0, 256, size=(height // 3, width // 3, 3)).astype(np.float32)
    out = np.zeros((frames, height, width, 3), np.uint8)
    for t in range(frames):
        f = bg[t:t + height, 0:width].copy()
        y0 = (height // 4 + t * (speed // 2)) % (height - sq.shape[0])
        x0 = (width // 6 + t * speed) % (width - sq.shape[1])
        f[y0:y0 + sq.shape[0], x0:x0 + sq.shape[1]] = sq
        out[t] = np.clip(np.rint(f), 0, 255).astype(np.uint8)
    return out


class RecordingCorrBlock(CorrBlock):
    """Upstream CorrBlock, recording its pyramid and each lookup (installed as raft_module.CorrBlock)."""
    last = None

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.lookups = []
        RecordingCorrBlock.last = self

    def __call__(self, coords):
        out = super().__call__(coords)
        self.lookups.append(out.clone())
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--height", type=int, default=64)
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--frames", type=int, default=9)
    ap.add_argument("--fps", type=float, default=16.0)
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gain", type=float, default=1.0)
    ap.add_argument("--speed", type=int, default=2)
    ap.add_argument("--write-weights", action="store_true",
                    help="also write weights.safetensors (module.-prefixed keys, as raft-things.pth); else the"
                         " case names the recipe and the runner rebuilds the same weights bit for bit")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    os.makedirs(a.out, exist_ok=True)

    args = EasyDict(small=False, mixed_precision=False, alternate_corr=False)
    shapes = {k: list(v.shape) for k, v in RAFT(EasyDict(args)).state_dict().items()}
    sd = {"module." + k: v for k, v in recipe_weights(shapes, a.seed, a.gain).items()}
    nparams = sum(p.numel() for p in RAFT(EasyDict(args)).parameters())  # unique: norm3 aliases downsample.1

    DynamicDegree = upstream_dynamic_degree_class()
    dd = DynamicDegree.__new__(DynamicDegree)
    with tempfile.TemporaryDirectory() as tmp:
        # VBench's own loading path: torch.load of a DataParallel checkpoint, 'module.' stripped, strict load
        ckpt = os.path.join(tmp, "raft-things.pth")
        torch.save(sd, ckpt)
        dd.args = EasyDict(model=ckpt, **args)
        dd.device = "cpu"
        dd.load_model()

        video = synthetic_video(a.frames, a.height, a.width, a.speed, a.seed)
        tensors = [torch.from_numpy(f.astype(np.uint8)).permute(2, 0, 1).float()[None] for f in video]
        # stand-in for cv2.VideoCapture in DynamicDegree.get_frames: same interval rule and extract_frame
        interval = max(1, round(a.fps / 8))
        dd.get_frames_from_img_folder = lambda _p: dd.extract_frame(list(tensors), interval)
        flows, scores = [], []
        upstream_get_score = dd.get_score

        def get_score(img, flo):
            flows.append(flo.clone())
            s = upstream_get_score(img, flo)
            scores.append(s)
            return s

        dd.get_score = get_score
        # VBench's infer ties iters=20; other iteration counts go through the same model call
        if a.iters != 20:
            model_call = dd.model.forward
            dd.model.forward = lambda i1, i2, iters=20, **kw: model_call(i1, i2, iters=a.iters, **kw)
        dynamic = dd.infer(tmp)  # a directory: upstream takes the image-folder branch (our stand-in above)
        params = dict(dd.params)

    # per-stage trace of the first sampled pair, same model, same call as infer
    sampled = dd.extract_frame(list(tensors), interval)
    padder = InputPadder(sampled[0].shape)
    i1, i2 = padder.pad(sampled[0], sampled[1])
    rec = {}
    gru_flows = []
    dd.model.fnet.register_forward_hook(lambda m, i, o: rec.setdefault("fnet", o))
    dd.model.cnet.register_forward_hook(lambda m, i, o: rec.setdefault("cnet", o))
    dd.model.update_block.register_forward_hook(lambda m, i, o: gru_flows.append(i[3].clone()))
    raft_module.CorrBlock = RecordingCorrBlock
    with torch.no_grad():
        flow_low, flow_up = dd.model(i1, i2, iters=a.iters, test_mode=True)
    corr = RecordingCorrBlock.last
    assert torch.equal(flow_up, flows[0]), "the traced call differs from infer's first pair"
    flow_iters = torch.stack([f[0] for f in gru_flows[1:]] + [flow_low[0]])

    out = {
        "frames": torch.from_numpy(video),
        "fmap1": rec["fnet"][0], "fmap2": rec["fnet"][1], "cnet": rec["cnet"],
        "corr_lookup_iter0": corr.lookups[0], "corr_lookup_last": corr.lookups[-1],
        "flow_low_iters": flow_iters,
        "flow_up_pairs": torch.cat(flows, 0),
        "pair_scores": torch.tensor(scores, dtype=torch.float64),
        "dynamic": torch.tensor([bool(dynamic)]),
    }
    for lvl, c in enumerate(corr.corr_pyramid):
        out[f"corr_level{lvl}"] = c
    save_file({k: v.contiguous() for k, v in out.items()}, os.path.join(a.out, "golden.safetensors"),
              metadata={"generator": "eval/tools/vbench-golden/gen_raft.py", "vbench": "45e79ec"})
    if a.write_weights:
        save_file(sd, os.path.join(a.out, "weights.safetensors"))

    def ref(key, atol, rtol, **extra):
        d = {"file": "golden.safetensors", "key": key, "tolerance": {"atol": atol, "rtol": rtol}}
        d.update(extra)
        return d

    # tolerances: ~10x the differences measured between torch 1.13 (reference) and libtorch 2.7.1 (the port)
    outputs = {
        "fmap1": ref("fmap1", 2e-5, 1e-4), "fmap2": ref("fmap2", 2e-5, 1e-4), "cnet": ref("cnet", 2e-5, 1e-4),
    }
    for lvl in range(len(corr.corr_pyramid)):
        outputs[f"corr_level{lvl}"] = ref(f"corr_level{lvl}", 2e-4, 1e-5)
    outputs.update({
        "corr_lookup_iter0": ref("corr_lookup_iter0", 2e-4, 1e-5),
        "corr_lookup_last": ref("corr_lookup_last", 5e-4, 1e-4),
        "flow_low_iters": ref("flow_low_iters", 1e-4, 1e-4),
        "flow_up_pairs": ref("flow_up_pairs", 1e-4, 1e-4),
        "pair_scores": ref("pair_scores", 1e-4, 1e-5),
        "dynamic": {"file": "golden.safetensors", "key": "dynamic", "compare": "exact"},
    })
    case = {
        "kind": "vbench_dynamic_degree",
        "precision": "fp32",
        "description": f"VBench dynamic_degree (RAFT, {a.iters} iters) on a {a.frames}x{a.height}x{a.width} synthetic"
                       f" video at {a.fps} fps; upstream VBench @45e79ec code, random weights (seed {a.seed})",
        "config": {"fps": a.fps, "iters": a.iters, "trace_pair": 0, "interval": interval,
                   "padded": list(i1.shape[-2:]), "thres": params["thres"], "count_num": params["count_num"],
                   "params": nparams},
        "weights": "weights.safetensors" if a.write_weights else None,
        "weights_recipe": {"name": RECIPE, "seed": a.seed, "gain": a.gain},
        "inputs": {"frames": {"file": "golden.safetensors", "key": "frames"}},
        "outputs": outputs,
        "reference": {"torch": torch.__version__, "numpy": np.__version__,
                      "python": sys.version.split()[0], "device": "cpu", "dtype": "float32"},
        "values": {"pair_scores": scores, "dynamic": bool(dynamic)},
    }
    if not a.write_weights:
        del case["weights"]
    with open(os.path.join(a.out, "case.json"), "w") as f:
        json.dump(case, f, indent=1)
    print(json.dumps({"out": a.out, "params": nparams, "scores": scores, "dynamic": bool(dynamic),
                      "flow_max": float(torch.cat(flows).abs().max())}))


if __name__ == "__main__":
    main()
