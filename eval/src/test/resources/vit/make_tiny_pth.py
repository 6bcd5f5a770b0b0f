"""The tiny towers of make_tiny_vit.py as VBench ships its checkpoints: torch.save files under VBench's names and
cache layout (~/.cache/vbench), keys exactly as in the original state_dicts, for the test that `k5 metrics
--weights-dir` gives the same numbers from them as from the converted safetensors.

Run: PYTHONPATH=../../../../../shared/golden/tools /usr/bin/python3 make_tiny_pth.py  (Debian python3-torch 1.13)
Writes vbench/dino_model/dino_vitbase16_pretrain.pth (the DINO tower of dino_tiny.safetensors, a plain
state_dict as facebookresearch/dino's hub file is) and vbench/aesthetic_model/emb_reader/sa_0_4_vit_l_14_linear.pth
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

    os.makedirs(os.path.join(HERE, "hostile"), exist_ok=True)
    torch.save({"cls_token": sd["cls_token"], "x": Call(os.system, "touch /tmp/k5spark-pth-marker")},
               os.path.join(HERE, "hostile", "dino_vitbase16_pretrain.pth"))


class Call:
    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return self.fn, self.args


if __name__ == "__main__":
    main()
