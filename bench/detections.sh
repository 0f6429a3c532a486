#!/usr/bin/env bash
# Filter throughput with both detection packs loaded versus without, in one run: the same files, the two sides
# alternating (without, with, without, with, ...) so that machine noise falls on both. Then the same for dryrun, which
# only reads and evaluates, to separate the cost of evaluating detections from the cost of writing findings.
# Reports each side's best and median (wall clock and CPU seconds) and the ratios (the target is 0.9 or better).
# A measurement, not a test: it exits 0 whatever the figures are (non-zero only when it cannot run at all).
#
# Environment (defaults in brackets):
#   FILES [100], EVENTS [2500], SEED [1]  data set (../shared/tools/gen_cloudtrail.py), shared with run.sh
#   RUNS [4]                              runs of each side
#   THREADS [2]                           trailsieve --parallelism
#   RULES [rules/default.yaml]            rules for both sides
#   WORK [bench/.work]                    data, build and outputs
#   THIN [0]                              1: measure on a copy where only 5 % of the records the packs flag are left
#                                         (thin_findings.py), a realistic finding rate instead of the generator's 18 %
#   DETECTIONS [the two packs]            detection files, Sigma rule files or folders (space-separated) for the
#                                         "with" side, e.g. DETECTIONS=~/sigma/rules/cloud/aws/cloudtrail for SigmaHQ's
#                                         CloudTrail rules
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=$(cd "$ROOT/../shared" && pwd)
FILES=${FILES:-100}
EVENTS=${EVENTS:-2500}
SEED=${SEED:-1}
RUNS=${RUNS:-4}
THREADS=${THREADS:-2}
RULES=${RULES:-$ROOT/rules/default.yaml}
WORK=${WORK:-$HERE/.work}
THIN=${THIN:-0}
read -r -a PACKS <<<"${DETECTIONS:-$ROOT/rules/detections/threats.yaml $ROOT/rules/detections/high-risk.yaml}"

mkdir -p "$WORK/logs"
WORK=$(cd "$WORK" && pwd)
LOGS=$WORK/logs
say() { printf '[bench] %s\n' "$*" >&2; }

DATA=$WORK/data-${FILES}x${EVENTS}-seed${SEED}
. "$HERE/lib.sh"
gen_data "$DATA" --files "$FILES" --events-per-file "$EVENTS" --seed "$SEED"

if [[ $THIN != 0 ]]; then
  THINNED=$DATA-thin
  if [[ -f $THINNED/.complete ]]; then
    say "reusing $THINNED"
  else
    rm -rf "$THINNED"
    say "thinning $DATA into $THINNED"
    python3 "$HERE/thin_findings.py" "$DATA" "$THINNED" >"$THINNED.log"
    mv "$THINNED.log" "$THINNED/.complete"
  fi
  DATA=$THINNED
fi

say "publishing trailsieve"
if ! dotnet publish "$ROOT/src/TrailSieve.Worker" -c Release -o "$WORK/trailsieve-bin" --nologo -v quiet >"$LOGS/detections-publish.log" 2>&1; then
  grep -E 'error' "$LOGS/detections-publish.log" | sort -u | head -n 20 >&2
  exit 1
fi
TRAILSIEVE=$WORK/trailsieve-bin/trailsieve
RAW_MB=$(find "$DATA" -name '*.json.gz' -exec zcat {} + | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')

# run KIND SIDE I: one `trailsieve KIND` run (filter writes output and findings; dryrun only evaluates);
# appends "wall_seconds cpu_seconds findings" to $WORK/detections-KIND-SIDE.times
run() {
  local kind=$1 side=$2 i=$3 args=()
  rm -rf "$WORK/out-det" "$WORK/alerts-det"
  if [[ $side == with ]]; then
    for pack in "${PACKS[@]}"; do args+=(--detections "$pack"); done
    if [[ $kind == filter ]]; then args+=(--alerts "$WORK/alerts-det"); fi
  fi
  if [[ $kind == filter ]]; then args+=(--mode mirror --out "$WORK/out-det"); fi
  /usr/bin/time -f '%e %U %S' -o "$LOGS/detections-$kind-$side-$i.time" \
    "$TRAILSIEVE" "$kind" --parallelism "$THREADS" --rules "$RULES" "${args[@]}" "$DATA" \
    >"$LOGS/detections-$kind-$side-$i.out" 2>"$LOGS/detections-$kind-$side-$i.err"
  local summary findings wall cpu
  summary=$(grep -h -E '^(files|records) ' "$LOGS/detections-$kind-$side-$i.out" | tail -n 1)
  findings=$(sed -n 's/.* findings \([0-9]*\),.*/\1/p' <<<"$summary")
  read -r wall cpu < <(awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$LOGS/detections-$kind-$side-$i.time")
  say "$kind $side run $i: wall $wall s, cpu $cpu s; $summary"
  echo "$wall $cpu ${findings:-0}" >>"$WORK/detections-$kind-$side.times"
}

for kind in filter dryrun; do
  rm -f "$WORK/detections-$kind-without.times" "$WORK/detections-$kind-with.times"
  for i in $(seq 1 "$RUNS"); do
    run "$kind" without "$i"
    run "$kind" with "$i"
  done
done
rm -rf "$WORK/out-det" "$WORK/alerts-det"

# best_median FILE COLUMN: the lowest and the median value of a column (seconds: lower is better)
best_median() {
  sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print v[1], m }'
}
mbps() { awk -v m="$RAW_MB" -v s="$1" 'BEGIN { printf "%.1f", m / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

line() {
  local kind=$1 wo_wall wo_wall_med wi_wall wi_wall_med wo_cpu wo_cpu_med wi_cpu wi_cpu_med
  read -r wo_wall wo_wall_med < <(best_median "$WORK/detections-$kind-without.times" 1)
  read -r wi_wall wi_wall_med < <(best_median "$WORK/detections-$kind-with.times" 1)
  read -r wo_cpu wo_cpu_med < <(best_median "$WORK/detections-$kind-without.times" 2)
  read -r wi_cpu wi_cpu_med < <(best_median "$WORK/detections-$kind-with.times" 2)
  printf '%-7s without   : best %s MB/s (%s s wall), median %s MB/s; cpu best %s s, median %s s\n' "$kind" "$(mbps "$wo_wall")" "$wo_wall" "$(mbps "$wo_wall_med")" "$wo_cpu" "$wo_cpu_med"
  printf '%-7s with packs: best %s MB/s (%s s wall), median %s MB/s; cpu best %s s, median %s s\n' "$kind" "$(mbps "$wi_wall")" "$wi_wall" "$(mbps "$wi_wall_med")" "$wi_cpu" "$wi_cpu_med"
  printf '%-7s ratio     : throughput with/without: best %s, median %s (wall); %s, median %s (cpu)\n' "$kind" \
    "$(ratio "$wo_wall" "$wi_wall")" "$(ratio "$wo_wall_med" "$wi_wall_med")" "$(ratio "$wo_cpu" "$wi_cpu")" "$(ratio "$wo_cpu_med" "$wi_cpu_med")"
}

findings=$(awk 'NR == 1 { print $3 }' "$WORK/detections-filter-with.times")
records=$(sed -n 's/.* records \([0-9]*\),.*/\1/p' "$LOGS/detections-filter-without-1.out" | tail -n 1)
cat <<SUMMARY

==== TrailSieve detections benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores) ====
data    : $FILES files, $records records, ${RAW_MB} MB uncompressed ($DATA)
method  : $RUNS runs per side, alternating without/with; --parallelism $THREADS --rules $(basename "$RULES"); MB/s = uncompressed bytes / wall seconds
packs   : ${DETECTIONS:-rules/detections/threats.yaml + high-risk.yaml}; ${findings} findings in a filter run ($(awk -v f="$findings" -v r="$records" 'BEGIN { printf "%.1f", 100 * f / r }') per 100 records)
$(line filter)
$(line dryrun)
filter = the whole job (read, evaluate, compress, write output and findings); dryrun = read and evaluate only, so its
ratio is the cost of evaluating every detection on every record. Target: filter ratio >= 0.9.
SUMMARY
