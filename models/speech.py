#!/usr/bin/env python3
"""Fetch the speech recognizer's model and C sources from PyPI, checked by sha256.

Both come from one pinned source distribution, `pocketsphinx` 5.1.1 on PyPI:
- the US English acoustic model and the CMU pronouncing dictionary go to
  `.models/speech/` (what the `speech` crate loads, and what a Lambda layer ships);
- the C library's sources (src/, include/, LICENSE) go to
  `.vendor/pocketsphinx-5.1.1/`, compiled by `speech/sys/build.rs`.
The big n-gram language model in the package is not extracted: the recognizer
uses grammars generated in code.

Usage: python3 models/speech.py   (idempotent; a no-op after checking hashes when done)
Stdlib only, plus pip (through `python3 -m pip`).
"""

import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "pocketsphinx"
VERSION = "5.1.1"
SDIST = f"{PACKAGE}-{VERSION}.tar.gz"
SDIST_SHA256 = "675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355"
PREFIX = f"{PACKAGE}-{VERSION}/"

ROOT = Path(__file__).resolve().parent.parent
# MODELS_DIR puts the model elsewhere (the Lambda layer build: models/Makefile).
MODEL_DIR = Path(os.environ.get("MODELS_DIR") or ROOT / ".models") / "speech"
SOURCE_DIR = ROOT / ".vendor" / f"{PACKAGE}-{VERSION}"
# Written last, so a source folder with a stamp is complete.
SOURCE_STAMP = SOURCE_DIR / ".sdist-sha256"

# Path inside the sdist -> (path under MODEL_DIR, sha256). The same list is in
# models/README.md with sizes.
MODEL_FILES = {
    "model/en-us/en-us/feat.params": ("en-us/feat.params", "c982c5f75e2a30c34d2c9ef1f6b129a5a00e67e3e927565076b58664cc2404c9"),
    "model/en-us/en-us/mdef": ("en-us/mdef", "2360f9a86889c1cfee8bd618a0269387911e5fb2920a594f506b18b8c79683b0"),
    "model/en-us/en-us/means": ("en-us/means", "832019e32cac12eb318964f96f469034acb12d0348eeddc3831831a100cb4dd4"),
    "model/en-us/en-us/noisedict": ("en-us/noisedict", "7295b07df2c204c4f87c6782b6be1a3859d7006d4e3864181c955d6dab105a33"),
    "model/en-us/en-us/sendump": ("en-us/sendump", "8c9564c0d5bef69ca9d9bf1014abe162f071644cf02cf1fa8a483c3dc165a7a8"),
    "model/en-us/en-us/transition_matrices": ("en-us/transition_matrices", "c1f7f28ea43177be734be1f88bd7f1b9a853d0e660f8599c67c6eaeca8bb539a"),
    "model/en-us/en-us/variances": ("en-us/variances", "b00d696f85e96834fc10f8e5f06428d8c4db6bffdbe5845b6f69bf6efbc48fa5"),
    "model/en-us/en-us/README": ("en-us/README", "8b88de980568509c646d0527b8414beef136964391903b40996d32f737bf752e"),
    "model/en-us/cmudict-en-us.dict": ("cmudict-en-us.dict", "20b5c293e1f311fb375fe067e500ec5636f4fc7af5594967263696def9b23bfe"),
    "LICENSE": ("LICENSE", "1c3b5c5529d7360c927aa034eea28010c59558c1f67fb722d8d8b5d69cb98a23"),
}
# Everything under these sdist folders (plus the licence) is the C library.
SOURCE_TREES = ("src/", "include/")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_ok() -> bool:
    return all(
        (MODEL_DIR / dest).is_file() and sha256(MODEL_DIR / dest) == digest
        for dest, digest in MODEL_FILES.values()
    )


def source_ok() -> bool:
    return SOURCE_STAMP.is_file() and SOURCE_STAMP.read_text().strip() == SDIST_SHA256


def download(into: Path) -> Path:
    """The sdist through pip (which also prepares its metadata: a few seconds)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
         "--no-deps", "--no-binary", PACKAGE, f"{PACKAGE}=={VERSION}", "--dest", str(into)],
        check=True,
    )
    sdist = into / SDIST
    actual = sha256(sdist)
    if actual != SDIST_SHA256:
        sys.exit(f"{SDIST}: sha256 {actual}, expected {SDIST_SHA256}; refusing to use it")
    return sdist


def write_member(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path) -> None:
    # Members are written to paths we build ourselves, never to names from the archive.
    data = tar.extractfile(member)
    if data is None:
        sys.exit(f"{SDIST}: {member.name} is not a regular file")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    with tmp.open("wb") as out:
        out.write(data.read())
    os.replace(tmp, dest)


def extract_model(tar: tarfile.TarFile) -> None:
    for inner, (dest, digest) in MODEL_FILES.items():
        target = MODEL_DIR / dest
        write_member(tar, tar.getmember(PREFIX + inner), target)
        if sha256(target) != digest:
            sys.exit(f"{target}: sha256 mismatch with the list in models/speech.py")


def extract_source(tar: tarfile.TarFile) -> None:
    for member in tar.getmembers():
        inner = member.name.removeprefix(PREFIX)
        if not member.isfile() or ".." in Path(inner).parts:
            continue
        if inner == "LICENSE" or inner.startswith(SOURCE_TREES):
            write_member(tar, member, SOURCE_DIR / inner)
    SOURCE_STAMP.write_text(SDIST_SHA256 + "\n")


def main() -> None:
    need_model, need_source = not model_ok(), not source_ok()
    if not (need_model or need_source):
        print(f"speech model up to date in {MODEL_DIR}; sources in {SOURCE_DIR}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(download(Path(tmp))) as tar:
            if need_model:
                extract_model(tar)
                print(f"speech model written to {MODEL_DIR}")
            if need_source:
                extract_source(tar)
                print(f"pocketsphinx sources written to {SOURCE_DIR}")


if __name__ == "__main__":
    main()
