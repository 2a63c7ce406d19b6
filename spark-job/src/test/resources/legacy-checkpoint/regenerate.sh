#!/usr/bin/env bash
# Rewrites the legacy-format checkpoint fixtures: the optimizer-state format of commit 94823bd (the
# last with FRGS optimizer.bin), the model and BLAS of the current tree (whose float32 rounding the
# exact comparison in LegacyCheckpointTest pins). Run from anywhere; takes a few minutes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(git -C "$here" rev-parse --show-toplevel)"
work="$(mktemp -d)"
out="$work/out"
trap 'git -C "$repo" worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$repo" worktree add -q --detach "$work/tree" 94823bd
cd "$work/tree"
# today's model and dependency pins over the old optimizer and trainer code
rm -rf model && cp -r "$repo/model" model && rm -rf model/target
sed '/<module>cuda-engine<\/module>/d' "$repo/pom.xml" > pom.xml
cp "$here/LegacyFixtureWriter.java.txt" spark-job/src/test/java/io/frugalspark/job/train/LegacyFixtureWriter.java
mvn -B -q -pl spark-job -am test -Dtest=LegacyFixtureWriter -Dsurefire.failIfNoSpecifiedTests=false -Dfixture.out="$out"
for p in frugal galore; do
  rm -rf "${here:?}/$p" && mkdir -p "$here/$p"
  cp -r "$out/$p/ckpt/step-00000004" "$here/$p/"
  find "$here/$p" -name '.*.crc' -delete
  cp "$out/$p/metrics/metrics.jsonl" "$here/$p/uninterrupted-metrics.jsonl"
done
echo "fixtures rewritten under $here"
