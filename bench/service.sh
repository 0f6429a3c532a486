#!/usr/bin/env bash
# Service throughput: `trailsieve run --until-idle` and `trailsieve backfill` over a local S3+SQS emulator (fauxqs, from
# the integration tests' own package files) against `trailsieve filter` on the same files, in one run.
# Target: run >= 0.5 x filter. The figures feed docs/design/scaling.md (per-task rate, compressed MB/s).
# A measurement, not a test: exits 0 whatever the figures are.
#
# Environment: FILES [200], EVENTS [2500], SEED [1], MODE [Batch], RULES [rules/default.yaml], WORK [bench/.work],
#   READ_PARALLELISM [the worker's default, 2] (Pipeline__ReadParallelism of run and backfill),
#   TRAILSIEVE_CPUS / EMULATOR_CPUS [unpinned] (taskset -c lists: TRAILSIEVE_CPUS=0 EMULATOR_CPUS=1 is a 1-vCPU task
#   with S3 on the other core), FILTER [1] (0 skips the filter run), PUBLISH [1] (0 reuses bench/.work/trailsieve-bin).
# Needs: the .NET SDK, Node.js 20+ with npm, python3 with boto3 (used only to seed buckets and the queue).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=$(cd "$ROOT/../shared" && pwd)
FILES=${FILES:-200}
EVENTS=${EVENTS:-2500}
SEED=${SEED:-1}
MODE=${MODE:-Batch}
RULES=${RULES:-$ROOT/rules/default.yaml}
WORK=${WORK:-$HERE/.work}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
EMULATOR=$ROOT/tests/TrailSieve.IntegrationTests/emulator
DATA=$WORK/data-${FILES}x${EVENTS}-seed${SEED}
BIN=$WORK/trailsieve-bin
FILTER=${FILTER:-1}
PUBLISH=${PUBLISH:-1}
PIN=(); [[ -n ${TRAILSIEVE_CPUS:-} ]] && PIN=(taskset -c "$TRAILSIEVE_CPUS")
EMU_PIN=(); [[ -n ${EMULATOR_CPUS:-} ]] && EMU_PIN=(taskset -c "$EMULATOR_CPUS")
[[ -n ${READ_PARALLELISM:-} ]] && export Pipeline__ReadParallelism=$READ_PARALLELISM

say() { printf '[service-bench] %s\n' "$*" >&2; }

. "$HERE/lib.sh"
gen_data "$DATA" --files "$FILES" --events-per-file "$EVENTS" --seed "$SEED"

if [[ $PUBLISH == 1 || ! -x $BIN/trailsieve ]]; then
  say "publishing trailsieve"
  dotnet publish "$ROOT/src/TrailSieve.Worker" -c Release -o "$BIN" >"$WORK/service-publish.log" 2>&1
fi

[[ -d $EMULATOR/node_modules/fauxqs ]] || (cd "$EMULATOR" && npm ci --prefer-offline --no-audit --no-fund >/dev/null)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The launcher stops when its stdin closes: feed it a FIFO this script holds open, so it ends with the script.
rm -f "$WORK/fauxqs.in" && mkfifo "$WORK/fauxqs.in" && exec 3<>"$WORK/fauxqs.in"
(cd "$EMULATOR" && FAUXQS_PORT=$PORT FAUXQS_PARENT_PID=$$ exec "${EMU_PIN[@]}" node serve.mjs <"$WORK/fauxqs.in" >"$WORK/fauxqs.log" 2>&1) &
EMU_PID=$!
trap 'exec 3>&-; kill $EMU_PID 2>/dev/null || true; rm -f "$WORK/fauxqs.in"' EXIT
for _ in $(seq 1 100); do grep -q FAUXQS_LISTENING "$WORK/fauxqs.log" 2>/dev/null && break; sleep 0.1; done
export AWS_ENDPOINT_URL=http://127.0.0.1:$PORT AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1

say "seeding $FILES objects and notifications"
QUEUE=$(python3 - "$DATA" <<'PY'
import boto3, json, os, sys, glob
from botocore.config import Config
kw = dict(endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")
s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}), **kw)
sqs = boto3.client("sqs", **kw)
s3.create_bucket(Bucket="bench-src"); s3.create_bucket(Bucket="bench-out")
q = sqs.create_queue(QueueName="bench")["QueueUrl"]
root = sys.argv[1]
entries = []
for f in sorted(glob.glob(root + "/**/*.json.gz", recursive=True)):
    key = os.path.relpath(f, root)
    s3.upload_file(f, "bench-src", key)
    body = {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                         "s3": {"bucket": {"name": "bench-src"}, "object": {"key": key, "size": os.path.getsize(f)}}}]}
    entries.append({"Id": str(len(entries)), "MessageBody": json.dumps(body)})
    if len(entries) == 10:
        sqs.send_message_batch(QueueUrl=q, Entries=entries); entries = []
if entries:
    sqs.send_message_batch(QueueUrl=q, Entries=entries)
print(q)
PY
)

GZ_MB=$(du -sb --apparent-size "$DATA" | awk '{print $1/1e6}')
RAW_MB=$(python3 -c "
import gzip,glob,sys
print(sum(len(gzip.open(f).read()) for f in glob.glob('$DATA/**/*.json.gz', recursive=True))/1e6)")

say "trailsieve run --until-idle 2s ($MODE)"
# fauxqs refuses requests over 11 MiB; S3 takes 5 GB in one PUT. Parts of 8 MiB keep every request under the limit.
export Output__PartBytes=8388608
start=$(date +%s%N)
"${PIN[@]}" "$BIN/trailsieve" run --queue-url "$QUEUE" --output-bucket bench-out --rules "$RULES" --mode "$MODE" --until-idle 2s >"$WORK/service-run.log" 2>&1
end=$(date +%s%N)
RUN_S=$(python3 -c "print(($end-$start)/1e9 - 2)")   # the idle wait at the end is not work

say "trailsieve backfill ($MODE) over the same bucket"
start=$(date +%s%N)
"${PIN[@]}" "$BIN/trailsieve" backfill --bucket bench-src --rules "$RULES" --output-bucket bench-out --output-prefix backfill/ --mode "${MODE,,}" --progress-interval 5s >"$WORK/service-backfill.log" 2>&1 \
  || say "backfill exited $? (see $WORK/service-backfill.log)"
end=$(date +%s%N)
BACKFILL_S=$(python3 -c "print(($end-$start)/1e9)")

FILTER_S=0
if [[ $FILTER == 1 ]]; then
  say "trailsieve filter on the same files"
  rm -rf "$WORK/service-filter-out"
  start=$(date +%s%N)
  "${PIN[@]}" "$BIN/trailsieve" filter --rules "$RULES" --mode mirror --out "$WORK/service-filter-out" "$DATA" >"$WORK/service-filter.log" 2>&1
  end=$(date +%s%N)
  FILTER_S=$(python3 -c "print(($end-$start)/1e9)")
fi

python3 - "$RAW_MB" "$GZ_MB" "$RUN_S" "$BACKFILL_S" "$FILTER_S" "$FILES" "${READ_PARALLELISM:-2}" "${TRAILSIEVE_CPUS:-all}" <<'PY'
import sys
raw, gz, run, backfill, flt, files = map(float, sys.argv[1:7])
reads, cpus = sys.argv[7], sys.argv[8]
if flt > 0:
    print(f"service run --until-idle: {raw/run:.0f} MB/s ({run:.2f} s) | filter: {raw/flt:.0f} MB/s ({flt:.2f} s) | ratio run/filter {flt/run:.2f} (target >= 0.5) | {raw:.0f} MB uncompressed")
    print(f"backfill: {raw/backfill:.0f} MB/s ({backfill:.2f} s) | ratio backfill/filter {flt/backfill:.2f}")
print(f"per task (cpus {cpus}, read parallelism {reads}), compressed input: run {gz/run:.1f} MB/s, {files/run:.1f} objects/s | backfill {gz/backfill:.1f} MB/s, {files/backfill:.1f} objects/s"
      + (f" | filter {gz/flt:.1f} MB/s" if flt > 0 else "") + f" | {files:.0f} objects, {gz/files*1000:.1f} kB gzip each, {gz:.0f} MB compressed, ratio {raw/gz:.1f}x")
PY
grep -E '^partitions ' "$WORK/service-backfill.log" | tail -1 | sed 's/^/[service-bench] backfill: /' || true
grep -E "Stopped after draining" "$WORK/service-run.log" | sed 's/^.*QueueWorker\[402\] /[service-bench] /' || true
