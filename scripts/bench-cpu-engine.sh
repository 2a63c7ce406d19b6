#!/usr/bin/env bash
# Every measured figure of issue 12's "Done when" (CPU engine at the GEMM ceiling) in one invocation, for a
# person to paste into model/BENCHMARKS.md, optimizers/BENCHMARKS.md and data-pipeline/BENCHMARKS.md.
# Run it on a QUIET machine (nothing else running: the load average is recorded before and after every
# command, and the figures mean little above a load of about 1 on 2 cores).
#
# usage: scripts/bench-cpu-engine.sh [--smoke] [--parts model,optim,tokenize] [--envs unset,Haswell]
#                                    [--rounds 2] [--corpus DIR] [--out DIR] [--no-install]
#   --smoke     every part at the smallest size (tiny model, 1 round, 1 short JMH fork, 1 MB of text), to check
#               the script end to end in a few minutes; writes under ${TMPDIR:-/tmp}, never under runs/:
#               its figures are not results.
#   --parts     a subset of the three parts (default all three).
#   --envs      the OPENBLAS_CORETYPE settings (default both): `unset` runs each command under
#               `env -u OPENBLAS_CORETYPE` (what users' machines have), any other value sets it for that command.
#   --rounds    interleaved rounds of part 1 (default 2: two runs of each command).
#   --corpus    the real-text corpus (default runs/corpus/debian-docs, built by scripts/build-real-corpus.sh if missing).
#   --no-install  do not apt-get install PyTorch when `import torch` fails (the torch figures are then n/a).
#
# Results: runs/bench/cpu-engine/<UTC date>.md (machine, java -version, torch and its BLAS, the OpenBLAS
# each process mapped, load average before/after each command and each part, one PASS/FAIL line per
# target) and runs/bench/cpu-engine/<UTC date>/ (every command's full log, the JMH JSON).
#
# What each part runs (every command with OMP_WAIT_POLICY=PASSIVE, in each --envs setting):
#  1. model: per round and setting, interleaved: ModelBench llama-60m B8 x 256 dense (--steps 3 --warmup 1
#     --gemm 2048 --profile: tokens/s, cpu-s/step, peak RSS, the sgemm n=2048 ceiling in the same process,
#     lm_head+loss against its three GEMMs), model/src/test/python/bench_llama_torch.py (same shapes, torch,
#     2 threads), ModelBench --sltrain (rank 128, delta 0.03: the llama-60m preset's). Ratios use the means
#     over the rounds: Java/torch tokens/s (>= 2.2x unset, >= 1.8x Haswell), model GFLOP/s / sgemm GFLOP/s
#     (>= 85 %), lm_head+loss / its GEMMs (<= 1.15x), peak RSS (<= 2.6 GiB), SLTrain s/step / dense (<= 1.3x).
#  2. optim: torch.optim.AdamW foreach off and on (optimizers/src/test/python/adamw_step_bench.py, median
#     of 30 steps), then JMH StepBenchmark (adamw, frugal) and TriadBenchmark (a 2-thread STREAM triad over
#     the 1.63 GB an AdamW step over llama-60m moves at least: 28 bytes a parameter) in one JMH run,
#     -f 3 -wi 2 -w 2 -i 5 -r 3 (optimizers/BENCHMARKS.md), then torch twice more. Figures: the median of
#     the 3 forks' medians; FRUGAL / the faster torch median of the 3 torch runs (<= 0.6x), AdamW / triad
#     (<= 2x), triad GB/s.
#  3. tokenize: ./frugal bench tokenize on the real-text corpus, every document once (--mb 0), in as many
#     files as the corpus has: BPE training on 20 MB (< 30 s), trained 32k BPE and o200k_base MB/s per core
#     on local[1] and local[2] (>= 8 and >= 4), local[2] / local[1] (>= 1.7x). Each core count has its own
#     SparkContext; the timed job follows a one-file warm-up job, so Spark start-up and BPE training are not in it.
#
# Sizing (2 cores, quiet machine): part 1 about 7 minutes (2 rounds x 2 settings x (Java 35-50 s + torch
# 35-40 s + SLTrain 25-35 s)), part 2 about 10 (per setting: 3 JMH benchmarks x 3 forks x ~27 s and
# 3 torch runs x ~20 s), part 3 about 3 (per setting ~1.5 min): about 20 minutes, at most about 35 if
# every figure is 1.5x slower than expected; plus, only when needed, the build (3-6 min), the PyTorch
# install (1-3 min) and the corpus download (1-3 min). --rounds 1 or --envs unset halve part 1 or everything.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$ROOT"
INVOCATION="$*"
SMOKE=0 PARTS="model,optim,tokenize" ENVS="unset,Haswell" ROUNDS=2 CORPUS="" OUT="" INSTALL=1
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1; shift ;;
    --parts) PARTS="$2"; shift 2 ;;
    --envs) ENVS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --corpus) CORPUS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --no-install) INSTALL=0; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-cpu-engine: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
PY=/usr/bin/python3
STAMP="$(date -u +%Y-%m-%dT%H%MZ)"
if [ "$SMOKE" = 1 ]; then
  OUT="${OUT:-${TMPDIR:-/tmp}/bench-cpu-engine-smoke}"
  ROUNDS=1
else
  OUT="${OUT:-$ROOT/runs/bench/cpu-engine}"
fi
LOGS="$OUT/$STAMP"
RESULT="$OUT/$STAMP.md"
mkdir -p "$LOGS"
IFS=, read -r -a ENV_LIST <<<"$ENVS"
has_part() { [[ ",$PARTS," == *",$1,"* ]]; }
T_START=$(date +%s)

# --- sizes -------------------------------------------------------------------------------------------------
if [ "$SMOKE" = 1 ]; then
  MODEL_ARGS=(--preset tiny --batch 2 --seq 32 --vocab 512 --steps 1 --warmup 0)
  GEMM=128
  JMH_ARGS=(-f 1 -wi 0 -i 1 -r 1 -p elements=4000000)
  TORCH_OPT_ARGS=(--steps 2 --warmup 1 --scale 8)
  TOK_ARGS=(--mb 1 --bpe-mb 0.5 --vocab 600)
  EST="a few minutes (smoke: every part at its smallest size, one round)"
else
  MODEL_ARGS=(--preset llama-60m --batch 8 --seq 256 --vocab 32000 --steps 3 --warmup 1)
  GEMM=2048
  JMH_ARGS=(-f 3 -wi 2 -w 2 -i 5 -r 3)
  TORCH_OPT_ARGS=(--steps 30 --warmup 5)
  TOK_ARGS=(--mb 0 --bpe-mb 20 --vocab 32000)
  m=0
  has_part model && m=$((m + ROUNDS * ${#ENV_LIST[@]} * 110))
  has_part optim && m=$((m + ${#ENV_LIST[@]} * 300))
  has_part tokenize && m=$((m + ${#ENV_LIST[@]} * 90))
  EST="about $(( (m + 59) / 60 )) minutes (at most about $(( (m * 3 / 2 + 59) / 60 )) if every figure is 1.5x slower), plus build / PyTorch install / corpus download if needed"
fi
echo "bench-cpu-engine: parts $PARTS, OPENBLAS_CORETYPE settings $ENVS, $ROUNDS round(s) of part 1"
echo "bench-cpu-engine: estimated wall time $EST"
echo "bench-cpu-engine: logs in $LOGS, results in $RESULT"
[ "$SMOKE" = 1 ] && echo "bench-cpu-engine: SMOKE MODE: these figures are not results; do not record them"

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# env_cmd SETTING: the env(1) prefix of that OPENBLAS_CORETYPE setting
env_cmd() { if [ "$1" = unset ]; then echo "env -u OPENBLAS_CORETYPE OMP_WAIT_POLICY=PASSIVE"; else echo "env OPENBLAS_CORETYPE=$1 OMP_WAIT_POLICY=PASSIVE"; fi; }
printf 'name\tpart\tenv\tround\tload_before\tload_after\tstart\tend\trc\tblas\tcommand\n' >"$LOGS/runs.tsv"
printf 'part\tload_before\tload_after\tstart\tend\n' >"$LOGS/parts.tsv"

# run NAME PART SETTING ROUND CMD...: runs CMD under the setting, its output in $LOGS/NAME.log; records load
# average before and after, and the BLAS libraries the process (or its newest child) maps once it has started.
run() {
  local name=$1 part=$2 setting=$3 round=$4; shift 4
  local log="$LOGS/$name.log" lb la t0 t1 rc pid blas="" p
  # shellcheck disable=SC2046
  local cmd=($(env_cmd "$setting") "$@")
  lb=$(loadavg); t0=$(date -u +%H:%M:%S)
  echo "[$t0] $name ($setting, load $lb): $(sed -E 's/-cp [^ ]+/-cp <classpath>/' <<<"${cmd[*]}")"
  { echo "# $name, OPENBLAS_CORETYPE $setting, round $round, $(date -u)"; echo "# ${cmd[*]}"; } >"$log"
  "${cmd[@]}" >>"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if [ -z "$blas" ]; then
      for p in "$pid" $(pgrep -P "$pid" 2>/dev/null) $(pgrep -P "$(pgrep -P "$pid" 2>/dev/null | tail -1)" 2>/dev/null); do
        blas=$(grep -o -E '/[^ ]*/[^/ ]*(openblas|libblas|mkl)[^/ ]*\.so[^/ ]*$' "/proc/$p/maps" 2>/dev/null | sort -u | paste -sd' ' -)
        [ -n "$blas" ] && break
      done
    fi
    sleep 1
  done
  wait "$pid"; rc=$?
  la=$(loadavg); t1=$(date -u +%H:%M:%S)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$part" "$setting" "$round" "$lb" "$la" "$t0" "$t1" "$rc" \
    "${blas:--}" "${cmd[*]}" >>"$LOGS/runs.tsv"
  [ "$rc" = 0 ] || echo "  $name exited $rc: see $log"
  grep -E '^(forward\+backward|gemm n=|lm_head.s three|torch .* AdamW|bpe training|.* local\[[12]\]:|speedup)' "$log" | sed 's/^/  /'
  return 0
}
part_begin() { PART_LB=$(loadavg); PART_T0=$(date -u +%H:%M:%S); echo "== part $1 (load $PART_LB) =="; }
part_end() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$PART_LB" "$(loadavg)" "$PART_T0" "$(date -u +%H:%M:%S)" >>"$LOGS/parts.tsv"; }

# --- preparation: PyTorch, build, classpaths, corpus -------------------------------------------------------
TORCH=1
if has_part model || has_part optim; then
  if ! "$PY" -c 'import torch' 2>/dev/null; then
    if [ "$INSTALL" = 1 ]; then
      echo "bench-cpu-engine: '$PY -c \"import torch\"' fails: installing Debian's python3-torch and libopenblas0-pthread with apt-get (never pip)"
      SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
      export DEBIAN_FRONTEND=noninteractive
      $SUDO apt-get install -y --no-install-recommends python3-torch libopenblas0-pthread >"$LOGS/apt-install.log" 2>&1 \
        || { $SUDO apt-get update >>"$LOGS/apt-install.log" 2>&1 && $SUDO apt-get install -y --no-install-recommends python3-torch libopenblas0-pthread >>"$LOGS/apt-install.log" 2>&1; } \
        || echo "bench-cpu-engine: apt-get install failed (see $LOGS/apt-install.log)"
      "$PY" -c 'import torch' 2>/dev/null && echo "bench-cpu-engine: installed $("$PY" -c 'import torch; print("torch", torch.__version__)')"
    fi
    "$PY" -c 'import torch' 2>/dev/null || { TORCH=0; echo "bench-cpu-engine: no PyTorch: every torch figure will be n/a"; }
  fi
fi

mvnw() { ./mvnw -o -B -q "$@" || { echo "bench-cpu-engine: ./mvnw -o $1 failed, retrying online" >&2; ./mvnw -B -q "$@"; }; }
echo "bench-cpu-engine: building (./frugal builds when sources changed; classpaths of model and optimizers' tests)"
./frugal bench >"$LOGS/build.log" 2>&1   # builds the whole project (tests skipped) if stale, then prints usage
if [ ! -f spark-job/target/.launcher-built ] || [ ! -d optimizers/target/test-classes/META-INF ]; then
  mvnw -DskipTests -Dshade.phase=none package >>"$LOGS/build.log" 2>&1 && touch spark-job/target/.launcher-built
fi
mvnw -pl model dependency:build-classpath -Dmdep.outputFile="$LOGS/model.classpath" >>"$LOGS/build.log" 2>&1
mvnw -pl optimizers dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$LOGS/optimizers.classpath" >>"$LOGS/build.log" 2>&1
for f in model/target/classes/io/frugalspark/model/ModelBench.class optimizers/target/test-classes/io/frugalspark/optim/bench/TriadBenchmark.class \
    "$LOGS/model.classpath" "$LOGS/optimizers.classpath"; do
  [ -f "$f" ] || { echo "bench-cpu-engine: the build did not produce $f (see $LOGS/build.log)" >&2; exit 1; }
done
MODEL_CP="model/target/classes:$(cat "$LOGS/model.classpath")"
OPT_CP="optimizers/target/test-classes:optimizers/target/classes:$(cat "$LOGS/optimizers.classpath")"

if has_part tokenize; then
  if [ -z "$CORPUS" ]; then
    CORPUS="$ROOT/runs/corpus/debian-docs"
    if ! ls "$CORPUS"/c4-train.*.json.gz >/dev/null 2>&1; then
      if [ "$SMOKE" = 1 ]; then
        CORPUS="$ROOT/data/corpus/c4-en"; echo "bench-cpu-engine: smoke: no real-text corpus, using the shipped $CORPUS"
      else
        echo "bench-cpu-engine: building the real-text corpus (scripts/build-real-corpus.sh $CORPUS)"
        scripts/build-real-corpus.sh "$CORPUS" 2>&1 | tee "$LOGS/corpus.log" | tail -2
      fi
    fi
  fi
  CORPUS_FILES=$(ls "$CORPUS"/c4-train.*.json.gz 2>/dev/null | wc -l)
  [ "$CORPUS_FILES" -gt 0 ] || { echo "bench-cpu-engine: no c4-train.*.json.gz in $CORPUS" >&2; exit 1; }
  [ "$SMOKE" = 1 ] && CORPUS_FILES=2
fi

# --- machine ------------------------------------------------------------------------------------------------
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "git: $(git rev-parse --short HEAD) ($(git rev-parse --abbrev-ref HEAD)), $(git status --porcelain | wc -l) uncommitted paths"
  echo "uname: $(uname -srm)"
  echo "nproc: $(nproc); memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "load average at start: $(loadavg)"
  echo "OPENBLAS_CORETYPE in the calling environment: ${OPENBLAS_CORETYPE-unset}"
  echo "--- lscpu"; lscpu
  echo "--- java -version"; java -version 2>&1
  echo "--- torch"
  if [ "$TORCH" = 1 ]; then
    "$PY" -c 'import torch; print("torch", torch.__version__, "threads", torch.get_num_threads()); print(torch.__config__.show())' 2>&1
    echo "libblas.so.3 -> $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo none)"
  else
    echo "not available"
  fi
  echo "--- OpenBLAS core each library picks (openblas_get_corename through ctypes), per setting"
  for lib in $(find "$HOME/.javacpp/cache" -name 'libopenblas*.so.0' 2>/dev/null) $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null); do
    for s in "${ENV_LIST[@]}"; do
      # shellcheck disable=SC2046
      echo "$lib, $s: $($(env_cmd "$s") "$PY" -c 'import ctypes, sys
l = ctypes.CDLL(sys.argv[1]); f = l.openblas_get_corename; f.restype = ctypes.c_char_p
g = l.openblas_get_config; g.restype = ctypes.c_char_p; print(f().decode(), "|", g().decode())' "$lib" 2>&1 | tail -1)"
    done
  done
} >"$LOGS/machine.txt" 2>&1

# --- part 1: model -----------------------------------------------------------------------------------------
if has_part model; then
  part_begin model
  JAVA_MODEL=(java -Xmx4g -cp "$MODEL_CP" io.frugalspark.model.ModelBench "${MODEL_ARGS[@]}")
  TORCH_MODEL=("$PY" model/src/test/python/bench_llama_torch.py "${MODEL_ARGS[@]}")
  for r in $(seq 1 "$ROUNDS"); do
    for s in "${ENV_LIST[@]}"; do
      run "model-java-$s-r$r" model "$s" "$r" "${JAVA_MODEL[@]}" --gemm "$GEMM" --profile
      [ "$TORCH" = 1 ] && run "model-torch-$s-r$r" model "$s" "$r" "${TORCH_MODEL[@]}"
      run "model-sltrain-$s-r$r" model "$s" "$r" "${JAVA_MODEL[@]}" --sltrain
    done
  done
  part_end model
fi

# --- part 2: optimizer step --------------------------------------------------------------------------------
if has_part optim; then
  part_begin optim
  for s in "${ENV_LIST[@]}"; do
    TORCH_OPT=("$PY" optimizers/src/test/python/adamw_step_bench.py "${TORCH_OPT_ARGS[@]}")
    [ "$TORCH" = 1 ] && run "optim-torch-$s-1" optim "$s" 1 "${TORCH_OPT[@]}"
    run "optim-jmh-$s" optim "$s" 1 java -cp "$OPT_CP" org.openjdk.jmh.Main '(StepBenchmark|TriadBenchmark)' \
      -p preset=adamw,frugal "${JMH_ARGS[@]}" -rf json -rff "$LOGS/optim-jmh-$s.json"
    [ "$TORCH" = 1 ] && run "optim-torch-$s-2" optim "$s" 2 "${TORCH_OPT[@]}"
    [ "$TORCH" = 1 ] && run "optim-torch-$s-3" optim "$s" 3 "${TORCH_OPT[@]}"
  done
  part_end optim
fi

# --- part 3: tokenize --------------------------------------------------------------------------------------
if has_part tokenize; then
  part_begin tokenize
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-cpu-engine-tok.XXXXXX")"
  for s in "${ENV_LIST[@]}"; do
    run "tokenize-$s" tokenize "$s" 1 ./frugal bench tokenize --corpus "$CORPUS" "${TOK_ARGS[@]}" --files "$CORPUS_FILES" \
      --tokenizers bpe,o200k_base --work "$WORK/$s"
    rm -rf "${WORK:?}/$s"
  done
  rmdir "$WORK" 2>/dev/null
  part_end tokenize
fi

# --- summary -----------------------------------------------------------------------------------------------
ELAPSED=$(( $(date +%s) - T_START ))
"$PY" - "$LOGS" "$RESULT" "$SMOKE" "$ELAPSED" "$EST" "$CORPUS" "$INVOCATION" <<'PY'
import json, pathlib, re, statistics, sys
logs, result, smoke, elapsed, est, corpus = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3] == "1", int(sys.argv[4]), sys.argv[5], sys.argv[6]
rows = [l.rstrip("\n").split("\t") for l in open(logs / "runs.tsv")]
runs = [dict(zip(rows[0], r)) for r in rows[1:]]
parts = [l.rstrip("\n").split("\t") for l in list(open(logs / "parts.tsv"))[1:]]
def text(name):
    p = logs / f"{name}.log"
    return p.read_text(errors="replace") if p.exists() else ""
NUM = r"([0-9.]+|NaN)"
def grab(pattern, s, cast=float):
    m = re.search(pattern, s, re.M)
    return tuple(cast(x) for x in m.groups()) if m else None
def fb(s):  # the forward+backward line of ModelBench and bench_llama_torch.py
    g = grab(r"^forward\+backward: mean ([0-9.]+) s/step \(best ([0-9.]+)\), ([0-9.]+) tokens/s \(best ([0-9.]+)\), "
             r"([0-9.]+) GFLOP/s \(best ([0-9.]+)\), ([0-9.]+) cpu-s/step, peak RSS ([0-9.]+|NaN) GiB", s)
    return dict(zip("s best tok tokbest gf gfbest cpu rss".split(), g)) if g else None
def fmt(x, f="%.2f"):
    return "n/a" if x is None else f % x
def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None
lines, checks = [], []
def check(target, setting, measured, ok, detail=""):
    verdict = "n/a" if ok is None else ("PASS" if ok else "FAIL")
    checks.append((target, setting, measured, verdict, detail))
settings = list(dict.fromkeys(r["env"] for r in runs))

# part 1
model_rows, model = [], {}
for r in runs:
    if r["part"] != "model":
        continue
    s = text(r["name"]); kind = r["name"].split("-")[1]
    d = fb(s) or {}
    d["gemm"] = grab(r"^gemm n=(\d+): mean ([0-9.]+) GFLOP/s \(best ([0-9.]+)\); model mean at ([0-9.]+) %", s)
    d["lm"] = grab(r"^lm_head's three GEMMs alone: ([0-9.]+) ms; lm_head\+loss fwd\+bwd at ([0-9.]+)x", s)
    d["loss0"] = grab(r"^step 0: .* loss ([0-9.]+)", s)
    model.setdefault((kind, r["env"]), []).append(d)
    model_rows.append((r, kind, d))
flop_per_token = mean([d["gf"] / d["tok"] for (k, _), ds in model.items() if k == "java" for d in ds if d.get("tok")])
for s in settings:
    java, torch, sl = model.get(("java", s), []), model.get(("torch", s), []), model.get(("sltrain", s), [])
    if not java and not torch:
        continue
    jt, tt = mean([d.get("tok") for d in java]), mean([d.get("tok") for d in torch])
    need = 2.2 if s == "unset" else 1.8
    ratio = jt / tt if jt and tt else None
    check(f"llama-60m fwd+bwd >= {need}x PyTorch tokens/s", s, f"{fmt(ratio)}x (Java {fmt(jt, '%.1f')}, torch {fmt(tt, '%.1f')} tokens/s, mean of {len(java)} / {len(torch)} runs)",
          None if ratio is None else ratio >= need)
    gf, gm = mean([d.get("gf") for d in java]), mean([d["gemm"][1] for d in java if d.get("gemm")])
    ceil = mean([d["gemm"][3] for d in java if d.get("gemm")])  # ModelBench's own model mean / sgemm mean, per run
    check(">= 85 % of the sgemm n=2048 ceiling (same run, same BLAS)", s,
          f"{fmt(ceil, '%.1f')} % mean of runs (model {fmt(gf, '%.1f')} / sgemm {fmt(gm, '%.1f')} GFLOP/s; per run {', '.join(fmt(d['gemm'][3], '%.0f') + ' %' for d in java if d.get('gemm'))})",
          None if ceil is None else ceil >= 85)
    lm = [d["lm"][1] for d in java if d.get("lm")]
    check("lm_head + loss <= 1.15x its three GEMMs", s, f"{fmt(mean(lm))}x (per run {', '.join(fmt(x) for x in lm)})",
          None if not lm else mean(lm) <= 1.15)
    rss = [d.get("rss") for d in java if d.get("rss") is not None]
    check("peak RSS <= 2.6 GiB (dense Java)", s, f"{fmt(max(rss) if rss else None)} GiB max", None if not rss else max(rss) <= 2.6)
    ds, ss = mean([d.get("s") for d in java]), mean([d.get("s") for d in sl])
    slr = ss / ds if ds and ss else None
    check("SLTrain (rank 128, delta 0.03) <= 1.3x the dense step", s,
          f"{fmt(slr)}x ({fmt(ss, '%.3f')} / {fmt(ds, '%.3f')} s/step)", None if slr is None else slr <= 1.3)

# part 2
def hist_median(hist):  # [[value, count], ...] over every iteration of one fork
    pairs = sorted((v, c) for it in hist for v, c in it)
    n = sum(c for _, c in pairs)
    if n == 0:
        return None
    def at(k):
        for v, c in pairs:
            if k < c:
                return v
            k -= c
    return (at((n - 1) // 2) + at(n // 2)) / 2
optim = {}
for s in settings:
    jf = logs / f"optim-jmh-{s}.json"
    entries = json.loads(jf.read_text()) if jf.exists() and jf.stat().st_size else []
    for e in entries:
        name = e["benchmark"].split(".")[-2]
        key = e.get("params", {}).get("preset", "triad") if name == "StepBenchmark" else "triad"
        forks = [hist_median(f) for f in e["primaryMetric"].get("rawDataHistogram", [])]
        forks = [f for f in forks if f is not None]
        optim[(s, key)] = dict(forks=forks, median=statistics.median(forks) if forks else None,
                               p50=e["primaryMetric"]["scorePercentiles"].get("50.0"), params=e.get("params", {}))
    tr = [text(r["name"]) for r in runs if r["part"] == "optim" and r["env"] == s and "-torch-" in r["name"]]
    for fe in ("False", "True"):
        ms = [float(m) for t in tr for m in re.findall(rf"AdamW foreach={fe}: median ([0-9.]+) ms", t)]
        optim[(s, "torch-" + fe)] = dict(runs=ms, median=statistics.median(ms) if ms else None)
    tv = re.findall(r"^torch (\S+) AdamW", "\n".join(tr), re.M)
    optim[(s, "torch-version")] = tv[0] if tv else None
    jmh_log = text(f"optim-jmh-{s}")
    el = grab(r"triad: (\d+) elements, (\d+) bytes an op", jmh_log, int)
    optim[(s, "triad-bytes")] = el[1] if el else None
    if not entries and not tr:
        continue
    fr, ad, tri = (optim.get((s, k), {}).get("median") for k in ("frugal", "adamw", "triad"))
    tf, tt = optim[(s, "torch-False")]["median"], optim[(s, "torch-True")]["median"]
    faster = min(x for x in (tf, tt) if x is not None) if (tf or tt) else None
    r1 = fr / faster if fr and faster else None
    check("FRUGAL step <= 0.6x the faster torch AdamW (foreach on/off)", s,
          f"{fmt(r1)}x (FRUGAL {fmt(fr, '%.1f')} ms, median of {len(optim.get((s, 'frugal'), {}).get('forks', []))} fork medians; "
          f"torch foreach=False {fmt(tf, '%.1f')}, True {fmt(tt, '%.1f')} ms)", None if r1 is None else r1 <= 0.6)
    r2 = ad / tri if ad and tri else None
    gbs = optim[(s, "triad-bytes")] / (tri / 1e3) / 1e9 if tri and optim[(s, "triad-bytes")] else None
    check("AdamW step <= 2x the 2-thread triad bound (same bytes)", s,
          f"{fmt(r2)}x (AdamW {fmt(ad, '%.1f')} ms, triad {fmt(tri, '%.1f')} ms = {fmt(gbs, '%.1f')} GB/s)", None if r2 is None else r2 <= 2)
    optim[(s, "triad-gbs")] = gbs

# part 3
tok = {}
for s in settings:
    t = text(f"tokenize-{s}")
    if not t:
        continue
    b = grab(r"^bpe training: ([0-9.]+) MB sample, (\d+) distinct words, (\d+) merges: counting ([0-9.]+) s, merges ([0-9.]+) s, total ([0-9.]+) s", t)
    inp = grab(r"^input: ([0-9.]+) MB of raw text in (\d+) files", t)
    per = {(n, int(c)): (float(mbs), float(pc), float(sec), float(cpu)) for n, c, sec, mbs, pc, cpu in
           re.findall(r"^(\S+) local\[(\d)\]: [0-9.]+ MB text, \d+ tokens in ([0-9.]+) s: ([0-9.]+) MB/s, ([0-9.]+) MB/s per core; ([0-9.]+) CPU s", t, re.M)}
    sp = {n: float(x) for n, x in re.findall(r"^speedup 1 -> 2 cores, (\S+): ([0-9.]+)x", t, re.M)}
    tok[s] = dict(bpe=b, input=inp, per=per, speedup=sp)
    check("BPE training of 20 MB < 30 s", s, f"{fmt(b[5], '%.1f') if b else 'n/a'} s ({fmt(b[0], '%.1f') if b else 'n/a'} MB sample, {int(b[2]) if b else 'n/a'} merges)",
          None if not b else b[5] < 30)
    for n, need in (("bpe", 8), ("o200k_base", 4)):
        for c in (1, 2):
            v = per.get((n, c))
            check(f"{'trained 32k BPE' if n == 'bpe' else n} >= {need} MB/s per core, local[{c}]", s,
                  f"{fmt(v[1] if v else None)} MB/s per core", None if not v else v[1] >= need)
        check(f"{'trained 32k BPE' if n == 'bpe' else n}: local[2] >= 1.7x local[1]", s, f"{fmt(sp.get(n))}x", None if n not in sp else sp[n] >= 1.7)

# the markdown
machine = (logs / "machine.txt").read_text(errors="replace")
out = []
w = out.append
w(f"# bench-cpu-engine: issue 12's \"Done when\" figures, {machine.splitlines()[0][6:]}")
w("")
if smoke:
    w("**SMOKE RUN: every part at its smallest size. These figures are NOT results; do not paste them anywhere.**")
    w("")
w(f"`scripts/bench-cpu-engine.sh {sys.argv[7]}`: wall time {elapsed // 60} min {elapsed % 60} s (estimated at start: {est}). "
  f"Logs: `{logs}`.")
w("")
w("Each command ran with `OMP_WAIT_POLICY=PASSIVE` and either `env -u OPENBLAS_CORETYPE` (unset in that command alone) "
  "or `OPENBLAS_CORETYPE=<setting>`; load average (1, 5, 15 min) before -> after each command and each part.")
w("")
w("## Targets")
w("")
w("| target | OPENBLAS_CORETYPE | measured | verdict |")
w("|---|---|---|---|")
for tgt, s, m, v, _ in checks:
    w(f"| {tgt} | {s} | {m} | **{v}** |")
w("")
w("| part | load before -> after | UTC |")
w("|---|---|---|")
for p in parts:
    w(f"| {p[0]} | {p[1]} -> {p[2]} | {p[3]}-{p[4]} |")
w("")
w("## Machine")
w("")
w("```")
w(machine.rstrip())
w("```")
w("")
if model_rows:
    w("## For model/BENCHMARKS.md: llama-60m fwd+bwd B8 x 256, ModelBench and bench_llama_torch.py interleaved")
    w("")
    w(f"GFLOP/s counts causal attention at half (ModelBench's count{'' if flop_per_token is None else f', {flop_per_token:.4f} GFLOP a token'}); "
      "the torch rows are converted with the same count (its own printout counts attention in full).")
    w("")
    w("| round | run | OPENBLAS_CORETYPE | load before -> after | tokens/s mean (best) | GFLOP/s mean | cpu-s/step | sgemm n=2048 GFLOP/s mean (best) | model / sgemm | lm_head+loss / its GEMMs | peak RSS GiB | first-step loss | BLAS mapped |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r, kind, d in model_rows:
        label = {"java": "Java dense", "torch": "PyTorch", "sltrain": "Java SLTrain r128 d0.03"}[kind]
        if not d.get("tok"):
            w(f"| {r['round']} | {label} | {r['env']} | {r['load_before']} -> {r['load_after']} | failed (exit {r['rc']}, `{r['name']}.log`) | | | | | | | | |")
            continue
        gf = d["gf"] if kind != "torch" or flop_per_token is None else d["tok"] * flop_per_token
        g = d.get("gemm"); lm = d.get("lm")
        w(f"| {r['round']} | {label} | {r['env']} | {r['load_before']} -> {r['load_after']} | {d['tok']:.1f} ({d['tokbest']:.1f}) | {gf:.1f} | {d['cpu']:.2f} | "
          f"{f'{g[1]:.1f} ({g[2]:.1f})' if g else '-'} | {f'{g[3]:.0f} %' if g else '-'} | {f'{lm[1]:.2f}x' if lm else '-'} | {fmt(d['rss'])} | "
          f"{fmt(d['loss0'][0], '%.4f') if d.get('loss0') else '-'} | {r['blas'].replace(' ', '<br>')} |")
    w("")
    w("Commands (from the logs):")
    w("")
    w("```")
    for c in dict.fromkeys(r["command"].replace(str(pathlib.Path.cwd()) + "/", "") for r, _, _ in model_rows):
        w(re.sub(r"-cp \S+", "-cp <model classpath>", c))
    w("```")
    w("")
if any(k[1] in ("adamw", "frugal", "triad") for k in optim):
    w("## For optimizers/BENCHMARKS.md: one optimizer step over llama-60m's tensors, JMH against torch.optim.AdamW")
    w("")
    w("JMH `SampleTime`, median of each fork's samples, then the median of the forks; torch: median of 30 steps "
      "per run, then the median of the runs. The triad moves 12 bytes an element over as many bytes as an AdamW step "
      "moves at least (reads g, m, v, p; writes m, v, p: 28 bytes a parameter), so its time is the bound itself.")
    w("")
    w("| OPENBLAS_CORETYPE | step | median of fork medians (ms) | fork medians | JMH p50 over all forks | vs faster torch | vs triad |")
    w("|---|---|---|---|---|---|---|")
    for s in settings:
        tf, tt = optim.get((s, "torch-False"), {}).get("median"), optim.get((s, "torch-True"), {}).get("median")
        faster = min([x for x in (tf, tt) if x is not None], default=None)
        tri = optim.get((s, "triad"), {}).get("median")
        for k, label in (("adamw", "AdamW (this module)"), ("frugal", "FRUGAL block descending, rho 0.25"), ("triad", "2-thread triad")):
            e = optim.get((s, k))
            if not e:
                continue
            extra = f" ({fmt(optim.get((s, 'triad-gbs')), '%.1f')} GB/s)" if k == "triad" else ""
            w(f"| {s} | {label}{extra} | {fmt(e['median'], '%.1f')} | {', '.join(fmt(f, '%.1f') for f in e['forks'])} | {fmt(e['p50'], '%.1f')} | "
              f"{fmt(e['median'] / faster if e['median'] and faster else None)}x | {'-' if k == 'triad' else fmt(e['median'] / tri if e['median'] and tri else None) + 'x'} |")
        for fe in ("False", "True"):
            e = optim.get((s, "torch-" + fe))
            if e and e["runs"]:
                w(f"| {s} | torch {optim.get((s, 'torch-version'))} AdamW foreach={fe} | {fmt(e['median'], '%.1f')} | runs: {', '.join(fmt(x, '%.1f') for x in e['runs'])} | | | |")
    w("")
    w("| command | OPENBLAS_CORETYPE | load before -> after | UTC |")
    w("|---|---|---|---|")
    for r in runs:
        if r["part"] == "optim":
            w(f"| `{r['name']}` | {r['env']} | {r['load_before']} -> {r['load_after']} | {r['start']}-{r['end']} |")
    w("")
if tok:
    w("## For data-pipeline/BENCHMARKS.md: tokenize stage on the real-text corpus")
    w("")
    w(f"`./frugal bench tokenize --corpus {corpus} --mb 0` (every document once) `--files <the corpus's file count> "
      "--tokenizers bpe,o200k_base`: one SparkContext per core count, a one-file warm-up job, then the timed job "
      "(read, gunzip, JSON parse, tokenize, pack, write shards, manifest); BPE training timed separately on one thread.")
    w("")
    w("| OPENBLAS_CORETYPE | load before -> after | input | BPE training (counting + merges) | tokenizer | local[1] MB/s per core (MB per CPU-s) | local[2] MB/s per core (MB per CPU-s) | local[2] / local[1] |")
    w("|---|---|---|---|---|---|---|---|")
    for s, d in tok.items():
        r = next(r for r in runs if r["name"] == f"tokenize-{s}")
        b, inp = d["bpe"], d["input"]
        for n in dict.fromkeys(k[0] for k in d["per"]):
            p1, p2 = d["per"].get((n, 1)), d["per"].get((n, 2))
            cell = lambda p, c: "-" if not p else f"{p[1]:.2f} ({(p[0] * p[2]) / p[3]:.2f})"
            w(f"| {s} | {r['load_before']} -> {r['load_after']} | {f'{inp[0]:.1f} MB, {int(inp[1])} files' if inp else '-'} | "
              f"{f'{b[5]:.1f} s ({b[3]:.1f} + {b[4]:.1f}), {b[0]:.1f} MB, {int(b[2])} merges' if b else '-'} | {n} | {cell(p1, 1)} | {cell(p2, 2)} | {fmt(d['speedup'].get(n))}x |")
    w("")
w("## Every command")
w("")
w("| log | part | OPENBLAS_CORETYPE | round | load before -> after | UTC | exit |")
w("|---|---|---|---|---|---|---|")
for r in runs:
    w(f"| `{r['name']}.log` | {r['part']} | {r['env']} | {r['round']} | {r['load_before']} -> {r['load_after']} | {r['start']}-{r['end']} | {r['rc']} |")
result.write_text("\n".join(out) + "\n")
print()
if smoke:
    print("SMOKE RUN: the figures below only show that every part ran; they are not results.")
width = max((len(t) + len(s) for t, s, *_ in checks), default=20) + 3
for tgt, s, m, v, _ in checks:
    print(f"{v:4}  {(tgt + ' [' + s + ']'):{width}} {m}")
print(f"\nwall time {elapsed // 60} min {elapsed % 60} s; results: {result}")
PY
