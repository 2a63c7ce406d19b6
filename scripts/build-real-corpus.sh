#!/usr/bin/env bash
# Builds a real-text English corpus in C4 layout for benchmarks (tokenizer speed, the methods table on
# the `small` preset): the documentation sources of three Debian 12 (main) packages, pinned by version
# and SHA-256. Every source file is one document: Perl's POD manual pages, and the reStructuredText
# sources of the Python 3.11 and Linux 6.1 manuals. About 44 MB of text in about 45 files.
# usage: scripts/build-real-corpus.sh [OUT_DIR]      (default runs/corpus/debian-docs)
# Needs apt-get, dpkg-deb and python3 (Debian's packages reach this machine). The corpus is for
# benchmarks only; the test suite never needs it.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
OUT="${1:-$ROOT/runs/corpus/debian-docs}"
CACHE="$ROOT/runs/corpus/.debs"
# package=version sha256 (a mirror that dropped a version: take the new one from `apt-cache show`, update both)
PINS=(
  "perl-doc=5.36.0-7+deb12u3 e9e3564ff5ade27de0585835f2acad769bcc545c0a0045a9f55d5401f27f7591"
  "python3.11-doc=3.11.2-6+deb12u8 50eb63e7f636c4281e9ce1b8f10386f1def42159eddce34fc1f41c46261df71b"
  "linux-doc-6.1=6.1.176-1 0d843674607703b9ef8c1db5e715c38ed52ff23574feabfe0d961d552126859f"
)
mkdir -p "$CACHE" "$OUT"
for pin in "${PINS[@]}"; do
  spec=${pin% *} sum=${pin#* } pkg=${spec%%=*} ver=${spec#*=}
  deb="$CACHE/${pkg}_${ver//:/%3a}_all.deb"
  if [ ! -f "$deb" ]; then
    (cd "$CACHE" && apt-get download "$spec" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
  fi
  [ -f "$deb" ] || { echo "build-real-corpus: could not download $spec (is the Debian mirror reachable? has it dropped this version?)" >&2; exit 1; }
  echo "$sum  $deb" | sha256sum -c --quiet - || { echo "build-real-corpus: $deb does not have the pinned SHA-256 $sum" >&2; exit 1; }
  rm -rf "$CACHE/$pkg" && dpkg-deb -x "$deb" "$CACHE/$pkg"
done
python3 - "$CACHE" "$OUT" <<'PY'
import gzip, hashlib, io, json, pathlib, sys
cache, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
sources = [("perl-doc", "*.pod"), ("python3.11-doc", "_sources/**/*.rst.txt"), ("linux-doc-6.1", "_sources/**/*.rst.txt")]
docs = []
for pkg, pattern in sources:
    for f in sorted((cache / pkg).rglob(pattern.split("/")[-1])):
        if "_sources" in pattern and "_sources" not in f.parts:
            continue
        text = f.read_bytes().decode("utf-8", errors="replace").replace("\x00", "")
        if len(text.strip()) >= 200:  # index stubs and empty pages are not documents
            docs.append((f"debian:{pkg}/{f.relative_to(cache / pkg)}", text))
# every 50th document (by a hash of its name, so the split is stable) is validation
is_val = [int(hashlib.sha256(url.encode()).hexdigest(), 16) % 50 == 0 for url, _ in docs]
val = [d for d, v in zip(docs, is_val) if v]
train = [d for d, v in zip(docs, is_val) if not v]
def write(name, part):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:  # mtime 0: the same bytes on every build
        for url, text in part:
            gz.write((json.dumps({"text": text, "timestamp": "2023-06-10T00:00:00Z", "url": url}) + "\n").encode())
    (out / name).write_bytes(buf.getvalue())
for old in out.glob("c4-*.json.gz"):
    old.unlink()
shards, size, start = [], 0, 0
for i, (_, text) in enumerate(train):
    size += len(text.encode())
    if size >= 1_000_000 or i == len(train) - 1:
        shards.append(train[start:i + 1]); start, size = i + 1, 0
for k, part in enumerate(shards):
    write(f"c4-train.{k:05d}-of-{len(shards):05d}.json.gz", part)
write("c4-validation.00000-of-00001.json.gz", val)
total = sum(len(t.encode()) for _, t in docs)
print(f"{out}: {len(docs)} documents, {total / 1e6:.1f} MB of text; {len(shards)} train files ({len(train)} documents), "
      f"1 validation file ({len(val)} documents)")
PY
