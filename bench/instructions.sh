#!/usr/bin/env bash
# Instructions per record of rule evaluation (CompiledRuleSet.Evaluate over the benchmarks' 2,500 generated records),
# with the rules alone and with both detection packs, counted by valgrind. Each side runs twice, LOW and HIGH times
# over the records; the difference divided by the extra evaluations is the cost per record, with start-up, loading
# and JIT taken out. Instruction counts repeat to about 1 % whatever else the machine does, so this is the measure to
# compare two versions of the evaluator on a shared machine, where wall-clock figures move by 10 % or more.
# A measurement, not a test: it exits 0 whatever the figures are (non-zero only when it cannot run at all).
#
# Environment (defaults in brackets):
#   RULES [rules/default.yaml]   the rules file
#   LOW [4], HIGH [12]           iterations of the two runs per side
#   WORK [bench/.work]           build output
#   DETECTIONS [none]            also count a third side with these detection files or Sigma folder (one path), e.g.
#                                DETECTIONS=~/sigma/rules/cloud/aws/cloudtrail for SigmaHQ's CloudTrail rules
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RULES=${RULES:-$ROOT/rules/default.yaml}
LOW=${LOW:-4}
HIGH=${HIGH:-12}
WORK=${WORK:-$HERE/.work}
say() { printf '[bench] %s\n' "$*" >&2; }

if ! command -v valgrind >/dev/null 2>&1; then
  echo "bench: valgrind is needed (Debian: apt-get install valgrind)" >&2
  exit 1
fi

mkdir -p "$WORK/logs"
say "building the benchmarks"
if ! dotnet build "$HERE/TrailSieve.Benchmarks" -c Release -o "$WORK/benchmarks-bin" --nologo -v quiet >"$WORK/logs/instructions-build.log" 2>&1; then
  grep -E 'error' "$WORK/logs/instructions-build.log" | sort -u | head -n 20 >&2
  exit 1
fi
BIN=$WORK/benchmarks-bin/TrailSieve.Benchmarks
"$BIN" --evaluate-loop "$RULES" none 0 >/dev/null   # generates and caches the records outside valgrind

# count SIDE N: instructions of one run
count() {
  DOTNET_TieredCompilation=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" --evaluate-loop "$RULES" "$1" "$2" 2>&1 |
    awk '/Collected/ { print $4 }'
}

declare -A per
SIDES=(none packs)
[[ -n ${DETECTIONS:-} ]] && SIDES+=("$DETECTIONS")
for side in "${SIDES[@]}"; do
  say "$side: $LOW and $HIGH iterations under valgrind (a minute or two each)"
  low=$(count "$side" "$LOW")
  high=$(count "$side" "$HIGH")
  per[$side]=$(( (high - low) / ((HIGH - LOW) * 2500) ))
  say "$side: $low and $high instructions: ${per[$side]} per record"
done

echo
echo "==== TrailSieve evaluation instructions ($(date -u +%Y-%m-%dT%H:%MZ)) ===="
echo "rules     : $RULES"
echo "per record: rules alone ${per[none]}, with both packs ${per[packs]} ($(awk -v a="${per[none]}" -v b="${per[packs]}" 'BEGIN { printf "%+.1f %%", (b - a) * 100 / a }'))"
if [[ -n ${DETECTIONS:-} ]]; then
  echo "per record: with $DETECTIONS ${per[$DETECTIONS]} ($(awk -v a="${per[none]}" -v b="${per[$DETECTIONS]}" 'BEGIN { printf "%+.1f %%", (b - a) * 100 / a }'))"
fi
