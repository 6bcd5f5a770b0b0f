"""Tiny random ViT towers (DINO and OpenAI-CLIP key layouts) and their NumPy reference outputs.

Independent NumPy port of the forward passes (facebookresearch/dino vision_transformer.py; openai/CLIP
model.py VisionTransformer), including DINO's bicubic interpolate_pos_encoding for a non-square grid.
Run: python3 make_tiny_vit.py  (needs numpy and safetensors_io.py from shared/golden/tools on PYTHONPATH).
Writes dino_tiny.safetensors, clip_tiny.safetensors and cases.safetensors next to this file.
"""
import math
import os

import numpy as np
from safetensors_io import save_file

rng = np.random.default_rng(1234)
HERE = os.path.dirname(os.path.abspath(__file__))
W, P, G, L, HEADS, MLP, OUT = 32, 4, 3, 2, 2, 64, 16


def rnd(*shape, scale=0.2):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def quick_gelu(x):
    return x / (1 + np.exp(-1.702 * x))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def cubic(x, a=-0.75):
    x = abs(x)
    if x <= 1:
        return ((a + 2) * x - (a + 3)) * x * x + 1
    if x < 2:
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return 0.0


def bicubic(img, out_h, out_w, scale_h, scale_w):
    """torch F.interpolate(mode='bicubic', align_corners=False) with given coordinate scales; img (C,H,W)."""
    c, h, w = img.shape
    out = np.zeros((c, out_h, out_w), np.float64)
    for oy in range(out_h):
        ry = scale_h * (oy + 0.5) - 0.5
        y0 = math.floor(ry)
        for ox in range(out_w):
            rx = scale_w * (ox + 0.5) - 0.5
            x0 = math.floor(rx)
            acc = np.zeros(c)
            for ky in range(-1, 3):
                wy = cubic(ry - (y0 + ky))
                yy = min(max(y0 + ky, 0), h - 1)
                for kx in range(-1, 3):
                    wx = cubic(rx - (x0 + kx))
                    xx = min(max(x0 + kx, 0), w - 1)
                    acc += wy * wx * img[:, yy, xx]
            out[:, oy, ox] = acc
    return out.astype(np.float32)


def patchify(x, conv_w, conv_b):
    b, _, h, w = x.shape
    gh, gw = h // P, w // P
    out = np.zeros((b, gh * gw, conv_w.shape[0]), np.float32)
    for i in range(gh):
        for j in range(gw):
            patch = x[:, :, i * P:(i + 1) * P, j * P:(j + 1) * P].reshape(b, -1)
            out[:, i * gw + j] = patch @ conv_w.reshape(conv_w.shape[0], -1).T
    if conv_b is not None:
        out += conv_b
    return out, gh, gw


def attention(x, qkv_w, qkv_b, out_w, out_b):
    b, t, w = x.shape
    hd = w // HEADS
    qkv = (x @ qkv_w.T + qkv_b).reshape(b, t, 3, HEADS, hd).transpose(2, 0, 3, 1, 4)
    q, k, v = qkv[0], qkv[1], qkv[2]
    a = softmax(q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd))
    o = (a @ v).transpose(0, 2, 1, 3).reshape(b, t, w)
    return o @ out_w.T + out_b


def dino_weights():
    t = {"patch_embed.proj.weight": rnd(W, 3, P, P), "patch_embed.proj.bias": rnd(W),
         "cls_token": rnd(1, 1, W), "pos_embed": rnd(1, 1 + G * G, W),
         "norm.weight": 1 + rnd(W), "norm.bias": rnd(W)}
    for i in range(L):
        p = f"blocks.{i}."
        t.update({p + "norm1.weight": 1 + rnd(W), p + "norm1.bias": rnd(W),
                  p + "attn.qkv.weight": rnd(3 * W, W), p + "attn.qkv.bias": rnd(3 * W),
                  p + "attn.proj.weight": rnd(W, W), p + "attn.proj.bias": rnd(W),
                  p + "norm2.weight": 1 + rnd(W), p + "norm2.bias": rnd(W),
                  p + "mlp.fc1.weight": rnd(MLP, W), p + "mlp.fc1.bias": rnd(MLP),
                  p + "mlp.fc2.weight": rnd(W, MLP), p + "mlp.fc2.bias": rnd(W)})
    return t


def dino_forward(t, x):
    eps = 1e-6
    h, w = x.shape[2], x.shape[3]
    tok, gh, gw = patchify(x, t["patch_embed.proj.weight"], t["patch_embed.proj.bias"])
    cls = np.broadcast_to(t["cls_token"], (x.shape[0], 1, W))
    tok = np.concatenate([cls, tok], 1)
    pos = t["pos_embed"]
    if gh != G or gw != G:
        grid = pos[0, 1:].reshape(G, G, W).transpose(2, 0, 1)
        # dino: scale_factor=(w0 / sqrt(N), h0 / sqrt(N)) with its "w" = image dim 2 (rows), +0.1 each
        sf_h, sf_w = (gh + 0.1) / G, (gw + 0.1) / G
        out = bicubic(grid, int(G * sf_h), int(G * sf_w), 1 / sf_h, 1 / sf_w)
        assert out.shape[1:] == (gh, gw)
        pos = np.concatenate([pos[:, :1], out.transpose(1, 2, 0).reshape(1, -1, W)], 1)
    tok = tok + pos
    for i in range(L):
        p = f"blocks.{i}."
        tok = tok + attention(layer_norm(tok, t[p + "norm1.weight"], t[p + "norm1.bias"], eps),
                              t[p + "attn.qkv.weight"], t[p + "attn.qkv.bias"],
                              t[p + "attn.proj.weight"], t[p + "attn.proj.bias"])
        hdn = layer_norm(tok, t[p + "norm2.weight"], t[p + "norm2.bias"], eps)
        hdn = gelu(hdn @ t[p + "mlp.fc1.weight"].T + t[p + "mlp.fc1.bias"])
        tok = tok + hdn @ t[p + "mlp.fc2.weight"].T + t[p + "mlp.fc2.bias"]
    return layer_norm(tok, t["norm.weight"], t["norm.bias"], eps)[:, 0]


def clip_weights():
    v = "visual."
    t = {v + "conv1.weight": rnd(W, 3, P, P), v + "class_embedding": rnd(W),
         v + "positional_embedding": rnd(1 + G * G, W),
         v + "ln_pre.weight": 1 + rnd(W), v + "ln_pre.bias": rnd(W),
         v + "ln_post.weight": 1 + rnd(W), v + "ln_post.bias": rnd(W), v + "proj": rnd(W, OUT),
         "logit_scale": np.array(4.6, np.float32)}
    for i in range(L):
        p = f"{v}transformer.resblocks.{i}."
        t.update({p + "ln_1.weight": 1 + rnd(W), p + "ln_1.bias": rnd(W),
                  p + "attn.in_proj_weight": rnd(3 * W, W), p + "attn.in_proj_bias": rnd(3 * W),
                  p + "attn.out_proj.weight": rnd(W, W), p + "attn.out_proj.bias": rnd(W),
                  p + "ln_2.weight": 1 + rnd(W), p + "ln_2.bias": rnd(W),
                  p + "mlp.c_fc.weight": rnd(MLP, W), p + "mlp.c_fc.bias": rnd(MLP),
                  p + "mlp.c_proj.weight": rnd(W, MLP), p + "mlp.c_proj.bias": rnd(W)})
    return t


VOCAB, CTX = 10, 6  # tiny text tower; ids 8 = start, 9 = end (the largest id, as 49406/49407 in CLIP)


def add_clip_text(t):
    t.update({"token_embedding.weight": rnd(VOCAB, W), "positional_embedding": rnd(CTX, W),
              "ln_final.weight": 1 + rnd(W), "ln_final.bias": rnd(W), "text_projection": rnd(W, OUT)})
    for i in range(L):
        p = f"transformer.resblocks.{i}."
        t.update({p + "ln_1.weight": 1 + rnd(W), p + "ln_1.bias": rnd(W),
                  p + "attn.in_proj_weight": rnd(3 * W, W), p + "attn.in_proj_bias": rnd(3 * W),
                  p + "attn.out_proj.weight": rnd(W, W), p + "attn.out_proj.bias": rnd(W),
                  p + "ln_2.weight": 1 + rnd(W), p + "ln_2.bias": rnd(W),
                  p + "mlp.c_fc.weight": rnd(MLP, W), p + "mlp.c_fc.bias": rnd(MLP),
                  p + "mlp.c_proj.weight": rnd(W, MLP), p + "mlp.c_proj.bias": rnd(W)})


def clip_text_forward(t, ids):
    """openai/CLIP encode_text: causal mask, ln_final, features at argmax(ids) (the end token), @ text_projection."""
    eps = 1e-5
    x = t["token_embedding.weight"][ids] + t["positional_embedding"]
    mask = np.triu(np.full((CTX, CTX), -np.inf, np.float32), 1)
    for i in range(L):
        p = f"transformer.resblocks.{i}."
        h = layer_norm(x, t[p + "ln_1.weight"], t[p + "ln_1.bias"], eps)
        b, n, w = h.shape
        hd = w // HEADS
        qkv = (h @ t[p + "attn.in_proj_weight"].T + t[p + "attn.in_proj_bias"]).reshape(b, n, 3, HEADS, hd)
        qkv = qkv.transpose(2, 0, 3, 1, 4)
        a = softmax(qkv[0] @ qkv[1].transpose(0, 1, 3, 2) / math.sqrt(hd) + mask)
        o = (a @ qkv[2]).transpose(0, 2, 1, 3).reshape(b, n, w)
        x = x + o @ t[p + "attn.out_proj.weight"].T + t[p + "attn.out_proj.bias"]
        h = layer_norm(x, t[p + "ln_2.weight"], t[p + "ln_2.bias"], eps)
        h = quick_gelu(h @ t[p + "mlp.c_fc.weight"].T + t[p + "mlp.c_fc.bias"])
        x = x + h @ t[p + "mlp.c_proj.weight"].T + t[p + "mlp.c_proj.bias"]
    x = layer_norm(x, t["ln_final.weight"], t["ln_final.bias"], eps)
    return x[np.arange(ids.shape[0]), ids.argmax(-1)] @ t["text_projection"]


def clip_forward(t, x):
    eps = 1e-5
    v = "visual."
    tok, _, _ = patchify(x, t[v + "conv1.weight"], None)
    cls = np.broadcast_to(t[v + "class_embedding"], (x.shape[0], 1, W))
    tok = np.concatenate([cls, tok], 1) + t[v + "positional_embedding"]
    tok = layer_norm(tok, t[v + "ln_pre.weight"], t[v + "ln_pre.bias"], eps)
    for i in range(L):
        p = f"{v}transformer.resblocks.{i}."
        tok = tok + attention(layer_norm(tok, t[p + "ln_1.weight"], t[p + "ln_1.bias"], eps),
                              t[p + "attn.in_proj_weight"], t[p + "attn.in_proj_bias"],
                              t[p + "attn.out_proj.weight"], t[p + "attn.out_proj.bias"])
        hdn = layer_norm(tok, t[p + "ln_2.weight"], t[p + "ln_2.bias"], eps)
        hdn = quick_gelu(hdn @ t[p + "mlp.c_fc.weight"].T + t[p + "mlp.c_fc.bias"])
        tok = tok + hdn @ t[p + "mlp.c_proj.weight"].T + t[p + "mlp.c_proj.bias"]
    return layer_norm(tok[:, 0], t[v + "ln_post.weight"], t[v + "ln_post.bias"], eps) @ t[v + "proj"]


def main():
    dino, clip = dino_weights(), clip_weights()
    add_clip_text(clip)
    cases = {}
    sq = rnd(2, 3, G * P, G * P, scale=1.0)
    tall = rnd(2, 3, 4 * P + 2, 2 * P + 1, scale=1.0)  # 18x9: grid 4x2 after the strided conv drops the rest
    wide = rnd(1, 3, 2 * P, 5 * P, scale=1.0)  # grid 2x5
    cases["dino_square_in"], cases["dino_square_out"] = sq, dino_forward(dino, sq)
    cases["dino_tall_in"], cases["dino_tall_out"] = tall, dino_forward(dino, tall[:, :, :4 * P, :2 * P])
    cases["dino_wide_in"], cases["dino_wide_out"] = wide, dino_forward(dino, wide)
    cases["clip_square_in"], cases["clip_square_out"] = sq, clip_forward(clip, sq)
    ids = np.array([[8, 3, 4, 9, 0, 0], [8, 5, 9, 0, 0, 0], [8, 1, 2, 3, 4, 9]], np.int64)
    cases["clip_text_ids"], cases["clip_text_out"] = ids, clip_text_forward(clip, ids)
    save_file(dino, os.path.join(HERE, "dino_tiny.safetensors"))
    save_file(clip, os.path.join(HERE, "clip_tiny.safetensors"))
    save_file({k: np.ascontiguousarray(v, v.dtype if v.dtype == np.int64 else np.float32) for k, v in cases.items()},
              os.path.join(HERE, "cases.safetensors"))


if __name__ == "__main__":
    main()
