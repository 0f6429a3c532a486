#!/usr/bin/env bash
# End-to-end throughput and memory of `trailsieve filter`, measured against the floor (../shared/tools/floor) in one run.
# A measurement, not a test: it exits 0 whatever the figures are (non-zero only when it cannot run at all).
#
# Environment (defaults in brackets):
#   FILES [200], EVENTS [2500], SEED [1]  data set for the throughput run (../shared/tools/gen_cloudtrail.py)
#   RUNS [2]                              runs of each side; the best is reported
#   THREADS [2]                           floor threads and trailsieve --parallelism
#   RULES [rules/default.yaml]            rules for every trailsieve run
#   BIG [1]                               0 skips the ~2 GB single-file memory run; BIG_BYTES [2000000000] sizes it
#   BIG_EVENTS [200000]                   records of the single-file memory run (0 skips it)
#   WORK [bench/.work]                    data, builds and outputs (data is reused when its parameters match)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=$(cd "$ROOT/../shared" && pwd)
FILES=${FILES:-200}
EVENTS=${EVENTS:-2500}
SEED=${SEED:-1}
RUNS=${RUNS:-2}
THREADS=${THREADS:-2}
RULES=${RULES:-$ROOT/rules/default.yaml}
BIG=${BIG:-1}
BIG_BYTES=${BIG_BYTES:-2000000000}
BIG_EVENTS=${BIG_EVENTS:-200000}
WORK=${WORK:-$HERE/.work}
LIMIT_MIB=256

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
LOGS=$WORK/logs
mkdir -p "$LOGS"

say() { printf '[bench] %s\n' "$*" >&2; }

# gen_data DIR ARGS...: runs the shared generator into DIR once; DIR's name carries the parameters.
gen_data() {
  local dir=$1
  shift
  if [[ -f $dir/.complete ]]; then
    say "reusing $dir ($(cat "$dir/.complete"))"
    return
  fi
  rm -rf "$dir"
  say "generating $dir"
  python3 "$SHARED/tools/gen_cloudtrail.py" "$dir" "$@" >"$dir.gen.log"
  mv "$dir.gen.log" "$dir/.complete"
}

# measure NAME CMD...: runs CMD, sets STATUS, WALL (seconds) and RSS_KIB (peak resident set); output in $LOGS/NAME.*
measure() {
  local name=$1
  shift
  local start end
  start=$(date +%s%N)
  if [[ -x /usr/bin/time ]]; then
    if /usr/bin/time -v -o "$LOGS/$name.time" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err"; then STATUS=0; else STATUS=$?; fi
    RSS_KIB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$LOGS/$name.time")
  else
    # No GNU time: sample VmHWM (the kernel's own peak) until the process ends; growth in the last 50 ms is missed.
    "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err" &
    local pid=$! value
    RSS_KIB=0
    while kill -0 "$pid" 2>/dev/null; do
      value=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
      if [[ -n $value && $value -gt $RSS_KIB ]]; then RSS_KIB=$value; fi
      sleep 0.05
    done
    if wait "$pid"; then STATUS=0; else STATUS=$?; fi
  fi
  end=$(date +%s%N)
  WALL=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  if [[ $STATUS -ne 0 ]]; then
    say "$name exited $STATUS; stderr:"
    tail -n 20 "$LOGS/$name.err" >&2 || true
  fi
}

mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# --- builds -------------------------------------------------------------------------------------------------------
# build LOG CMD...: runs a dotnet build quietly, showing its log when it fails.
build() {
  local log=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    say "build failed: $*"
    grep -E 'error|Error' "$log" | sort -u | head -n 20 >&2
    exit 1
  fi
}

# ../shared is read-only, so the floor is built from a copy. The copy sits in a temporary folder outside the repo so
# that the repo's Directory.Build.props, central packages and .editorconfig (warnings as errors) stay out of it.
say "building the floor"
FLOOR_SRC=$(mktemp -d "${TMPDIR:-/tmp}/trailsieve-floor.XXXXXX")
trap 'rm -rf "$FLOOR_SRC"' EXIT
cp "$SHARED/tools/floor/Program.cs" "$SHARED/tools/floor/floor.csproj" "$FLOOR_SRC/"
build "$LOGS/floor-build.log" dotnet build "$FLOOR_SRC/floor.csproj" -c Release -o "$WORK/floor-bin" --nologo -v quiet
FLOOR=$WORK/floor-bin/floor

say "publishing trailsieve"
build "$LOGS/publish.log" dotnet publish "$ROOT/src/TrailSieve.Worker" -c Release -o "$WORK/trailsieve-bin" --nologo -v quiet
TRAILSIEVE=$WORK/trailsieve-bin/trailsieve

# --- throughput ---------------------------------------------------------------------------------------------------
DATA=$WORK/data-${FILES}x${EVENTS}-seed${SEED}
gen_data "$DATA" --files "$FILES" --events-per-file "$EVENTS" --seed "$SEED"
IN_MB=$(du -sm --apparent-size "$DATA" | cut -f1)

best_floor=0
raw_mb=""
for i in $(seq 1 "$RUNS"); do
  measure "floor-$i" "$FLOOR" "$DATA" full "$THREADS"
  line=$(cat "$LOGS/floor-$i.out")
  say "floor run $i: $line"
  mbps=$(sed -n 's/.*raw_MBps=\([0-9.]*\).*/\1/p' <<<"$line")
  raw_mb=$(sed -n 's/.* raw=\([0-9.]*\)MB.*/\1/p' <<<"$line")
  if awk -v a="$mbps" -v b="$best_floor" 'BEGIN { exit !(a > b) }'; then best_floor=$mbps; fi
done
records=$((FILES * EVENTS))

best_wall=""
best_rss=0
best_summary=""
ts_failed=0
for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/out"
  measure "trailsieve-$i" "$TRAILSIEVE" filter --mode mirror --parallelism "$THREADS" --rules "$RULES" --out "$WORK/out" "$DATA"
  summary=$(grep -h '^files ' "$LOGS/trailsieve-$i.out" "$LOGS/trailsieve-$i.err" | tail -n 1 || true)
  say "trailsieve run $i: wall ${WALL} s, peak RSS $(mib "$RSS_KIB") MiB, exit $STATUS: $summary"
  if [[ $STATUS -ne 0 ]]; then ts_failed=1; continue; fi
  if [[ -z $best_wall ]] || awk -v a="$WALL" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
    best_wall=$WALL
    best_summary=$summary
  fi
  if [[ $RSS_KIB -gt $best_rss ]]; then best_rss=$RSS_KIB; fi
done
rm -rf "$WORK/out"

if [[ -n $best_wall ]]; then
  ts_mbps=$(awk -v m="$raw_mb" -v s="$best_wall" 'BEGIN { printf "%.0f", m / s }')
  ratio=$(awk -v t="$ts_mbps" -v f="$best_floor" 'BEGIN { printf "%.2f", t / f }')
  recs_per_s=$(awk -v r="$records" -v s="$best_wall" 'BEGIN { printf "%.0f", r / s }')
  ts_rss=$(mib "$best_rss")
  # trailsieve's own figure (its stopwatch starts after start-up and rule loading), for the same comparison
  self_mbps=$(sed -n 's/.* outputs [0-9]*, \([0-9.]*\) MB\/s.*/\1/p' <<<"$best_summary")
  self_ratio=$(awk -v t="$self_mbps" -v f="$best_floor" 'BEGIN { if (t == "") print "n/a"; else printf "%.2f", t / f }')
else
  ts_mbps="FAILED" ratio="n/a" recs_per_s="n/a" ts_rss="n/a" self_mbps="n/a" self_ratio="n/a"
fi

# --- memory -------------------------------------------------------------------------------------------------------
# memory_run NAME FILE: one trailsieve run over one file; sets MEM_RESULT to "N MiB (...)".
memory_run() {
  local name=$1 input=$2
  rm -rf "$WORK/out-$name"
  measure "$name" "$TRAILSIEVE" filter --mode mirror --parallelism "$THREADS" --rules "$RULES" --out "$WORK/out-$name" "$input"
  rm -rf "$WORK/out-$name"
  local summary verdict
  summary=$(grep -h '^files ' "$LOGS/$name.out" "$LOGS/$name.err" | tail -n 1 || true)
  if [[ $RSS_KIB -le $((LIMIT_MIB * 1024)) ]]; then verdict="within"; else verdict="OVER"; fi
  say "$name: wall ${WALL} s, peak RSS $(mib "$RSS_KIB") MiB ($verdict $LIMIT_MIB MiB), exit $STATUS: $summary"
  if [[ $STATUS -ne 0 ]]; then
    MEM_RESULT="$(mib "$RSS_KIB") MiB (FAILED, exit $STATUS)"
  else
    MEM_RESULT="$(mib "$RSS_KIB") MiB ($verdict $LIMIT_MIB MiB, ${WALL} s)"
  fi
}

mem_200k="skipped (BIG_EVENTS=0)"
if [[ $BIG_EVENTS -gt 0 ]]; then
  ONE=$WORK/data-1x${BIG_EVENTS}-seed${SEED}
  gen_data "$ONE" --files 1 --events-per-file "$BIG_EVENTS" --seed "$SEED"
  memory_run "one-file-${BIG_EVENTS}" "$ONE"
  mem_200k=$MEM_RESULT
fi

mem_big="skipped (BIG=0)"
if [[ $BIG != 0 ]]; then
  BIGFILE=$WORK/big-${BIG_BYTES}/big.json.gz
  if [[ -f $BIGFILE ]]; then
    say "reusing $BIGFILE"
  else
    say "generating $BIGFILE (~$((BIG_BYTES / 1000000)) MB uncompressed, about a minute)"
    python3 "$HERE/gen_big_cloudtrail.py" "$BIGFILE" --bytes "$BIG_BYTES" >"$LOGS/big-gen.log"
  fi
  memory_run "big-${BIG_BYTES}" "$BIGFILE"
  mem_big=$MEM_RESULT
fi

# --- summary ------------------------------------------------------------------------------------------------------
cat <<SUMMARY

==== TrailSieve end-to-end benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores) ====
data            : $FILES files x $EVENTS records = $records records, ${IN_MB} MB gzip, ${raw_mb} MB uncompressed ($DATA)
method          : best of $RUNS runs per side; MB/s are uncompressed bytes (the floor's raw=) / seconds
floor full x$THREADS   : ${best_floor} MB/s (its stopwatch: gunzip + Utf8JsonReader scan + gzip Fastest copy of every record)
trailsieve      : ${ts_mbps} MB/s by wall clock (${best_wall:-n/a} s incl. process start-up), ${self_mbps} MB/s by its own stopwatch
ratio           : ${ratio} (wall clock), ${self_ratio} (own stopwatch); target >= 0.85
records/s       : ${recs_per_s}
peak RSS        : ${ts_rss} MiB (throughput run, worst of $RUNS)
one file, ${BIG_EVENTS} records: ${mem_200k}
one ~2 GB file  : ${mem_big}
rules           : $RULES, --parallelism $THREADS, --mode mirror; logs in $LOGS

floor full x$THREADS: ${best_floor} MB/s | trailsieve: ${ts_mbps} MB/s | ratio ${ratio} | records/s ${recs_per_s} | peak RSS ${ts_rss} MiB | ${BIG_EVENTS}-record file peak RSS ${mem_200k%% (*} | 2GB file peak RSS ${mem_big%% (*}
SUMMARY
if [[ $ts_failed -ne 0 ]]; then say "at least one trailsieve run failed; see $LOGS"; fi
exit 0
