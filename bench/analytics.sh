#!/usr/bin/env bash
# Analytics figures in one run: compact ~1 GB of gzip JSON output into Parquet (time, peak RSS), report over it, and a
# count-by query through `trailsieve query` against the same count through `zcat | jq` on the same files. Then renders
# a report in headless chromium to PNG (bench only; tests never need a browser).
# A measurement, not a test: it exits 0 whatever the figures are.
#
# Environment (defaults in brackets):
#   BASE_FILES [100], EVENTS [2500]   generated base set (../shared/tools/gen_cloudtrail.py, seed 11), one day
#   DAYS [23]                         the base set is replicated into this many day partitions (hive layout, eventTime
#                                     moved to that day), ~44 MB of gzip each: 23 days is ~1 GB
#   MEMORY [1073741824]               engine memory limit (--memory-limit)
#   QUERY [1]                         0 skips the query and zcat | jq comparison
#   RENDER [1]                        0 skips the chromium render
#   WORK [bench/.work]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=$(cd "$ROOT/../shared" && pwd)
BASE_FILES=${BASE_FILES:-100}
EVENTS=${EVENTS:-2500}
DAYS=${DAYS:-23}
MEMORY=${MEMORY:-1073741824}
RENDER=${RENDER:-1}
QUERY=${QUERY:-1}
WORK=${WORK:-$HERE/.work}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
LOGS=$WORK/logs
mkdir -p "$LOGS"
say() { printf '[analytics] %s\n' "$*" >&2; }

# measure NAME CMD...: runs CMD under GNU time; sets WALL (s) and RSS_MIB; output in $LOGS/NAME.*
measure() {
  local name=$1
  shift
  /usr/bin/time -v -o "$LOGS/$name.time" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err" || say "$name exited $?"
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$LOGS/$name.time")
  RSS_MIB=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$LOGS/$name.time")
}

# 1. data: a generated day, replicated into DAYS day partitions of the hive layout with eventTime moved to that day.
BASE=$WORK/analytics-base-${BASE_FILES}x${EVENTS}
if [[ ! -f $BASE/.complete ]]; then
  rm -rf "$BASE"
  say "generating $BASE"
  python3 "$SHARED/tools/gen_cloudtrail.py" "$BASE" --files "$BASE_FILES" --events-per-file "$EVENTS" --seed 11 >"$BASE.log"
  mv "$BASE.log" "$BASE/.complete"
fi
DATA=$WORK/analytics-data-${BASE_FILES}x${EVENTS}x${DAYS}
if [[ ! -f $DATA/.complete ]]; then
  rm -rf "$DATA"
  say "replicating into $DAYS day partitions: $DATA"
  replicate() { # BASE KEY TARGET DAY
    mkdir -p "$(dirname "$3")"
    zcat "$1/$2" | sed "s/\"eventTime\":\"2026-10-01T/\"eventTime\":\"2026-10-$4T/g" | gzip -1 >"$3.tmp" && mv "$3.tmp" "$3"
  }
  export -f replicate
  for d in $(seq -f %02g 1 "$DAYS"); do
    (cd "$BASE" && find AWSLogs -name '*.json.gz') | while read -r key; do
      IFS=/ read -r _ account _ region _ _ _ file <<<"$key"
      echo "$BASE $key $DATA/account=$account/region=$region/year=2026/month=10/day=$d/${file/20261001T/202610${d}T} $d"
    done
  done | xargs -P 2 -L 1 bash -c 'replicate "$@"' _
  touch "$DATA/.complete"
fi
GZIP_MB=$(du -sm --exclude=.complete "$DATA" | cut -f1)
FILES=$(find "$DATA" -name '*.json.gz' | wc -l)
say "data: $FILES files, $GZIP_MB MB gzip"

# 2. binary
BIN=$WORK/analytics-bin
say "publishing trailsieve into $BIN"
dotnet publish "$ROOT/src/TrailSieve.Worker" -c Release -o "$BIN" -v quiet >"$LOGS/publish.log"
TS=$BIN/trailsieve

# 3. compact (from scratch), then report over the JSON and over the Parquet
rm -rf "$WORK/analytics-parquet" "$WORK/analytics-reports"
measure compact "$TS" compact --input "$DATA" --output "$WORK/analytics-parquet" --memory-limit "$MEMORY" --spool "$WORK/spool"
COMPACT_WALL=$WALL COMPACT_RSS=$RSS_MIB
PARQUET_MB=$(du -sm "$WORK/analytics-parquet" | cut -f1)
measure report-json "$TS" report --month 2026-10 --data "$DATA" --out "$WORK/analytics-reports/json" --memory-limit "$MEMORY"
REPORT_JSON_WALL=$WALL REPORT_JSON_RSS=$RSS_MIB
measure report-parquet "$TS" report --month 2026-10 --data "$WORK/analytics-parquet" --out "$WORK/analytics-reports/parquet" --memory-limit "$MEMORY"
REPORT_PQ_WALL=$WALL REPORT_PQ_RSS=$RSS_MIB

# 4. count by eventName: trailsieve query (JSON, Parquet) vs zcat | jq over the same JSON files
SQL="SELECT eventname, count(*) AS n FROM cloudtrail GROUP BY eventname ORDER BY n DESC, eventname"
QUERY_JSON_WALL=- QUERY_JSON_RSS=- QUERY_PQ_WALL=- QUERY_PQ_RSS=- JQ_WALL=- AGREE=-
if [[ $QUERY == 1 ]]; then
measure query-json "$TS" query "$SQL" --data "$DATA" --format csv --memory-limit "$MEMORY"
QUERY_JSON_WALL=$WALL QUERY_JSON_RSS=$RSS_MIB
measure query-parquet "$TS" query "$SQL" --data "$WORK/analytics-parquet" --format csv --memory-limit "$MEMORY"
QUERY_PQ_WALL=$WALL QUERY_PQ_RSS=$RSS_MIB
measure jq bash -c "find '$DATA' -name '*.json.gz' -print0 | xargs -0 zcat | jq -r '.Records[].eventName' | sort | uniq -c | sort -rn"
JQ_WALL=$WALL
# the two answers must agree
diff <(tail -n +2 "$LOGS/query-json.out" | awk -F, '{print $2, $1}' | sort) <(awk '{print $1, $2}' "$LOGS/jq.out" | sort) >/dev/null \
  && AGREE=yes || AGREE=NO
fi

# 5. render one account page and the index in headless chromium (Debian package), for a person to look at
if [[ $RENDER == 1 ]]; then
  command -v chromium >/dev/null || apt-get install -y chromium >"$LOGS/chromium-install.log" 2>&1 || say "could not install chromium"
  if command -v chromium >/dev/null; then
    PAGE=$(find "$WORK/analytics-reports/json/2026-10" -name '[0-9]*.html' 2>/dev/null | sort | head -1 || true)
    for page in $PAGE "$WORK/analytics-reports/json/2026-10/index.html"; do
      [[ -f $page ]] || { say "no report page to render ($page)"; continue; }
      chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,2400 \
        --screenshot="$WORK/$(basename "$page" .html).png" "file://$page" >"$LOGS/chromium.log" 2>&1 || say "chromium failed on $page"
      say "rendered $WORK/$(basename "$page" .html).png"
    done
  fi
fi

cat <<SUMMARY
== analytics bench ($(nproc) cores; $FILES files, $GZIP_MB MB gzip JSON, hive layout, $DAYS day partitions x accounts x regions)
compact            ${COMPACT_WALL} s, peak RSS ${COMPACT_RSS} MiB -> ${PARQUET_MB} MB Parquet   $(tail -1 "$LOGS/compact.out")
report (JSON)      ${REPORT_JSON_WALL} s, peak RSS ${REPORT_JSON_RSS} MiB
report (Parquet)   ${REPORT_PQ_WALL} s, peak RSS ${REPORT_PQ_RSS} MiB
count by eventName:
  trailsieve query (JSON)     ${QUERY_JSON_WALL} s, peak RSS ${QUERY_JSON_RSS} MiB
  trailsieve query (Parquet)  ${QUERY_PQ_WALL} s, peak RSS ${QUERY_PQ_RSS} MiB
  zcat | jq | sort | uniq -c  ${JQ_WALL} s
  same counts: $AGREE
logs: $LOGS
SUMMARY
