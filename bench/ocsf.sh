#!/usr/bin/env bash
# What does OCSF output cost? `trailsieve filter --mode batch` writing CloudTrail gzip (the default) versus
# `--format ocsf` (OCSF 1.1.0 zstd Parquet, raw_data kept) versus `--format ocsf --ocsf-raw-data none`, over the same
# files, the sides taking turns in every round so that machine noise falls on all of them. Reports each side's best
# wall clock, records/s and MB/s (uncompressed input / wall clock, start-up included), CPU seconds, peak RSS and output
# size, and each OCSF side's ratio to the gzip side.
# A measurement, not a test: it exits 0 whatever the figures are (non-zero only when it cannot run at all).
#
# Environment (defaults in brackets):
#   FILES [40], EVENTS [2500], SEED [1]  data set (../shared/tools/gen_cloudtrail.py), shared with run.sh
#   RUNS [3]                             runs of each side
#   THREADS [2]                          trailsieve --parallelism
#   RULES [rules/default.yaml]           rules for every side
#   WORK [bench/.work]                   data, build and outputs
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=$(cd "$ROOT/../shared" && pwd)
FILES=${FILES:-40}
EVENTS=${EVENTS:-2500}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
THREADS=${THREADS:-2}
RULES=${RULES:-$ROOT/rules/default.yaml}
WORK=${WORK:-$HERE/.work}

mkdir -p "$WORK/logs"
WORK=$(cd "$WORK" && pwd)
LOGS=$WORK/logs
say() { printf '[bench] %s\n' "$*" >&2; }

DATA=$WORK/data-${FILES}x${EVENTS}-seed${SEED}
. "$HERE/lib.sh"
gen_data "$DATA" --files "$FILES" --events-per-file "$EVENTS" --seed "$SEED"

say "publishing trailsieve"
if ! dotnet publish "$ROOT/src/TrailSieve.Worker" -c Release -o "$WORK/trailsieve-bin" --nologo -v quiet >"$LOGS/ocsf-publish.log" 2>&1; then
  grep -E 'error' "$LOGS/ocsf-publish.log" | sort -u | head -n 20 >&2
  exit 1
fi
TRAILSIEVE=$WORK/trailsieve-bin/trailsieve
RAW_BYTES=$(find "$DATA" -name '*.json.gz' -exec zcat {} + | wc -c)
RECORDS=$((FILES * EVENTS))

SIDES=(gzip ocsf ocsf-none)
side_args() {
  case $1 in
    gzip) echo "--mode batch" ;;
    ocsf) echo "--format ocsf" ;;
    ocsf-none) echo "--format ocsf --ocsf-raw-data none" ;;
  esac
}

# run SIDE I: one filter run; appends "wall cpu rss_kib output_bytes kept" to $WORK/ocsf-SIDE.times
run() {
  local side=$1 i=$2 out=$WORK/out-ocsf-$1
  rm -rf "$out"
  # shellcheck disable=SC2046
  /usr/bin/time -f '%e %U %S %M' -o "$LOGS/ocsf-$side-$i.time" \
    "$TRAILSIEVE" filter --rules "$RULES" --out "$out" --parallelism "$THREADS" $(side_args "$side") "$DATA" \
    >"$LOGS/ocsf-$side-$i.out" 2>"$LOGS/ocsf-$side-$i.err"
  local bytes kept
  bytes=$(du -sb "$out" | cut -f1)
  kept=$(grep -o 'kept [0-9]*' "$LOGS/ocsf-$side-$i.out" | awk '{ print $2 }')
  awk -v b="$bytes" -v k="$kept" '{ printf "%s %.2f %s %s %s\n", $1, $2 + $3, $4, b, k }' "$LOGS/ocsf-$side-$i.time" >>"$WORK/ocsf-$side.times"
}

for side in "${SIDES[@]}"; do rm -f "$WORK/ocsf-$side.times"; done
say "warm-up"
run gzip 0
rm -f "$WORK/ocsf-gzip.times"
for i in $(seq 1 "$RUNS"); do
  for side in "${SIDES[@]}"; do
    say "round $i: $side"
    run "$side" "$i"
  done
done

best() { sort -n "$WORK/ocsf-$1.times" | head -n 1; }
GZIP_WALL=$(best gzip | awk '{ print $1 }')
echo
echo "OCSF output: $FILES files x $EVENTS records ($RECORDS records, $(awk -v b="$RAW_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB uncompressed), --parallelism $THREADS, best of $RUNS"
printf '%-10s %8s %10s %8s %8s %9s %10s %7s %9s\n' side wall_s records/s MB/s cpu_s rss_MiB out_MB kept vs_gzip
for side in "${SIDES[@]}"; do
  best "$side" | awk -v side="$side" -v n="$RECORDS" -v raw="$RAW_BYTES" -v g="$GZIP_WALL" \
    '{ printf "%-10s %8.2f %10.0f %8.1f %8.2f %9.0f %10.1f %7d %9.2f\n", side, $1, n / $1, raw / 1e6 / $1, $2, $3 / 1024, $4 / 1e6, $5, g / $1 }'
done
echo "(MB/s and records/s: uncompressed input over wall clock, process start-up included; vs_gzip: gzip wall / side wall)"
