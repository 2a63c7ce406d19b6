#!/usr/bin/env bash
# Builds the portable GPU check: a jlink'd JRE with only the modules the engine needs, the cuda-engine
# jar, javacpp and the CUDA 13 binding jars (no ND4J, no Spark, no CUDA libraries: GPU hosts have those),
# in one folder and one tar.gz of at most 50 MB. With --check it also runs the bundle here and accepts
# exit 0 (a GPU passed every check) or 3 (no GPU on this machine); anything else fails the script.
# usage: scripts/build-gpu-bundle.sh [--check]   (output: cuda-engine/target/gpu-bundle/)
# On a GPU node: tar xzf frugal-gpu-check.tar.gz && frugal-gpu-check/gpu-check [--device N]
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
OUT="$ROOT/cuda-engine/target/gpu-bundle"
NAME=frugal-gpu-check
LIMIT_BYTES=$((50 * 1000 * 1000))
MVN="mvn"; [ -x "$ROOT/mvnw" ] && MVN="$ROOT/mvnw"

rm -rf "$OUT" && mkdir -p "$OUT/$NAME/lib"
# runtime scope: the engine, javacpp, cuda (+ its linux-x86_64 JNI jar); the test-only NVRTC redist stays out
"$MVN" -B -q -f "$ROOT/pom.xml" -pl cuda-engine -DskipTests package dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$OUT/$NAME/lib"
cp "$ROOT"/cuda-engine/target/cuda-engine-*.jar "$OUT/$NAME/lib/"
ls "$OUT/$NAME/lib" | grep -qi nd4j && { echo "bundle: ND4J reached the runtime classpath" >&2; exit 1; }

MODULES=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 -q \
    --class-path "$OUT/$NAME/lib/*" "$OUT"/$NAME/lib/cuda-engine-*.jar)
jlink --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "$OUT/$NAME/jre"

cat > "$OUT/$NAME/gpu-check" <<'LAUNCHER'
#!/bin/sh
# Runs the frugal-spark GPU check. Needs the NVIDIA driver (580+) and CUDA 13 libraries: libcudart.so.13,
# libcublas.so.13, libcublasLt.so.13, libnvrtc.so.13, found on the library path, in /usr/local/cuda*/lib64,
# or in the nvidia-* wheels of a Python (PyTorch for CUDA 13 installs them).
# Exit: 0 passed, 1 a check failed, 2 usage, 3 no NVIDIA GPU or driver here.
HERE="$(cd "$(dirname "$0")" && pwd)"
EXTRA=""
for d in /usr/local/cuda/lib64 /usr/local/cuda-13*/lib64 /usr/local/cuda-13*/targets/x86_64-linux/lib; do
  [ -d "$d" ] && EXTRA="$EXTRA:$d"
done
if command -v python3 >/dev/null 2>&1; then
  for d in $(python3 -c 'import site,glob; print(" ".join(d for p in site.getsitepackages() for d in glob.glob(p + "/nvidia/*/lib")))' 2>/dev/null); do
    EXTRA="$EXTRA:$d"
  done
fi
LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH}$EXTRA"
export LD_LIBRARY_PATH="${LD_LIBRARY_PATH#:}"
exec "$HERE/jre/bin/java" -Dorg.bytedeco.javacpp.cachedir="${FRUGAL_JAVACPP_CACHE:-$HOME/.javacpp/cache}" \
    -cp "$HERE/lib/*" io.frugalspark.cuda.GpuCheck "$@"
LAUNCHER
chmod +x "$OUT/$NAME/gpu-check"

tar -C "$OUT" -czf "$OUT/$NAME.tar.gz" "$NAME"
SIZE=$(stat -c %s "$OUT/$NAME.tar.gz")
echo "bundle: $OUT/$NAME.tar.gz $SIZE bytes ($(du -sb "$OUT/$NAME" | cut -f1) unpacked; JRE modules: $MODULES)"
[ "$SIZE" -le "$LIMIT_BYTES" ] || { echo "bundle: over the 50 MB limit" >&2; exit 1; }

if [ "${1:-}" = "--check" ]; then
  set +e
  FRUGAL_JAVACPP_CACHE="$OUT/javacpp-cache" "$OUT/$NAME/gpu-check" | tee "$OUT/check.log"
  rc=${PIPESTATUS[0]}
  set -e
  case $rc in
    0) echo "bundle: GPU check passed" ;;
    3) grep -q '^NO GPU: ' "$OUT/check.log" && echo "bundle: no GPU here, the check exited 3 as documented" ;;
    *) echo "bundle: the check exited $rc" >&2; exit 1 ;;
  esac
fi
