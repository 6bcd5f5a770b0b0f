"""Fixtures for TorchCheckpointTest: real torch.save files and hostile ones, all tiny (< 4 KiB each).

Run (Debian python3-torch 1.13, nothing else): /usr/bin/python3 pipeline-core/tools/pth/make_pth_fixtures.py
Writes pipeline-core/src/test/resources/pth/. The committed files are what the tests pin (byte offsets in the
expected refusal lines included); regenerate only together with the test's expected lines.

Good files are written by torch.save itself; expected.json holds every tensor of them as torch sees it
(dtype, shape, row-major values as exact Python floats/ints) so the Java side asserts values exactly.
Hostile files carry LIVE payloads (they create MARKER when unpickled by torch.load(weights_only=False) or
pickle); main() proves each one live in a subprocess, and proves torch.load(weights_only=True) refuses it, so
a test that finds MARKER absent after the Java reader refused the file shows that nothing ran.
"""
import collections
import io
import json
import os
import pickle
import subprocess
import sys
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "src", "test", "resources", "pth")
MARKER = "/tmp/k5spark-pth-marker"
TOUCH = "touch " + MARKER


class Call:
    """Pickles as fn(*args): the __reduce__ every pickle exploit uses."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return self.fn, self.args


class Rebuild:
    """A hand-made _rebuild_tensor_v2 call, to declare views torch itself would never write."""

    def __init__(self, storage, offset, size, stride):
        self.a = (storage, offset, size, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return torch._utils._rebuild_tensor_v2, self.a


def good():
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8 - 1.25
    sd = collections.OrderedDict()
    sd["f32"] = base
    sd["f32_t"] = base.t()  # stride (1, 6): non-contiguous view of the same storage
    sd["f32_slice"] = base[1:3, 2:5]  # offset 8, stride (6, 1): a view into the middle of the storage
    sd["f32_step"] = base.reshape(-1)[3::5]  # offset 3, stride 5
    sd["f16"] = (torch.linspace(-3, 3, 10) ** 3).to(torch.float16)
    sd["bf16"] = (torch.linspace(-1, 1, 7) * 1000 + 0.123).to(torch.bfloat16).reshape(7, 1)
    sd["f64"] = torch.tensor([1e-300, -2.5, 3.141592653589793], dtype=torch.float64)
    sd["i64"] = torch.tensor([[-(2 ** 62), -1, 0], [1, 2 ** 40, 2 ** 62]], dtype=torch.int64)
    sd["i32"] = torch.tensor([-7, 2 ** 31 - 1], dtype=torch.int32)
    sd["u8"] = torch.tensor([0, 200, 255], dtype=torch.uint8)
    sd["scalar"] = torch.tensor(42.5)
    sd["empty"] = torch.zeros(0, 3)
    sd["param"] = torch.nn.Parameter(torch.tensor([0.5, -0.25]))  # _rebuild_parameter
    return sd


def entry(name, compress=zipfile.ZIP_STORED):
    """A zip entry with a fixed date, so regenerating gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = compress
    return info


def write_zip(path, pkl, storages, compress=zipfile.ZIP_STORED, extra=()):
    with zipfile.ZipFile(path, "w", compress) as z:
        z.writestr(entry("archive/data.pkl", compress), pkl)
        for k, b in storages.items():
            z.writestr(entry("archive/data/" + k, compress), b)
        z.writestr(entry("archive/version", compress), "3\n")
        for name, b in extra:
            z.writestr(entry(name, compress), b)


def fake_storage_pickle(obj, numel=None, protocol=2):
    """Pickles obj the way torch.save does, persistent ids for storages, optionally lying about their numel."""
    storages = {}

    class P(pickle.Pickler):
        def persistent_id(self, o):
            if isinstance(o, torch.storage.TypedStorage):
                key = str(len(storages))
                storages[key] = bytes(o._untyped().cpu().numpy()) if hasattr(o, "_untyped") else bytes(o.untyped())
                return "storage", torch.FloatStorage, key, "cpu", o.size() if numel is None else numel
            return None

    buf = io.BytesIO()
    P(buf, protocol=protocol).dump(obj)
    return buf.getvalue(), storages


def expected_json(sd):
    out = {}
    for k, t in sd.items():
        t = t.detach()
        vals = t.to(torch.float64 if t.is_floating_point() else torch.int64).reshape(-1).tolist()
        out[k] = {"dtype": str(t.dtype), "shape": list(t.shape), "values": vals}
    return out


def rezip(src, dst, edit_pkl=None, drop=None, replace=None, extra=()):
    """Copies a torch.save zip entry by entry (stored), editing data.pkl or an entry on the way."""
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zo:
        for info in zi.infolist():
            b = zi.read(info)
            if info.filename.endswith("/data.pkl") and edit_pkl:
                b = edit_pkl(b)
            if replace and info.filename in replace:
                b = replace[info.filename]
            if drop and info.filename == drop:
                continue
            zo.writestr(entry(info.filename), b)
        for name, b in extra:
            zo.writestr(entry(name), b)


def main():
    os.makedirs(OUT, exist_ok=True)
    p = lambda n: os.path.join(OUT, n)
    sd = good()
    torch.save(sd, p("dtypes.pth"))
    torch.save(sd, p("dtypes_p4.pth"), pickle_protocol=4)  # FRAME, MEMOIZE, SHORT_BINUNICODE, STACK_GLOBAL
    lin = torch.nn.Linear(3, 2)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[1.0, 2.0, 3.0], [-1.0, -2.0, -3.0]]))
        lin.bias.copy_(torch.tensor([0.5, -0.5]))
    # AMT-style wrapper (non-tensor leaves next to it) and a nested sub-dict inside the state_dict
    torch.save({"state_dict": {"enc": lin.state_dict(), "scale": torch.tensor([2.0])}, "epoch": 7, "name": "amt"},
               p("nested.pth"))
    torch.save({"model": lin.state_dict()}, p("model_wrapped.pth"))
    with open(p("expected.json"), "w") as f:
        json.dump({"dtypes": expected_json(sd),
                   "linear": expected_json(lin.state_dict()),
                   "nested": expected_json({"enc.weight": lin.weight, "enc.bias": lin.bias,
                                            "scale": torch.tensor([2.0])})}, f, indent=1, sort_keys=True)

    w = torch.tensor([1.0, 2.0])
    live = {}
    torch.save({"w": w, "x": Call(os.system, TOUCH)}, p("h_posix_system.pth"))  # os.system pickles as posix.system
    rezip(p("h_posix_system.pth"), p("h_os_system.pth"),
          edit_pkl=lambda b: b.replace(b"cposix\nsystem\n", b"cos\nsystem\n"))
    torch.save({"w": w, "x": Call(eval, "open('%s', 'w').close()" % MARKER)}, p("h_builtins_eval.pth"))
    torch.save({"w": w, "x": Call(os.system, TOUCH)}, p("h_stack_global.pth"), pickle_protocol=4)
    # the payload hidden inside an allowed call: _rebuild_tensor_v2(<os.system(...)>, ...)
    torch.save({"w": Rebuild(Call(os.system, TOUCH), 0, (1,), (1,))}, p("h_nested_reduce.pth"))
    # getattr(__import__('os'), 'system')(cmd): three nested reduces, the first global is already refused
    # hand-assembled (a __reduce__ must return a callable): {"w": getattr(__import__("os"), "system")(cmd)}
    u = lambda t: b"X" + len(t).to_bytes(4, "little") + t.encode()
    chain = (b"\x80\x02}(" + u("w") + b"cbuiltins\ngetattr\ncbuiltins\n__import__\n" + u("os") + b"\x85R"
             + u("system") + b"\x86R" + u(TOUCH) + b"\x85Ru.")
    write_zip(p("h_getattr_chain.pth"), chain, {})
    for n in ["h_posix_system.pth", "h_os_system.pth", "h_builtins_eval.pth", "h_stack_global.pth",
              "h_nested_reduce.pth", "h_getattr_chain.pth"]:
        live[n] = True
    # REDUCE of an allowed global that is not a state_dict call: OrderedDict(<items>) and FloatStorage(...)
    torch.save({"w": w, "x": Call(collections.OrderedDict, [("k", "v")])}, p("h_reduce_ordereddict.pth"))
    torch.save({"w": w, "x": Call(torch.FloatStorage, 4)}, p("h_reduce_storage.pth"))
    torch.save({"lin": lin}, p("h_whole_module.pth"))  # torch.save(model): a class global
    torch.save({"w": w, "tags": {"a"}}, p("h_set_opcode.pth"), pickle_protocol=4)
    torch.save({"a": w, "b": w * 2}, p("h_dup_key_src.pth"))
    rezip(p("h_dup_key_src.pth"), p("h_duplicate_key.pth"),
          edit_pkl=lambda b: b.replace(b"X\x01\x00\x00\x00b", b"X\x01\x00\x00\x00a"))
    os.remove(p("h_dup_key_src.pth"))
    rezip(p("model_wrapped.pth"), p("h_duplicate_entry.pth"), extra=[("model_wrapped/data/0", b"\0" * 24)])
    # storages whose declared size does not match their entry
    rezip(p("model_wrapped.pth"), p("h_short_storage.pth"), replace={"model_wrapped/data/0": b"\0" * 8})
    pkl, st = fake_storage_pickle({"w": torch.tensor([1.0, 2.0])}, numel=1 << 61)
    write_zip(p("h_huge_numel.pth"), pkl, st)
    s4 = torch.tensor([1.0, 2.0, 3.0, 4.0]).storage()
    pkl, st = fake_storage_pickle({"w": Rebuild(s4, 0, (1 << 40,), (1,))})
    write_zip(p("h_view_beyond.pth"), pkl, st)
    pkl, st = fake_storage_pickle({"w": Rebuild(s4, 0, (1 << 32, 1 << 32), (1 << 32, 1))})
    write_zip(p("h_view_overflow.pth"), pkl, st)
    # a zip bomb: 16 MiB of zeros deflated to a few KiB
    pkl, st = fake_storage_pickle({"w": torch.zeros(1 << 22)})
    write_zip(p("h_zip_bomb.pth"), pkl, st, compress=zipfile.ZIP_DEFLATED)
    with open(p("dtypes.pth"), "rb") as f:
        whole = f.read()
    with open(p("h_truncated.pth"), "wb") as f:
        f.write(whole[: len(whole) // 2])
    torch.save(lin.state_dict(), p("h_legacy.pth"), _use_new_zipfile_serialization=False)
    # TorchScript: data.pkl pickles the module tree (__torch__ classes, NEWOBJ, BUILD); read as data, code/ ignored
    torch.jit.save(torch.jit.script(lin), p("script_linear.pt"))
    # ... but a TorchScript archive is no licence for other globals
    rezip(p("h_posix_system.pth"), p("h_script_posix.pt"), extra=[("h_posix_system/constants.pkl", b"\x80\x02).")])

    for n in live:
        check_live(p(n))
    for n in sorted(os.listdir(OUT)):
        if n.startswith("h_") and n not in ("h_truncated.pth",):
            try:
                torch.load(p(n), weights_only=True)
                print("weights_only=True LOADED", n)  # the Java reader is stricter where it refuses these
            except Exception as e:  # noqa: BLE001 - any refusal is what we want to see
                print("weights_only=True refuses %-26s %s" % (n, str(e).splitlines()[0][:90]))


def check_live(path):
    if os.path.exists(MARKER):
        os.remove(MARKER)
    code = "import torch, sys\ntry:\n torch.load(sys.argv[1], weights_only=False)\nexcept Exception:\n pass\n"
    subprocess.run([sys.executable, "-c", code, path], check=True, capture_output=True)
    if not os.path.exists(MARKER):
        raise SystemExit("payload of %s did not run under torch.load(weights_only=False)" % path)
    os.remove(MARKER)
    print("live payload (runs under weights_only=False):", os.path.basename(path))


if __name__ == "__main__":
    main()
