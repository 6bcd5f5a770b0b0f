"""The tiny towers of make_tiny_vit.py as VBench ships its checkpoints: torch.save files under VBench's names and
cache layout (~/.cache/vbench), keys exactly as in the original state_dicts, for the test that `k5 metrics
--weights-dir` gives the same numbers from them as from the converted safetensors.

Run: PYTHONPATH=../../../../../shared/golden/tools /usr/bin/python3 make_tiny_pth.py  (Debian python3-torch 1.13)
Writes vbench/dino_model/dino_vitbase16_pretrain.pth (the DINO tower of dino_tiny.safetensors, a plain
state_dict as facebookresearch/dino's hub file is), vbench/clip_model/ViT-B-32.pt and ViT-L-14.pt (the tiny CLIP
of clip_tiny.safetensors as TorchScript archives, as OpenAI's are) and vbench/aesthetic_model/emb_reader/sa_0_4_vit_l_14_linear.pth
(LAION's head: the state_dict of nn.Linear(16, 1) with weight (i % 3 - 1) * 5 and bias 5, the values
ModelMetricsTest writes as safetensors). hostile/dino_vitbase16_pretrain.pth is a DINO-named file whose pickle
would run `touch /tmp/k5spark-pth-marker` under torch.load(weights_only=False) (pipeline-core's
tools/pth/make_pth_fixtures.py proves payloads of this form live).
"""
import collections
import os

import torch
from safetensors_io import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "vbench")


def main():
    dino = load_file(os.path.join(HERE, "dino_tiny.safetensors"))
    sd = collections.OrderedDict((k, torch.from_numpy(v.copy())) for k, v in sorted(dino.items()))
    os.makedirs(os.path.join(OUT, "dino_model"), exist_ok=True)
    torch.save(sd, os.path.join(OUT, "dino_model", "dino_vitbase16_pretrain.pth"))
    head = torch.nn.Linear(16, 1)
    with torch.no_grad():
        head.weight.copy_(torch.tensor([[(i % 3 - 1) * 5.0 for i in range(16)]]))
        head.bias.fill_(5.0)
    os.makedirs(os.path.join(OUT, "aesthetic_model", "emb_reader"), exist_ok=True)
    torch.save(head.state_dict(), os.path.join(OUT, "aesthetic_model", "emb_reader", "sa_0_4_vit_l_14_linear.pth"))

    # OpenAI CLIP ships TorchScript (.pt, torch.jit.save): the module tree with the state_dict's dotted names,
    # plus the input_resolution/context_length/vocab_size scalars build_model() deletes and the text tower's
    # attn_mask attributes; stand-in modules with those names, scripted (the code has no forward to compile)
    clip = load_file(os.path.join(HERE, "clip_tiny.safetensors"))
    root = torch.nn.Module()
    for k, v in sorted(clip.items()):
        leaf(root, k, torch.nn.Parameter(torch.from_numpy(v.copy()), requires_grad=False))
    for k, v in {"input_resolution": 12, "context_length": 6, "vocab_size": 10}.items():
        leaf(root, k, torch.tensor(v))
    for i in range(2):
        leaf(root, "transformer.resblocks.%d.attn_mask" % i, torch.full((6, 6), float("-inf")).triu(1))
    os.makedirs(os.path.join(OUT, "clip_model"), exist_ok=True)
    for name in ["ViT-B-32.pt", "ViT-L-14.pt"]:
        torch.jit.save(torch.jit.script(root), os.path.join(OUT, "clip_model", name))
    os.makedirs(os.path.join(HERE, "hostile"), exist_ok=True)
    torch.save({"cls_token": sd["cls_token"], "x": Call(os.system, "touch /tmp/k5spark-pth-marker")},
               os.path.join(HERE, "hostile", "dino_vitbase16_pretrain.pth"))


def leaf(root, key, value):
    *path, name = key.split(".")
    m = root
    for p in path:
        if not hasattr(m, p):
            m.add_module(p, torch.nn.Module())
        m = getattr(m, p)
    if isinstance(value, torch.nn.Parameter):
        m.register_parameter(name, value)
    elif name == "attn_mask":
        setattr(m, name, value)  # a plain tensor attribute, as CLIP's ResidualAttentionBlock has it
    else:
        m.register_buffer(name, value)


class Call:
    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return self.fn, self.args


if __name__ == "__main__":
    main()
