#!/usr/bin/env bash
# Whole-filter instructions per record, without and with detections, counted by valgrind: what the detections cost as
# a share of `trailsieve filter` (read, gunzip, evaluate, findings, gzip, write), the measure issue #15's "cost <= 10 %
# of filter throughput" needs, free of the +-20 % wall-clock noise of a shared 2-core VM. Each side runs on FILES and on
# 2 x FILES of the benchmark data (one filter thread, tiered compilation off); the difference over the extra records is
# the cost per record, with start-up, rule loading and JIT taken out. Instructions are not time (ISA-L's SIMD does
# more per instruction than the scan), so read it next to detections.sh.
# A measurement, not a test: it exits 0 whatever the figures are (non-zero only when it cannot run at all).
#
# Environment (defaults in brackets):
#   DETECTIONS [the two packs]  detection files, Sigma files or folders (space-separated) for the "with" side
#   FILES [10]                  files of the smaller run (the larger has twice as many)
#   RULES [rules/default.yaml]  the rules file
#   WORK [bench/.work]          build output and data
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=$(cd "$ROOT/../shared" && pwd)
FILES=${FILES:-10}
EVENTS=2500
SEED=1
RULES=${RULES:-$ROOT/rules/default.yaml}
WORK=${WORK:-$HERE/.work}
read -r -a PACKS <<<"${DETECTIONS:-$ROOT/rules/detections/threats.yaml $ROOT/rules/detections/high-risk.yaml}"
say() { printf '[bench] %s\n' "$*" >&2; }

if ! command -v valgrind >/dev/null 2>&1; then
  echo "bench: valgrind is needed (Debian: apt-get install valgrind)" >&2
  exit 1
fi

mkdir -p "$WORK/logs"
WORK=$(cd "$WORK" && pwd)
. "$HERE/lib.sh"
DATA=$WORK/data-$((2 * FILES))x${EVENTS}-seed${SEED}
gen_data "$DATA" --files "$((2 * FILES))" --events-per-file "$EVENTS" --seed "$SEED"
mapfile -t ALL < <(find "$DATA" -name '*.json.gz' | sort)
for n in "$FILES" "$((2 * FILES))"; do
  rm -rf "$WORK/fi-$n" && mkdir -p "$WORK/fi-$n"
  cp "${ALL[@]:0:n}" "$WORK/fi-$n/"
done

say "publishing trailsieve"
if ! dotnet publish "$ROOT/src/TrailSieve.Worker" -c Release -o "$WORK/trailsieve-bin" --nologo -v quiet >"$WORK/logs/fi-publish.log" 2>&1; then
  grep -E 'error' "$WORK/logs/fi-publish.log" | sort -u | head -n 20 >&2
  exit 1
fi
TRAILSIEVE=$WORK/trailsieve-bin/trailsieve

# count N SIDE: instructions of one filter run over the first N files
count() {
  local args=()
  rm -rf "$WORK/fi-out" "$WORK/fi-alerts"
  if [[ $2 == with ]]; then
    for pack in "${PACKS[@]}"; do args+=(--detections "$pack"); done
    args+=(--alerts "$WORK/fi-alerts")
  fi
  DOTNET_TieredCompilation=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$TRAILSIEVE" filter --parallelism 1 --rules "$RULES" "${args[@]}" --mode mirror --out "$WORK/fi-out" "$WORK/fi-$1" 2>&1 |
    awk '/Collected/ { print $4 }'
}

declare -A per
for side in without with; do
  say "$side: $FILES and $((2 * FILES)) files under valgrind (a minute or two each)"
  low=$(count "$FILES" "$side")
  high=$(count "$((2 * FILES))" "$side")
  per[$side]=$(( (high - low) / (FILES * EVENTS) ))
  say "$side: $low and $high instructions: ${per[$side]} per record"
done
rm -rf "$WORK/fi-out" "$WORK/fi-alerts" "$WORK/fi-$FILES" "$WORK/fi-$((2 * FILES))"

echo
echo "==== TrailSieve filter instructions ($(date -u +%Y-%m-%dT%H:%MZ)) ===="
echo "detections: ${PACKS[*]}"
echo "per record: without ${per[without]}, with ${per[with]} ($(awk -v a="${per[without]}" -v b="${per[with]}" 'BEGIN { printf "%+.1f %%; throughput ratio %.2f", (b - a) * 100 / a, a / b }'))"
