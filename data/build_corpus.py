#!/usr/bin/env python3
"""Builds the small real corpus shipped for the demo and the tests (re-runnable, deterministic).

English (C4 `en` layout: gzip JSON lines with text, timestamp, url) from the npm package
`nlp-corpus` (MIT): consecutive sentences grouped into documents.
Vietnamese (VietVault layout: parquet with a `markdown` column) from Debian's `maint-guide-vi`
(one document per section) and `manpages-vi` (one document per man page, rendered to markdown).

Needs npm, apt-get, dpkg-deb and Maven (the parquet file is written by Spark's own writer through
io.frugalspark.data.corpus.JsonlToParquet in data-pipeline's test sources).
Usage: python3 data/build_corpus.py   (from anywhere; writes data/corpus/)
"""
import glob, gzip, json, os, random, re, shutil, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data", "corpus")
NLP_CORPUS = "nlp-corpus@4.4.0"
DEBS = ["maint-guide-vi", "manpages-vi"]
EN_TRAIN_FILES, EN_TRAIN_SOURCES, EN_VALIDATION_SOURCES = 2, range(0, 36), range(36, 38)


def run(cmd, cwd):
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def english_documents(pkg_dir, source, rng):
    sentences = json.load(open(os.path.join(pkg_dir, "builds", "doc-%d.json" % source), encoding="utf-8"))
    i, n = 0, 0
    while i < len(sentences):
        k = rng.randint(4, 30)
        text = " ".join(s.strip() for s in sentences[i:i + k])
        ts = "2019-04-%02dT%02d:%02d:%02dZ" % (rng.randint(18, 26), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
        yield {"text": text, "timestamp": ts, "url": "https://www.npmjs.com/package/nlp-corpus#doc-%d-%d" % (source, n)}
        i, n = i + k, n + 1


def write_c4(path, docs):
    # mtime=0 keeps the gzip bytes identical across rebuilds
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        for d in docs:
            gz.write((json.dumps(d, ensure_ascii=False) + "\n").encode("utf-8"))


def build_english(tmp):
    run(["npm", "pack", NLP_CORPUS, "--silent"], tmp)
    run(["tar", "xzf", glob.glob(os.path.join(tmp, "nlp-corpus-*.tgz"))[0]], tmp)
    pkg = os.path.join(tmp, "package")
    out = os.path.join(OUT, "c4-en")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20191122)
    train = [d for s in EN_TRAIN_SOURCES for d in english_documents(pkg, s, rng)]
    per = (len(train) + EN_TRAIN_FILES - 1) // EN_TRAIN_FILES
    for f in range(EN_TRAIN_FILES):
        write_c4(os.path.join(out, "c4-train.%05d-of-%05d.json.gz" % (f, EN_TRAIN_FILES)), train[f * per:(f + 1) * per])
    validation = [d for s in EN_VALIDATION_SOURCES for d in english_documents(pkg, s, rng)]
    write_c4(os.path.join(out, "c4-validation.00000-of-00001.json.gz"), validation)


def troff_to_markdown(src):
    """Just enough of man(7) for readable markdown: headings, paragraphs, fonts and escapes."""
    out = []
    for line in src.splitlines():
        if line.startswith(('.\\"', "'\\\"")) or line in (".", ".PP", ".LP", ".P", ".TP", ".IP", ".RS", ".RE", ".br", ".sp", ".nf", ".fi"):
            out.append("")
            continue
        m = re.match(r'^\.(SH|SS)\s+"?(.*?)"?\s*$', line)
        if m:
            out += ["", ("## " if m.group(1) == "SH" else "### ") + m.group(2), ""]
            continue
        m = re.match(r'^\.(B|I|BR|IR|RB|RI|BI|IB|TH|IP)\s+(.*)$', line)
        if m:
            if m.group(1) == "TH":
                out += ["# " + m.group(2).split()[0].strip('"'), ""]
                continue
            line = m.group(2).replace('"', "")
        elif line.startswith("."):
            continue
        line = re.sub(r"\\f[BIRP]|\\f\(..|\\f\[[^]]*\]|\\/|\\,|\\&|\\:", "", line)
        line = line.replace("\\-", "-").replace("\\(em", "—").replace("\\(en", "–").replace("\\e", "\\").replace("\\ ", " ").replace("\\(co", "©")
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def maint_guide_sections(text):
    body = text[re.search(r"\nChương\s+1\.", text).start():]
    parts = re.split(r"\n(?=\d+\.\d+\.\s\S)", body)  # the guide puts NBSP after numbers
    return [p.strip() for p in parts if len(p.strip()) > 200]


def build_vietnamese(tmp):
    run(["apt-get", "download"] + DEBS, tmp)
    for deb in sorted(glob.glob(os.path.join(tmp, "*.deb"))):
        run(["dpkg-deb", "-x", deb, "root"], tmp)
    docs = []
    guide = gzip.open(os.path.join(tmp, "root/usr/share/doc/maint-guide-vi/maint-guide.vi.txt.gz"), "rt", encoding="utf-8").read()
    for i, sec in enumerate(maint_guide_sections(guide)):
        title = sec.splitlines()[0].strip()
        docs.append({"id": "maint-guide-vi/%03d" % i, "url": "https://www.debian.org/doc/manuals/maint-guide/index.vi.html",
                     "title": title, "markdown": "# " + title + "\n\n" + "\n".join(sec.splitlines()[1:]).strip()})
    for page in sorted(glob.glob(os.path.join(tmp, "root/usr/share/man/vi/man*/*.gz"))):
        name = os.path.basename(page)[:-3]
        md = troff_to_markdown(gzip.open(page, "rt", encoding="utf-8", errors="replace").read())
        docs.append({"id": "manpages-vi/" + name, "url": "https://manpages.debian.org/bookworm/manpages-vi/" + name + ".vi",
                     "title": name, "markdown": md})
    jsonl = os.path.join(tmp, "vietvault.jsonl")
    with open(jsonl, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    out = os.path.join(OUT, "vietvault-vi")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    to_parquet(jsonl, os.path.join(out, "train-00000-of-00001.parquet"))


def to_parquet(jsonl, target):
    cp = os.path.join(ROOT, "data-pipeline", "target", "test-classpath.txt")
    subprocess.run(["./mvnw", "-B", "-q", "-pl", "data-pipeline", "test-compile", "dependency:build-classpath",
                    "-Dmdep.outputFile=" + cp, "-Dmdep.includeScope=test"], cwd=ROOT, check=True)
    classes = os.path.join(ROOT, "data-pipeline", "target")
    classpath = ":".join([classes + "/classes", classes + "/test-classes", open(cp).read().strip()])
    opens = ["--add-opens=java.base/%s=ALL-UNNAMED" % p for p in
             ["java.lang", "java.lang.invoke", "java.nio", "java.util", "sun.nio.ch", "java.io", "java.net", "sun.util.calendar"]]
    subprocess.run(["java"] + opens + ["-cp", classpath, "io.frugalspark.data.corpus.JsonlToParquet", jsonl, target], check=True)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "en"))
        os.makedirs(os.path.join(tmp, "vi"))
        build_english(os.path.join(tmp, "en"))
        build_vietnamese(os.path.join(tmp, "vi"))
    for dirpath, _, files in sorted(os.walk(OUT)):
        for f in sorted(files):
            print("%8d  %s" % (os.path.getsize(os.path.join(dirpath, f)), os.path.relpath(os.path.join(dirpath, f), ROOT)))
