#!/usr/bin/env bash
# The process-level fault suite of issue 17: a Spark standalone master and two workers on 127.0.0.1,
# the driver as ./frugal, and an in-process MiniDFS (3 datanodes, replication 2); each fault at seeded
# random points, RUNS times. Prints one line per run and the matrix (also in runs/faults/matrix.md).
# usage: scripts/fault-matrix.sh [SEED] [RUNS] [FAULTS]   FAULTS: all | comma list of
#        executor-kill,driver-kill,datanode-stop,quota,tokenize-kill
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
SEED=${1:-17}
RUNS=${2:-3}
FAULTS=${3:-all}
cd "$ROOT"
"$ROOT/frugal" info >/dev/null   # builds the launcher's jar and classpath if needed
TEST_CP="$ROOT/spark-job/target/test-classpath.txt"
./mvnw -B -o -q -pl spark-job -am -DskipTests -Dshade.phase=none test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$TEST_CP" >&2
CP="$ROOT/spark-job/target/test-classes:$ROOT/spark-job/target/classes:$(cat "$TEST_CP")"
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
# The matrix JVM leads its own process group: every daemon, driver and executor it starts is in it,
# so the trap takes the whole tree down even if the matrix JVM itself dies first.
# Its stderr (MiniDFS and Spark logging) goes to a file; the matrix and one line per run to stdout.
mkdir -p "$ROOT/runs/faults"
setsid java -Xmx1g $OPENS -cp "$CP" io.frugalspark.job.faults.FaultMatrix "$ROOT" "$SEED" "$RUNS" "$FAULTS" \
  2>"$ROOT/runs/faults/matrix-jvm.log" &
LEADER=$!
cleanup() {
  kill -TERM -- "-$LEADER" 2>/dev/null || true
  sleep 3
  kill -KILL -- "-$LEADER" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
wait "$LEADER"
