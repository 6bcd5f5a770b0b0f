#!/usr/bin/env bash
# gpu-build-check.sh: proves the CUDA build (-Pgpu,gpu-redist) on ANY Linux x86-64 host, GPU or not.
#   1. copies the work tree (tracked + untracked, not ignored files) to a separate build dir, so the default
#      build's target/ directories are never touched, and builds it there with -Pgpu,gpu-redist (no app jar);
#   2. runs every golden case (each dir under the golden root holding a case.json) with `k5 parity` of that build;
#   3. runs the tiny end to end (`k5 tiny-checkpoint` + `k5 generate` of 2 prompts) with that build;
#   4. hides the gpu-redist jar (fresh JavaCPP cache) and checks that `k5 parity` then stops with ONE line naming
#      the missing CUDA library and exit 2 (no SIGSEGV, no fallback to a system libtorch);
#   5. `--device gpu` on a host without a GPU: one line, exit 2 (skipped where a GPU is visible).
# Downloads (first run, from Maven Central): ~3.0 GB (libtorch CUDA 616 MB, cuda-redist 12.9 362 MB, JavaCPP 1.5.11
# full CUDA redist 2.03 GB); ~5 GB extracted under ~/.javacpp/cache. Exit 0 only when every step passes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/target/gpu-build"
GOLDEN="$ROOT/../shared/golden"
PROFILES="gpu,gpu-redist"
BUILD_IT=1
usage() {
  cat <<USAGE
usage: benchmark/gpu-build-check.sh [--build-dir DIR] [--golden DIR] [--no-build] [--help]
  Builds -P$PROFILES in a copy (default $BUILD) and runs every golden case, the tiny generate,
  the missing-CUDA-library check and the --device gpu check with it. MVN_FLAGS (default "-B") is passed to
  mvn, e.g. MVN_FLAGS="-B -o" offline. Exit 0 when all pass, 1 otherwise, 2 on bad options.
USAGE
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) BUILD="$2"; shift 2 ;;
    --golden) GOLDEN="$2"; shift 2 ;;
    --no-build) BUILD_IT=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "gpu-build-check: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ -d "$GOLDEN" ]] || { echo "gpu-build-check: golden root $GOLDEN not found (--golden DIR)" >&2; exit 2; }
GOLDEN="$(cd "$GOLDEN" && pwd)"
fails=0
say() { printf '%s\n' "$*"; }
if [[ $BUILD_IT == 1 ]]; then
  mkdir -p "$BUILD"
  say "== copy work tree -> $BUILD"
  (cd "$ROOT" && git ls-files -z -co --exclude-standard | grep -zv '^target/' | xargs -0 cp --parents -t "$BUILD")
  say "== mvn -P$PROFILES package (no tests, no app jar)"
  t0=$(date +%s)
  (cd "$BUILD" && mvn ${MVN_FLAGS:--B} -q -P"$PROFILES" -DskipTests -Dk5.shade.skip=true -pl jobs -am package)
  say "build: $(( $(date +%s) - t0 )) s"
fi
K5="$BUILD/submit/k5"
CP="$BUILD/jobs/target/classpath.txt"
grep -q 'pytorch-2.7.1-1.5.12-linux-x86_64-gpu.jar' "$CP" || { say "FAIL $CP is not the CUDA build"; exit 1; }

say "== golden cases (k5 parity, CUDA build, --device cpu)"
pass=0; total=0
while IFS= read -r c; do
  d="$(dirname "$c")"; total=$((total + 1))
  t0=$(date +%s)
  if out=$("$K5" parity "$d" 2>&1); then pass=$((pass + 1)); st=PASS; else st=FAIL; fails=$((fails + 1)); fi
  say "$st ${d#"$GOLDEN"/} ($(( $(date +%s) - t0 )) s) $(printf '%s\n' "$out" | tail -1)"
  [[ $st == PASS ]] || printf '%s\n' "$out" | sed 's/^/    /'
done < <(find "$GOLDEN" -name case.json -not -path '*/tools/*' | sort)
say "golden: $pass/$total PASS"
[[ $total -gt 0 ]] || { say "FAIL no golden case under $GOLDEN"; fails=$((fails + 1)); }

say "== tiny generate (CUDA build)"
OUT="$BUILD/check-out"; rm -rf "$OUT"; mkdir -p "$OUT"
head -3 "$ROOT/configs/prompts/sample.csv" > "$OUT/prompts.csv"
if "$K5" tiny-checkpoint "$OUT/weights" > "$OUT/tiny.log" 2>&1 \
    && "$K5" generate --prompts "$OUT/prompts.csv" --out "$OUT" --run-id gpubuild --model "$ROOT/configs/model/tiny.yaml" \
         --weights-root "$OUT/weights" > "$OUT/generate.log" 2>&1; then
  say "ok $(grep '^k5 generate' "$OUT/generate.log")"
  ls "$OUT/gpubuild/videos/"*.mp4 >/dev/null || { say "FAIL no video written"; fails=$((fails + 1)); }
else
  say "FAIL tiny generate:"; tail -5 "$OUT/generate.log" "$OUT/tiny.log" | sed 's/^/    /'; fails=$((fails + 1))
fi

say "== missing CUDA library (gpu-redist jar hidden, fresh JavaCPP cache)"
cp "$CP" "$CP.full"
trap 'mv -f "$CP.full" "$CP"' EXIT
tr ':' '\n' < "$CP.full" | grep -v 'cuda-12.6-9.5-1.5.11' | paste -sd: > "$CP"
first_case="$(find "$GOLDEN" -name case.json -not -path '*/tools/*' | sort | head -1)"
set +e
err=$(K5_JAVA_OPTS="-Xmx3g -Dorg.bytedeco.javacpp.cachedir=$BUILD/javacpp-cache-missing" "$K5" parity "$(dirname "$first_case")" 2>&1 >/dev/null)
rc=$?
set -e
mv -f "$CP.full" "$CP"; trap - EXIT
rm -rf "$BUILD/javacpp-cache-missing"
if [[ $rc == 2 && $(printf '%s\n' "$err" | wc -l) == 1 && "$err" == *"is missing; it comes with"* ]]; then
  say "ok exit 2, one line: $err"
else
  say "FAIL expected exit 2 and one line naming the library, got exit $rc:"; printf '%s\n' "$err" | head -5 | sed 's/^/    /'
  fails=$((fails + 1))
fi

if [[ ! -e /proc/driver/nvidia/version ]]; then
  say "== --device gpu without a GPU"
  set +e
  err=$("$K5" parity --device gpu "$(dirname "$first_case")" 2>&1 >/dev/null); rc=$?
  set -e
  if [[ $rc == 2 && $(printf '%s\n' "$err" | wc -l) == 1 ]]; then say "ok exit 2, one line: $err"; else
    say "FAIL expected exit 2 and one line, got exit $rc: $err"; fails=$((fails + 1)); fi
fi

if [[ $fails == 0 ]]; then say "ALL PASS"; exit 0; fi
say "$fails FAILED"; exit 1
