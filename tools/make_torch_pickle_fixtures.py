"""Writes the torch.save fixtures the Java state-dict reader tests read (nn/src/test/resources/checkpoint/torch/).

    /usr/bin/python3 tools/make_torch_pickle_fixtures.py      # PyTorch 1.13 (Debian's python3-torch)

Every fixture is deterministic (seeded) except for the keys torch gives legacy storages (their ids in memory).

<name>.pt
    Written by torch itself: torch.save(...) of module state dicts (GRU, LSTM with proj_size, Linear, Embedding),
    a nested composite with buffers, tied weights, view and dtype cases, the legacy format
    (_use_new_zipfile_serialization=False), pickle protocols 4 and 5, Parameters (keep_vars=True), a training
    checkpoint dict with scalars, and one written to a buffer (top folder 'archive'). A few are rewritten by hand
    from torch's output: byteorder 'big' (storages byte-swapped), ZIP64 records, and deflated entries.
<name>.expected.safetensors
    What torch holds after torch.load(<name>.pt), written by tools/safetensors_io.py, for each state-dict name N
    in order: tensor N (contiguous, same dtype, the exact bytes), and N|f32 (torch's .to(torch.float32)) for a
    floating tensor or N|i64 (.to(torch.int64)) for an integer one. Metadata:
        layout|N    "storage=<i> offset=<o> stride=<s0,s1,...> storage_numel=<n>" (i numbers the distinct storages
                    in order of first use, so tied names share an i)
        meta|P      the scalar leaf at flattened path P (str, repr of int/float, True/False/None)
        version|P   the 'version' of the module at prefix P in the state dict's _metadata
        format      TORCH_ZIP or TORCH_LEGACY
refused/<name>.pt and refused.expected.txt
    Files torch writes that the reader must refuse (TorchScript archive, whole pickled module, a bare tensor, a
    numpy array), one "<file>\t<text the message must contain>" line each.
hostile/<name>.pt and hostile.expected.txt
    Hand-built hostile files (code-execution gadgets, memo abuse, deep nesting, huge length fields, storages
    shorter than their tensors, broken zips, truncations), same manifest format.
"""

import io
import os
import pickle
import struct
import subprocess  # noqa: F401  (pickled by reference in a gadget, never called)
import sys
import zipfile

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "src", "test",
                                    "resources", "checkpoint", "torch"))


# ----------------------------------------------------------------------------------------------------------------
# Expected values
# ----------------------------------------------------------------------------------------------------------------

def py_repr(v):
    if v is None or isinstance(v, (bool, int, float)):
        return repr(v)
    if isinstance(v, str):
        return v
    if isinstance(v, torch.dtype):
        return str(v)
    raise TypeError("no scalar rendering for %r" % (v,))


def flatten(obj, prefix, tensors, meta, versions):
    """The reader's documented flattening: dicts and lists/tuples become dotted paths, tensors entries, scalars meta."""
    def join(p, k):
        return k if p == "" else (p if k == "" else p + "." + k)
    if isinstance(obj, torch.Tensor):
        tensors[prefix] = obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            flatten(v, join(prefix, str(k)), tensors, meta, versions)
        for p, d in getattr(obj, "_metadata", {}).items():
            if isinstance(d.get("version"), int):
                versions[join(prefix, p)] = d["version"]
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            flatten(v, join(prefix, str(i)), tensors, meta, versions)
    else:
        meta[prefix] = py_repr(obj)


def write_expected(name, path, fmt):
    loaded = torch.load(path)
    tensors, meta, versions = {}, {}, {}
    flatten(loaded, "", tensors, meta, versions)
    out, md, storages = {}, {"format": fmt}, []
    for n, t in tensors.items():
        t = t.detach()
        ptr = t.storage().data_ptr() if t.storage().size() > 0 else ("empty", n)
        if ptr not in storages:
            storages.append(ptr)
        md["layout|" + n] = "storage=%d offset=%d stride=%s storage_numel=%d" % (
            storages.index(ptr), t.storage_offset(), ",".join(str(s) for s in t.stride()), t.storage().size())
        out[n] = t.contiguous()
        if t.is_floating_point():
            out[n + "|f32"] = t.to(torch.float32).contiguous()
        else:
            out[n + "|i64"] = t.to(torch.int64).contiguous()
    for k, v in meta.items():
        md["meta|" + k] = v
    for k, v in versions.items():
        md["version|" + k] = str(v)
    save_file(out, os.path.join(OUT, name + ".expected.safetensors"), metadata=md)


def fixture(name, obj, fmt="TORCH_ZIP", **save_args):
    path = os.path.join(OUT, name + ".pt")
    torch.save(obj, path, **save_args)
    write_expected(name, path, fmt)
    return path


# ----------------------------------------------------------------------------------------------------------------
# Models and tensors
# ----------------------------------------------------------------------------------------------------------------

class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(5, 6, batch_first=True)
        self.norm = nn.BatchNorm1d(6)


class CharModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(12, 5)
        self.encoder = Encoder()
        self.head = nn.Sequential(nn.Linear(6, 6), nn.ReLU(), nn.Linear(6, 12, bias=False))
        self.register_buffer("scale", torch.tensor([0.5, 2.0]))


class TiedModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(7, 4)
        self.rnn = nn.LSTM(4, 4)
        self.decoder = nn.Linear(4, 7)
        self.decoder.weight = self.embed.weight


def view_cases(g):
    w = torch.randn(4, 6, generator=g)
    cube = torch.randn(2, 3, 4, generator=g)
    return {
        "base": w,
        "transposed": w.t(),
        "offset_slice": w[1:3],
        "strided": w[:, ::3],
        "column": w[:, 2],
        "element": w[2, 5],
        "expanded": torch.randn(3, generator=g).expand(2, 3),
        "permuted": cube.permute(2, 0, 1),
        "narrowed": cube[:, 1:, 1::2],
        "scalar": torch.tensor(-2.5),
        "empty": torch.zeros(0, 3),
        "empty_view": w[4:],
    }


def dtype_cases(g):
    return {
        "f32": torch.tensor([1.5, -0.0, float("inf"), float("nan"), 1e-45, 3.4028235e38]),
        "f64": torch.tensor([[0.1, -1.0 / 3.0], [1e-40, 3.4e38], [2.0 ** -150, 1e300]], dtype=torch.float64),
        "f16": torch.tensor([0.5, -65504.0, 6.1e-5, 5.96e-8, float("-inf"), -0.0], dtype=torch.float16),
        "bf16": torch.tensor([[1.0, -3.0e38], [1.17e-38, 0.333]], dtype=torch.bfloat16),
        "i64": torch.tensor([5, -(2 ** 63), 2 ** 63 - 1], dtype=torch.int64),
        "i32": torch.tensor([[7, -8], [2 ** 31 - 1, -(2 ** 31)]], dtype=torch.int32),
        "i16": torch.tensor([-32768, 32767, -1], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, -1], dtype=torch.int8),
        "u8": torch.tensor([0, 1, 128, 255], dtype=torch.uint8),
        "bool": torch.tensor([[True, False], [False, True]]),
        "i64_transposed": torch.arange(6).reshape(2, 3).t(),
        "f16_strided": torch.randn(8, generator=g).to(torch.float16)[1::3],
    }


# ----------------------------------------------------------------------------------------------------------------
# Zip rewriting (byteorder, ZIP64, deflate)
# ----------------------------------------------------------------------------------------------------------------

def read_zip(path):
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def write_zip(path, entries, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        for n, data in entries:
            z.writestr(zipfile.ZipInfo(n, date_time=(2024, 1, 1, 0, 0, 0)), data, compress_type=compression)


def big_endian_copy(src, dst, name):
    """torch 2.1+ writes a byteorder record; a file from a big-endian machine has storages in big-endian order."""
    root = read_zip(src)[0][0].split("/")[0]
    elem = {}  # storage key -> element size, from the pickle's persistent ids

    class Probe(pickle.Unpickler):
        def persistent_load(self, pid):
            elem[pid[2]] = pid[1](0).element_size()
            return pid[1](0)

        def find_class(self, mod, n):
            if mod == "torch._utils" and n == "_rebuild_tensor_v2":
                return lambda *a: None
            return super().find_class(mod, n)

    entries = read_zip(src)
    Probe(io.BytesIO(dict(entries)[root + "/data.pkl"])).load()
    out = []
    for n, data in entries:
        key = n[len(root) + len("/data/"):] if n.startswith(root + "/data/") else None
        if key is not None:
            size = elem[key]
            data = b"".join(data[i:i + size][::-1] for i in range(0, len(data), size))
        out.append((n, data))
        if n == root + "/data.pkl":
            out.append((root + "/byteorder", b"big"))
    write_zip(dst, out)
    write_expected(name, src, "TORCH_ZIP")


def zip64_copy(src, dst):
    """A ZIP64 archive by hand: every size and offset in the ZIP64 extra fields, ZIP64 end records."""
    entries = read_zip(src)
    root = entries[0][0].split("/")[0]
    entries.insert(1, (root + "/byteorder", b"little"))
    body, central = bytearray(), bytearray()
    for n, data in entries:
        name = n.encode()
        crc = zipfile.crc32(data) & 0xFFFFFFFF
        offset = len(body)
        local_extra = struct.pack("<HHQQ", 1, 16, len(data), len(data))
        body += struct.pack("<IHHHHHIIIHH", 0x04034b50, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                            len(name), len(local_extra)) + name + local_extra + data
        extra = struct.pack("<HHQQQ", 1, 24, len(data), len(data), offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 45, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF,
                               0xFFFFFFFF, len(name), len(extra), 0, 0, 0, 0, 0xFFFFFFFF) + name + extra
    cd_offset, cd_size = len(body), len(central)
    out = body + central
    zip64_end = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, len(entries), len(entries), cd_size, cd_offset)
    out += struct.pack("<IIQI", 0x07064b50, 0, zip64_end, 1)
    out += struct.pack("<IHHHHIIH", 0x06054b50, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    with open(dst, "wb") as f:
        f.write(bytes(out))


# ----------------------------------------------------------------------------------------------------------------
# Hand-built pickles
# ----------------------------------------------------------------------------------------------------------------

def uni(s):
    b = s.encode("utf-8")
    return b"X" + struct.pack("<I", len(b)) + b


def glob(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def integer(n):
    if 0 <= n < 256:
        return b"K" + bytes([n])
    if -2 ** 31 <= n < 2 ** 31:
        return b"J" + struct.pack("<i", n)
    raw = pickle.encode_long(n)
    return b"\x8a" + bytes([len(raw)]) + raw


def tup(items):
    return b"(" + b"".join(items) + b"t"


def tensor(key, numel, offset, size, stride, storage="FloatStorage", location="cpu", extra_args=b""):
    pid = tup([uni("storage"), glob("torch", storage), uni(key), uni(location), integer(numel)])
    args = [pid + b"Q", integer(offset), tup([integer(s) for s in size]), tup([integer(s) for s in stride]),
            b"\x89", glob("collections", "OrderedDict") + b")R"]
    return glob("torch._utils", "_rebuild_tensor_v2") + b"(" + b"".join(args) + extra_args + b"tR"


def state_dict(items):
    """{name: value-pickle} as an OrderedDict pickle, protocol 2."""
    body = b"".join(uni(k) + v for k, v in items)
    return b"\x80\x02" + glob("collections", "OrderedDict") + b")R(" + body + b"u."


def torch_zip(pkl, storages=(), root="archive", extra=()):
    buf = io.BytesIO()
    entries = [(root + "/data.pkl", pkl)] + [(root + "/data/" + k, v) for k, v in storages] \
        + [(root + "/version", b"3\n")] + list(extra)
    with zipfile.ZipFile(buf, "w") as z:
        for n, data in entries:
            z.writestr(zipfile.ZipInfo(n, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


F32_6 = struct.pack("<6f", 1, 2, 3, 4, 5, 6)
VALID_PKL = state_dict([("w", tensor("0", 6, 0, (2, 3), (3, 1)))])
VALID = torch_zip(VALID_PKL, [("0", F32_6)])


class Gadget:
    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def gadget(func, args, protocol=2):
    return pickle.dumps({"w": Gadget(func, args)}, protocol=protocol)


def nested_lists(depth):
    return b"\x80\x02}(" + uni("x") + b"]" * depth + b"a" * (depth - 1) + b"u."


def with_central_directory_edit(blob, edit):
    """Applies edit(bytearray, cd_offset, eocd_offset) to a copy of a zip."""
    out = bytearray(blob)
    eocd = out.rfind(b"PK\x05\x06")
    cd = struct.unpack_from("<I", out, eocd + 16)[0]
    edit(out, cd, eocd)
    return bytes(out)


def duplicate_entry():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, data in [("archive/data.pkl", VALID_PKL), ("archive/data/0", F32_6), ("archive/data/0", F32_6),
                        ("archive/version", b"3\n")]:
            z.writestr(zipfile.ZipInfo(n, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


def overlapping_entries():
    """Two central records (data/0 and data/1) pointing at the same local entry: one byte range read twice."""
    pkl = state_dict([("a", tensor("0", 6, 0, (6,), (1,))), ("b", tensor("1", 6, 0, (6,), (1,)))])
    blob = torch_zip(pkl, [("0", F32_6), ("1", F32_6)])

    def edit(out, cd, eocd):
        offsets = []
        p = cd
        while p < eocd:
            n, m, k = struct.unpack_from("<HHH", out, p + 28)
            offsets.append(p)
            p += 46 + n + m + k
        local_of_data0 = struct.unpack_from("<I", out, offsets[1] + 42)[0]
        struct.pack_into("<I", out, offsets[2] + 42, local_of_data0)
    return with_central_directory_edit(blob, edit)


def legacy(obj_pickle, keys, storages, magic=0x1950a86a20f9469cfc6c, proto_version=1001):
    out = pickle.dumps(magic, protocol=2) + pickle.dumps(proto_version, protocol=2)
    out += pickle.dumps({"protocol_version": proto_version, "little_endian": True,
                         "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=2)
    out += obj_pickle + pickle.dumps(keys, protocol=2)
    for numel, data in storages:
        out += struct.pack("<q", numel) + data
    return out


def legacy_tensor(key, numel, offset, size, stride):
    pid = tup([uni("storage"), glob("torch", "FloatStorage"), uni(key), uni("cpu"), integer(numel), b"N"])
    args = [pid + b"Q", integer(offset), tup([integer(s) for s in size]), tup([integer(s) for s in stride]),
            b"\x89", glob("collections", "OrderedDict") + b")R"]
    return glob("torch._utils", "_rebuild_tensor_v2") + b"(" + b"".join(args) + b"tR"


LEGACY_PKL = state_dict([("w", legacy_tensor("140", 6, 0, (2, 3), (3, 1)))])


def hostile_cases():
    """(file name, bytes, text the refusal message must contain)."""
    cases = [
        # Code execution and object construction: refused at the global, before any storage is looked for
        # (the zips hold no storage entries, so a later refusal would name a missing entry instead).
        ("posix-system-gadget", torch_zip(gadget(os.system, ("echo pwned",))), "'posix.system' is not allowed"),
        ("builtins-eval-stack-global", torch_zip(gadget(eval, ("1+1",), protocol=4)),
         "'builtins.eval' is not allowed"),
        ("subprocess-popen-gadget", torch_zip(gadget(subprocess.Popen, (["true"],), protocol=3)),
         "'subprocess.Popen' is not allowed"),
        ("builtins-getattr", torch_zip(b"\x80\x02" + glob("builtins", "getattr") + b"."),
         "'builtins.getattr' is not allowed"),
        ("main-class-newobj", torch_zip(b"\x80\x02" + glob("__main__", "Net") + b")\x81."),
         "'__main__.Net' is not allowed"),
        ("gadget-after-a-valid-tensor", torch_zip(state_dict([("w", tensor("0", 6, 0, (2, 3), (3, 1))),
                                                              ("x", glob("os", "system") + uni("id") + b"\x85R")])),
         "'os.system' is not allowed"),
        ("storage-class-called", torch_zip(b"\x80\x02" + glob("torch", "FloatStorage") + b")R."),
         "torch.FloatStorage may only appear in a storage persistent id"),
        ("complex-storage", torch_zip(state_dict([("w", tensor("0", 2, 0, (2,), (1,), "ComplexFloatStorage"))]),
                                      [("0", bytes(16))]), "torch.ComplexFloatStorage"),
        ("rebuild-tensor-wrong-arity", torch_zip(b"\x80\x02" + glob("torch._utils", "_rebuild_tensor_v2")
                                                 + b"(K\x01tR."), "_rebuild_tensor_v2 takes 6 or 7 arguments"),
        ("ordered-dict-with-arguments", torch_zip(b"\x80\x02" + glob("collections", "OrderedDict") + b"(K\x01tR."),
         "OrderedDict takes no arguments"),
        ("inst-opcode", torch_zip(b"(i__main__\nNet\n."), "opcode 0x69 ('i', INST)"),
        ("ext1-opcode", torch_zip(b"\x80\x02\x82\x01."), "opcode 0x82 (EXT1)"),
        ("unknown-opcode", torch_zip(b"\x80\x02\xff."), "opcode 0xff"),
        ("protocol-6", torch_zip(b"\x80\x06}."), "pickle protocol 6"),
        ("out-of-band-buffer", torch_zip(b"\x80\x05\x97."), "opcode 0x97 (NEXT_BUFFER)"),
        # Memo and stack abuse.
        ("memo-get-unset", torch_zip(b"\x80\x02h\x05."), "memo index 5 was never set"),
        ("memo-dict-contains-itself", torch_zip(b"\x80\x02}q\x00" + uni("a") + b"h\x00s."),
         "nested deeper than 100 levels"),
        ("nested-lists-100000", torch_zip(nested_lists(100000)), "nested deeper than 100 levels"),
        ("marks-100000", torch_zip(b"\x80\x02" + b"(" * 100000 + b"."), "more than 100 MARKs open"),
        ("stack-underflow", torch_zip(b"\x80\x02R."), "REDUCE needs 2 items on the stack"),
        ("pop-mark-without-mark", torch_zip(b"\x80\x021."), "POP_MARK without a MARK"),
        ("setitems-odd", torch_zip(b"\x80\x02}(" + uni("k") + b"u."), "SETITEMS got an odd number"),
        ("dict-key-is-a-list", torch_zip(b"\x80\x02}]Ns."), "dict key must be a string or an integer"),
        ("root-is-a-list", torch_zip(b"\x80\x02]."), "holds a list, not a dict"),
        ("empty-stack-at-stop", torch_zip(b"\x80\x02."), "STOP with 0 items on the stack"),
        ("two-items-at-stop", torch_zip(b"\x80\x02}}."), "STOP with 2 items on the stack"),
        ("truncated-pickle", torch_zip(VALID_PKL[:-20], [("0", F32_6)]), "data.pkl ends"),
        ("bytes-after-stop", torch_zip(VALID_PKL + b"N", [("0", F32_6)]), "1 bytes after STOP"),
        # Huge length fields: refused before anything of that size is allocated.
        ("huge-binunicode", torch_zip(b"\x80\x02X\xff\xff\xff\xff."), "string of 4294967295 bytes"),
        ("huge-binunicode8", torch_zip(b"\x80\x04\x8d" + struct.pack("<Q", 2 ** 63 - 1) + b"."),
         "string of 9223372036854775807 bytes"),
        ("negative-binunicode8", torch_zip(b"\x80\x04\x8d" + struct.pack("<Q", 2 ** 64 - 1) + b"."),
         "string of 18446744073709551615 bytes"),
        ("huge-frame", torch_zip(b"\x80\x04\x95" + struct.pack("<Q", 2 ** 62) + b"}."), "FRAME of 4611686018427387904"),
        ("huge-long4", torch_zip(b"\x80\x02\x8b\xff\xff\xff\x7f."), "LONG4 of 2147483647 bytes"),
        ("huge-storage-numel", torch_zip(state_dict([("w", tensor("0", 2 ** 62, 0, (2, 3), (3, 1)))]),
                                         [("0", F32_6)]), "4611686018427387904 F32 elements"),
        ("shape-overflows-64-bits",
         torch_zip(state_dict([("w", tensor("0", 6, 0, (2 ** 31 - 1,) * 3, (0, 0, 0)))]), [("0", F32_6)]),
         "more than 2^63 - 1 elements"),
        ("stride-overflows-64-bits", torch_zip(state_dict([("w", tensor("0", 6, 0, (3,), (2 ** 62,)))]),
                                               [("0", F32_6)]), "beyond 2^63 - 1"),
        ("dimension-above-int", torch_zip(state_dict([("w", tensor("0", 6, 0, (2 ** 31, 0), (1, 1)))]),
                                          [("0", F32_6)]), "dimension 0 is 2147483648"),
        ("storage-shorter-than-tensor",
         torch_zip(state_dict([("w", tensor("0", 4, 0, (2, 3), (3, 1)))]), [("0", F32_6[:16])]),
         "reaches element 5 of storage '0', which holds 4"),
        ("offset-beyond-storage", torch_zip(state_dict([("w", tensor("0", 6, 5, (2,), (1,)))]), [("0", F32_6)]),
         "reaches element 6 of storage '0', which holds 6"),
        ("negative-stride", torch_zip(state_dict([("w", tensor("0", 6, 5, (2,), (-1,)))]), [("0", F32_6)]),
         "stride -1 is negative"),
        ("negative-size", torch_zip(state_dict([("w", tensor("0", 6, 0, (-2,), (1,)))]), [("0", F32_6)]),
         "dimension 0 is -2"),
        ("negative-offset", torch_zip(state_dict([("w", tensor("0", 6, -1, (2,), (1,)))]), [("0", F32_6)]),
         "storage offset -1 is negative"),
        ("size-and-stride-lengths-differ", torch_zip(state_dict([("w", tensor("0", 6, 0, (2, 3), (1,)))]),
                                                     [("0", F32_6)]), "2 sizes but 1 strides"),
        ("too-many-dimensions", torch_zip(state_dict([("w", tensor("0", 6, 0, (1,) * 65, (1,) * 65))]),
                                          [("0", F32_6)]), "65 dimensions"),
        ("entry-shorter-than-storage", torch_zip(VALID_PKL, [("0", F32_6[:20])]), "holds 20 bytes"),
        ("missing-storage-entry", torch_zip(VALID_PKL), "no entry 'archive/data/0'"),
        ("storage-key-path-traversal", torch_zip(state_dict([("w", tensor("../../x", 6, 0, (6,), (1,)))]),
                                                 [("0", F32_6)]), "storage key '../../x'"),
        ("one-storage-two-dtypes", torch_zip(state_dict([("a", tensor("0", 6, 0, (6,), (1,))),
                                                         ("b", tensor("0", 3, 0, (3,), (1,), "LongStorage"))]),
                                             [("0", F32_6)]), "storage '0' is F32 with 6 elements in one place"),
        ("bool-value-2", torch_zip(state_dict([("b", tensor("0", 3, 0, (3,), (1,), "BoolStorage"))]),
                                   [("0", bytes([0, 2, 1]))]), "BOOL element 1 is 2"),
        ("persistent-id-not-storage", torch_zip(b"\x80\x02" + tup([uni("module"), uni("x")]) + b"Q."),
         "persistent id must be ('storage', storage type, key, location, numel)"),
        ("tensor-metadata-not-empty", torch_zip(state_dict([("w", tensor("0", 6, 0, (6,), (1,),
                                                                        extra_args=b"}" + uni("x") + b"K\x01s"))]),
                                                [("0", F32_6)]), "tensor metadata"),
        ("backward-hooks-not-empty", torch_zip(b"\x80\x02}(" + uni("w") + glob("torch._utils", "_rebuild_tensor_v2")
                                               + b"(" + tup([uni("storage"), glob("torch", "FloatStorage"), uni("0"),
                                                             uni("cpu"), integer(6)]) + b"QK\x00(K\x06t(K\x01t\x89}"
                                               + uni("h") + b"Ns" + b"tRu.", [("0", F32_6)]), "backward hooks"),
        # Broken zip containers.
        ("truncated-zip", VALID[: len(VALID) // 2], "no end of central directory record"),
        ("zip-without-data-pkl", zip_without_pkl(), "no data.pkl"),
        ("zip-duplicate-entry", duplicate_entry(), "two entries named 'archive/data/0'"),
        ("zip-overlapping-entries", overlapping_entries(), "overlaps entry"),
        ("zip-entry-count-65535", with_central_directory_edit(
            VALID, lambda out, cd, eocd: struct.pack_into("<HH", out, eocd + 8, 0xFFFF, 0xFFFF)),
         "65535 entries"),
        ("zip-entry-size-beyond-file", with_central_directory_edit(
            VALID, lambda out, cd, eocd: struct.pack_into("<II", out, cd + 20, 0x7FFFFFFF, 0x7FFFFFFF)),
         "reaches past"),
        ("zip-encrypted-entry", with_central_directory_edit(
            VALID, lambda out, cd, eocd: struct.pack_into("<H", out, cd + 8, 1)), "encrypted"),
        ("zip-central-directory-offset-beyond-file", with_central_directory_edit(
            VALID, lambda out, cd, eocd: struct.pack_into("<I", out, eocd + 16, 0x7FFFFFF0)),
         "central directory"),
        ("zip-version-not-a-number", zip_with_version(b"three"), "version record"),
        ("zip-byteorder-middle", torch_zip(VALID_PKL, [("0", F32_6)], extra=[("archive/byteorder", b"middle")]),
         "byteorder record"),
        # Legacy format.
        ("legacy-truncated", legacy(LEGACY_PKL, ["140"], [(6, F32_6)])[:-10], "truncated"),
        ("legacy-storage-size-differs", legacy(LEGACY_PKL, ["140"], [(5, F32_6)]),
         "storage '140' is stored with 5 elements"),
        ("legacy-key-list-differs", legacy(LEGACY_PKL, ["141"], [(6, F32_6)]), "storage keys ['141']"),
        ("legacy-protocol-1000", legacy(LEGACY_PKL, ["140"], [(6, F32_6)], proto_version=1000),
         "protocol version 1000"),
        ("legacy-bad-magic", legacy(LEGACY_PKL, ["140"], [(6, F32_6)], magic=12345), "magic number"),
        ("legacy-view-metadata", legacy(state_dict([("w", glob("torch._utils", "_rebuild_tensor_v2") + b"(" + tup(
            [uni("storage"), glob("torch", "FloatStorage"), uni("140"), uni("cpu"), integer(6),
             tup([uni("7"), integer(0), integer(6)])]) + b"QK\x00(K\x06t(K\x01t\x89"
            + glob("collections", "OrderedDict") + b")RtR")]), ["140"], [(6, F32_6)]), "storage views"),
        ("plain-pickle", pickle.dumps({"a": 1}, protocol=2), "not a torch.save file"),
    ]
    return cases


def zip_without_pkl():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("archive/version", date_time=(2024, 1, 1, 0, 0, 0)), b"3\n")
    return buf.getvalue()


def zip_with_version(version):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, data in [("archive/data.pkl", VALID_PKL), ("archive/data/0", F32_6), ("archive/version", version)]:
            z.writestr(zipfile.ZipInfo(n, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


# ----------------------------------------------------------------------------------------------------------------

def main():
    torch.manual_seed(20241201)
    g = torch.Generator().manual_seed(20241201)
    os.makedirs(os.path.join(OUT, "hostile"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "refused"), exist_ok=True)

    fixture("gru", nn.GRU(3, 4, num_layers=2).state_dict())
    fixture("lstm_proj_bidirectional", nn.LSTM(3, 5, proj_size=2, bidirectional=True, batch_first=True).state_dict())
    fixture("linear", nn.Linear(4, 3).state_dict())
    fixture("embedding", nn.Embedding(10, 4, padding_idx=0).state_dict())
    model = CharModel()
    model.encoder.norm(torch.randn(3, 6, generator=g))  # a training step moves the running stats and the counter
    fixture("composite_nested", model.state_dict())
    fixture("tied_weights", TiedModel().state_dict())
    fixture("views", view_cases(g))
    fixture("dtypes", dtype_cases(g))
    merged = dict(view_cases(g))
    merged.update(dtype_cases(g))
    fixture("legacy", merged, fmt="TORCH_LEGACY", _use_new_zipfile_serialization=False)
    fixture("protocol4", nn.GRU(2, 3).state_dict(), pickle_protocol=4)
    fixture("protocol5", dtype_cases(g), pickle_protocol=5)
    fixture("parameters_keep_vars", nn.LSTM(2, 3).state_dict(keep_vars=True))
    lin = nn.Linear(3, 2)
    opt = torch.optim.Adam(lin.parameters(), lr=1e-3)
    lin(torch.randn(4, 3, generator=g)).sum().backward()
    opt.step()
    fixture("training_checkpoint", {"epoch": 3, "model": lin.state_dict(), "optimizer": opt.state_dict(),
                                    "lr": 1e-3, "note": "gr\u00fc\u00dfe", "flag": True, "nothing": None,
                                    "big": 2 ** 70, "dtype": torch.float16})
    buf = io.BytesIO()
    torch.save(nn.Linear(2, 2).state_dict(), buf)
    with open(os.path.join(OUT, "archive_from_buffer.pt"), "wb") as f:
        f.write(buf.getvalue())
    write_expected("archive_from_buffer", os.path.join(OUT, "archive_from_buffer.pt"), "TORCH_ZIP")

    dt = os.path.join(OUT, "dtypes.pt")
    big_endian_copy(dt, os.path.join(OUT, "big_endian.pt"), "big_endian")
    zip64_copy(os.path.join(OUT, "composite_nested.pt"), os.path.join(OUT, "zip64.pt"))
    write_expected("zip64", os.path.join(OUT, "zip64.pt"), "TORCH_ZIP")  # torch itself reads the ZIP64 copy

    refused = [
        ("deflated", None, "compressed (method 8)"),
        ("torchscript", None, "TorchScript archive"),
        ("whole_module", model, "'__main__.CharModel' is not allowed"),
        ("single_tensor", torch.ones(2), "holds a tensor, not a dict"),
        ("numpy_array", {"a": np.arange(3)}, "'numpy.core.multiarray._reconstruct' is not allowed"),
    ]
    manifest = []
    for name, obj, text in refused:
        path = os.path.join(OUT, "refused", name + ".pt")
        if name == "deflated":
            write_zip(path, read_zip(os.path.join(OUT, "linear.pt")), zipfile.ZIP_DEFLATED)
        elif name == "torchscript":
            torch.jit.save(torch.jit.script(nn.Linear(2, 2)), path)
        else:
            torch.save(obj, path)
        manifest.append("%s.pt\t%s" % (name, text))
    with open(os.path.join(OUT, "refused.expected.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(manifest) + "\n")

    manifest = []
    for name, blob, text in hostile_cases():
        with open(os.path.join(OUT, "hostile", name + ".pt"), "wb") as f:
            f.write(blob)
        manifest.append("%s.pt\t%s" % (name, text))
    with open(os.path.join(OUT, "hostile.expected.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(manifest) + "\n")
    print("wrote fixtures to", OUT)


if __name__ == "__main__":
    main()
