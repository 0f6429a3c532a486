#!/usr/bin/env bash
# Filter throughput with both detection packs loaded versus without, in one run: the same files, the two sides
# alternating (without, with, without, with, ...) so that machine noise falls on both. Reports each side's best and
# median, and the ratio with/without (the target is 0.9 or better).
# A measurement, not a test: it exits 0 whatever the figures are (non-zero only when it cannot run at all).
#
# Environment (defaults in brackets):
#   FILES [100], EVENTS [2500], SEED [1]  data set (../shared/tools/gen_cloudtrail.py), shared with run.sh
#   RUNS [4]                              runs of each side
#   THREADS [2]                           trailsieve --parallelism
#   RULES [rules/default.yaml]            rules for both sides
#   WORK [bench/.work]                    data, build and outputs
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
PACKS=("$ROOT/rules/detections/threats.yaml" "$ROOT/rules/detections/high-risk.yaml")

mkdir -p "$WORK/logs"
WORK=$(cd "$WORK" && pwd)
LOGS=$WORK/logs
say() { printf '[bench] %s\n' "$*" >&2; }

DATA=$WORK/data-${FILES}x${EVENTS}-seed${SEED}
if [[ -f $DATA/.complete ]]; then
  say "reusing $DATA"
else
  rm -rf "$DATA"
  say "generating $DATA"
  python3 "$SHARED/tools/gen_cloudtrail.py" "$DATA" --files "$FILES" --events-per-file "$EVENTS" --seed "$SEED" >"$DATA.gen.log"
  mv "$DATA.gen.log" "$DATA/.complete"
fi

say "publishing trailsieve"
if ! dotnet publish "$ROOT/src/TrailSieve.Worker" -c Release -o "$WORK/trailsieve-bin" --nologo -v quiet >"$LOGS/detections-publish.log" 2>&1; then
  grep -E 'error' "$LOGS/detections-publish.log" | sort -u | head -n 20 >&2
  exit 1
fi
TRAILSIEVE=$WORK/trailsieve-bin/trailsieve
RAW_MB=$(find "$DATA" -name '*.json.gz' -exec zcat {} + | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')

# run SIDE I: one filter run; appends "seconds self_MBps findings" to $WORK/detections-SIDE.times
run() {
  local side=$1 i=$2 start end args=()
  rm -rf "$WORK/out-det" "$WORK/alerts-det"
  if [[ $side == with ]]; then
    args=(--detections "${PACKS[0]}" --detections "${PACKS[1]}" --alerts "$WORK/alerts-det")
  fi
  start=$(date +%s%N)
  "$TRAILSIEVE" filter --mode mirror --parallelism "$THREADS" --rules "$RULES" --out "$WORK/out-det" "${args[@]}" "$DATA" \
    >"$LOGS/detections-$side-$i.out" 2>"$LOGS/detections-$side-$i.err"
  end=$(date +%s%N)
  local summary wall self findings
  summary=$(tail -n 1 "$LOGS/detections-$side-$i.out")
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  self=$(sed -n 's/.*, \([0-9.]*\) MB\/s (.*/\1/p' <<<"$summary")
  findings=$(sed -n 's/.* findings \([0-9]*\),.*/\1/p' <<<"$summary")
  say "$side run $i: wall $wall s; $summary"
  echo "$wall $self ${findings:-0}" >>"$WORK/detections-$side.times"
}

rm -f "$WORK/detections-without.times" "$WORK/detections-with.times"
for i in $(seq 1 "$RUNS"); do
  run without "$i"
  run with "$i"
done
rm -rf "$WORK/out-det" "$WORK/alerts-det"

# stats FILE COLUMN: "best median" of a column (1: wall seconds, lower is better; 2: MB/s, higher is better)
stats() {
  sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; if (c == 1) print v[1], m; else print v[NR], m }'
}
read -r wo_wall wo_wall_med < <(stats "$WORK/detections-without.times" 1)
read -r wi_wall wi_wall_med < <(stats "$WORK/detections-with.times" 1)
read -r wo_self wo_self_med < <(stats "$WORK/detections-without.times" 2)
read -r wi_self wi_self_med < <(stats "$WORK/detections-with.times" 2)
findings=$(awk 'NR == 1 { print $3 }' "$WORK/detections-with.times")

mbps() { awk -v m="$RAW_MB" -v s="$1" 'BEGIN { printf "%.1f", m / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

cat <<SUMMARY

==== TrailSieve detections benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores) ====
data               : $FILES files x $EVENTS records = $((FILES * EVENTS)) records, ${RAW_MB} MB uncompressed ($DATA)
method             : $RUNS runs per side, alternating; --mode mirror --parallelism $THREADS --rules $(basename "$RULES")
without detections : best $(mbps "$wo_wall") MB/s wall (${wo_wall} s), median $(mbps "$wo_wall_med") MB/s; own stopwatch best ${wo_self} MB/s, median ${wo_self_med}
with both packs    : best $(mbps "$wi_wall") MB/s wall (${wi_wall} s), median $(mbps "$wi_wall_med") MB/s; own stopwatch best ${wi_self} MB/s, median ${wi_self_med}; ${findings} findings
ratio with/without : best $(ratio "$wo_wall" "$wi_wall") (wall), median $(ratio "$wo_wall_med" "$wi_wall_med") (wall), own stopwatch best $(ratio "$wi_self" "$wo_self"), median $(ratio "$wi_self_med" "$wo_self_med"); target >= 0.9
SUMMARY
