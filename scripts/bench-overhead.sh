#!/usr/bin/env bash
# Averaging overhead with real serialization: a standalone Spark master and two workers started on
# localhost from the project's own classpath, one single-core executor each, training llama-60m shapes
# with FRUGAL at averaging period 16. Prints (broadcast + aggregate) / compute per round from the metrics.
# usage: scripts/bench-overhead.sh [ROUNDS] [PERIOD]   (results: runs/bench/overhead/)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
ROUNDS=${1:-2}
PERIOD=${2:-16}
OUT="$ROOT/runs/bench/overhead"
PORT=7177
mkdir -p "$OUT" "$OUT/spark-home/jars"
# The standalone worker builds executor commands with Spark's launcher, which wants these two.
export SPARK_HOME="$OUT/spark-home" SPARK_SCALA_VERSION=2.12
"$ROOT/frugal" info >/dev/null   # builds if needed
CP="$ROOT/spark-job/target/spark-job-0.1.0-SNAPSHOT.jar:$(cat "$ROOT/spark-job/target/classpath.txt")"
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
java $OPENS -cp "$CP" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port $PORT --webui-port 0 >"$OUT/master.log" 2>&1 &
pids+=($!)
sleep 5
for i in 1 2; do
  java $OPENS -cp "$CP" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 6g --webui-port 0 \
    --work-dir "$OUT/worker$i" spark://127.0.0.1:$PORT >"$OUT/worker$i.log" 2>&1 &
  pids+=($!)
done
sleep 5
"$ROOT/frugal" tokenize --set data.output="$ROOT/runs/bench/tokens-257" --set data.seq_len=257 --set data.vocab_size=2048 \
  --set data.bpe_sample_bytes=4000000 >"$OUT/tokenize.log" 2>&1
FRUGAL_DRIVER_MEMORY=6g "$ROOT/frugal" train --master spark://127.0.0.1:$PORT \
  --conf spark.executor.extraClassPath="$CP" --conf spark.executor.memory=3g --conf spark.executor.cores=1 \
  --conf spark.cores.max=2 --conf spark.task.cpus=1 --conf spark.driver.maxResultSize=4g \
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
  --conf "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=6G -Dorg.bytedeco.javacpp.maxphysicalbytes=9G" \
  --set data.output="$ROOT/runs/bench/tokens-257" --set model.preset=llama-60m --set optimizer.preset=frugal \
  --set train.workers=2 --set train.micro_batch=2 --set train.global_batch=8 --set train.averaging.period=$PERIOD \
  --set train.steps=$((ROUNDS * PERIOD)) --set eval.every=0 --set eval.tokens=512 --set checkpoint.every=0 \
  --set checkpoint.dir="$OUT/ckpt" --set metrics.dir="$OUT" | tee "$OUT/train.log"
python3 - "$OUT/metrics.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if '"round"' in l]
print("round  broadcast_ms  compute_ms  aggregate_ms  overhead")
for r in rows:
    o = (r["time_broadcast_ms"] + r["time_aggregate_ms"]) / r["time_compute_ms"]
    print(f'{r["round"]:5d}  {r["time_broadcast_ms"]:12.0f}  {r["time_compute_ms"]:10.0f}  {r["time_aggregate_ms"]:12.0f}  {o:8.1%}')
PY
