#!/usr/bin/env bash
# Objects per second for small CloudTrail files (about 36 KB of gzip, what CloudTrail typically delivers every five
# minutes per account and region): bench/service.sh over FILES files of EVENTS records, once per task size and read
# parallelism, so the per-object cost that bounds a backfill of small objects is measured rather than assumed.
# The figures feed docs/design/scaling.md (objects/s per task) and backfill --dry-run's --object-rate default.
# A measurement, not a test: exits 0 whatever the figures are.
#
# Environment: FILES [2000], EVENTS [200], CPU_SETS ["0:1 0,1:"] (TRAILSIEVE_CPUS:EMULATOR_CPUS pairs: "0:1" is one
#   core for trailsieve and the other for the emulator, a 1-vCPU task; "0,1:" is both cores, shared), READS ["2 8"]
#   (Pipeline__ReadParallelism), and whatever bench/service.sh reads.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export FILES=${FILES:-2000} EVENTS=${EVENTS:-200} FILTER=0
publish=1
for pair in ${CPU_SETS:-0:1 0,1:}; do
  for reads in ${READS:-2 8}; do
    TRAILSIEVE_CPUS=${pair%%:*} EMULATOR_CPUS=${pair#*:} READ_PARALLELISM=$reads PUBLISH=$publish "$HERE/service.sh" | grep '^per task'
    publish=0
  done
done
