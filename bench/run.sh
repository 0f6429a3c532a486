#!/usr/bin/env bash
# End-to-end throughput and memory of `trailsieve filter` with each gzip codec, measured in one run against the zlib-ng
# floor (../shared/tools/floor, the reference) and an ISA-L floor (bench/TrailSieve.Floor: the same steps with ISA-L).
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

. "$HERE/lib.sh"

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

say "building the ISA-L floor (bench/TrailSieve.Floor)"
build "$LOGS/floor-isal-build.log" dotnet build "$HERE/TrailSieve.Floor" -c Release -o "$WORK/floor-isal-bin" --nologo -v quiet
PFLOOR=$WORK/floor-isal-bin/floor

say "publishing trailsieve"
build "$LOGS/publish.log" dotnet publish "$ROOT/src/TrailSieve.Worker" -c Release -o "$WORK/trailsieve-bin" --nologo -v quiet
TRAILSIEVE=$WORK/trailsieve-bin/trailsieve

# ISA-L is measured only where libisal loads (the project's floor says so with exit 3).
HAVE_ISAL=1
if ! "$PFLOOR" "$ROOT/samples" read 1 isal >"$LOGS/isal-probe.out" 2>&1; then
  HAVE_ISAL=0
  say "ISA-L is not available here ($(cat "$LOGS/isal-probe.out")); install libisal2 to measure it"
fi
CODECS="zlib"
if [[ $HAVE_ISAL -eq 1 ]]; then CODECS="zlib isal"; fi

# --- throughput ---------------------------------------------------------------------------------------------------
DATA=$WORK/data-${FILES}x${EVENTS}-seed${SEED}
gen_data "$DATA" --files "$FILES" --events-per-file "$EVENTS" --seed "$SEED"
IN_MB=$(du -sm --apparent-size "$DATA" | cut -f1)
records=$((FILES * EVENTS))

# Best figures per side, keyed by side name: floor-zlib (the shared reference), floor-isal (the project's floor with
# ISA-L), ts-zlib and ts-isal (trailsieve with Pipeline__Compression set). The sides take turns in every round, so a
# machine that slows down slows all of them.
declare -A BEST_FLOOR BEST_WALL BEST_SUMMARY WORST_RSS
raw_mb=""
ts_failed=0

floor_run() {
  local side=$1 name=$2
  shift 2
  measure "$name" "$@"
  local line mbps
  line=$(cat "$LOGS/$name.out")
  say "$side run: $line"
  mbps=$(sed -n 's/.*raw_MBps=\([0-9.]*\).*/\1/p' <<<"$line")
  raw_mb=$(sed -n 's/.* raw=\([0-9.]*\)MB.*/\1/p' <<<"$line")
  if awk -v a="$mbps" -v b="${BEST_FLOOR[$side]:-0}" 'BEGIN { exit !(a > b) }'; then BEST_FLOOR[$side]=$mbps; fi
}

trailsieve_run() {
  local codec=$1 name=$2 side=ts-$1 summary
  rm -rf "$WORK/out"
  measure "$name" env "Pipeline__Compression=$codec" "$TRAILSIEVE" filter --mode mirror --parallelism "$THREADS" --rules "$RULES" --out "$WORK/out" "$DATA"
  rm -rf "$WORK/out"
  summary=$(grep -h '^files ' "$LOGS/$name.out" "$LOGS/$name.err" | tail -n 1 || true)
  say "trailsieve ($codec) run: wall ${WALL} s, peak RSS $(mib "$RSS_KIB") MiB, exit $STATUS: $summary"
  if [[ $STATUS -ne 0 ]]; then ts_failed=1; return; fi
  if [[ -z ${BEST_WALL[$side]:-} ]] || awk -v a="$WALL" -v b="${BEST_WALL[$side]}" 'BEGIN { exit !(a < b) }'; then
    BEST_WALL[$side]=$WALL
    BEST_SUMMARY[$side]=$summary
  fi
  if [[ $RSS_KIB -gt ${WORST_RSS[$side]:-0} ]]; then WORST_RSS[$side]=$RSS_KIB; fi
}

for i in $(seq 1 "$RUNS"); do
  floor_run floor-zlib "floor-$i" "$FLOOR" "$DATA" full "$THREADS"
  if [[ $HAVE_ISAL -eq 1 ]]; then floor_run floor-isal "floor-isal-$i" "$PFLOOR" "$DATA" full "$THREADS" isal; fi
  for codec in $CODECS; do trailsieve_run "$codec" "trailsieve-$codec-$i"; done
done

# side_line CODEC: sets TS_MBPS, TS_SELF (own stopwatch MB/s), TS_WALL and TS_RSS for trailsieve with CODEC.
side_line() {
  local side=ts-$1
  TS_WALL=${BEST_WALL[$side]:-}
  if [[ -z $TS_WALL ]]; then TS_MBPS="FAILED" TS_SELF="n/a" TS_RSS="n/a"; return; fi
  TS_MBPS=$(awk -v m="$raw_mb" -v s="$TS_WALL" 'BEGIN { printf "%.0f", m / s }')
  # its own figure: the stopwatch starts after start-up and rule loading
  TS_SELF=$(sed -n 's/.* outputs [0-9]*, \([0-9.]*\) MB\/s.*/\1/p' <<<"${BEST_SUMMARY[$side]}")
  TS_RSS=$(mib "${WORST_RSS[$side]}")
}

# ratio A B: A / B to two places, n/a when either is not a number.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 == 0 || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }

floor_zlib=${BEST_FLOOR[floor-zlib]:-0}
floor_isal=${BEST_FLOOR[floor-isal]:-n/a}
side_line zlib
zlib_mbps=$TS_MBPS zlib_self=$TS_SELF zlib_wall=$TS_WALL zlib_rss=$TS_RSS
zlib_ratio=$(ratio "$zlib_mbps" "$floor_zlib")
zlib_self_ratio=$(ratio "$zlib_self" "$floor_zlib")
if [[ $HAVE_ISAL -eq 1 ]]; then
  side_line isal
  isal_mbps=$TS_MBPS isal_self=$TS_SELF isal_wall=$TS_WALL isal_rss=$TS_RSS
else
  isal_mbps="n/a" isal_self="n/a" isal_wall="n/a" isal_rss="n/a"
fi
isal_vs_zlib_floor=$(ratio "$isal_mbps" "$floor_zlib")
isal_vs_isal_floor=$(ratio "$isal_mbps" "$floor_isal")
isal_self_vs_isal_floor=$(ratio "$isal_self" "$floor_isal")
best_ts_wall=${isal_wall}
if [[ $best_ts_wall == "n/a" ]]; then best_ts_wall=$zlib_wall; fi
recs_per_s=$(awk -v r="$records" -v s="$best_ts_wall" 'BEGIN { if (s + 0 == 0) print "n/a"; else printf "%.0f", r / s }')
ts_rss=$zlib_rss
if [[ $isal_rss != "n/a" && $isal_rss -gt ${ts_rss:-0} ]]; then ts_rss=$isal_rss; fi

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
method          : best of $RUNS runs per side, the sides taking turns; MB/s are uncompressed bytes (the floors' raw=) / seconds
zlib-ng floor   : ${floor_zlib} MB/s, full x$THREADS (../shared/tools/floor: gunzip + Utf8JsonReader scan + gzip Fastest copy of every record, its stopwatch)
ISA-L floor     : ${floor_isal} MB/s, full x$THREADS (bench/TrailSieve.Floor: the same three steps with ISA-L inflate and level-1 deflate)
trailsieve zlib : ${zlib_mbps} MB/s by wall clock (${zlib_wall:-n/a} s incl. process start-up), ${zlib_self} MB/s by its own stopwatch
trailsieve ISA-L: ${isal_mbps} MB/s by wall clock (${isal_wall:-n/a} s incl. process start-up), ${isal_self} MB/s by its own stopwatch
ratios          : zlib / zlib-ng floor ${zlib_ratio} wall, ${zlib_self_ratio} own (target >= 0.85 wall)
                  ISA-L / zlib-ng floor ${isal_vs_zlib_floor} wall (target >= 1.3); ISA-L / ISA-L floor ${isal_vs_isal_floor} wall, ${isal_self_vs_isal_floor} own (target >= 0.85 wall)
records/s       : ${recs_per_s} (the faster codec, wall clock)
peak RSS        : ${ts_rss} MiB (throughput runs, worst of both codecs)
one file, ${BIG_EVENTS} records: ${mem_200k}
one ~2 GB file  : ${mem_big}
rules           : $RULES, --parallelism $THREADS, --mode mirror; memory runs with the default codec (auto); logs in $LOGS

zlib-ng floor ${floor_zlib} MB/s | ISA-L floor ${floor_isal} MB/s | trailsieve zlib ${zlib_mbps} MB/s (${zlib_ratio}) | trailsieve ISA-L ${isal_mbps} MB/s (${isal_vs_zlib_floor} of zlib-ng, ${isal_vs_isal_floor} of ISA-L) | peak RSS ${ts_rss} MiB | ${BIG_EVENTS}-record file ${mem_200k%% (*} | 2GB file ${mem_big%% (*}
SUMMARY
if [[ $ts_failed -ne 0 ]]; then say "at least one trailsieve run failed; see $LOGS"; fi
exit 0
