#!/usr/bin/env bash
# `make bench`: every benchmark of the suite, one table per addon, written to
# docs/benchmarks.md with the machine it ran on. Each script builds its own
# databases (bulk SQL where the data is large) and drops them afterwards.
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

OUT=${BENCH_OUT:-docs/benchmarks.md}
CUSTOMERS=${BENCH_CUSTOMERS:-100000}
DOCS=${BENCH_DOCS:-1000}
COMPLAINTS=${BENCH_COMPLAINTS:-10000}
PY="$VENV/bin/python"
PARTS=$(mktemp -d "${TMPDIR:-/tmp}/crm-bench.XXXXXX")
status=0
start=$(date +%s)

run() {
    log "$*"
    "$@" || status=1
}

run "$PY" tools/bench_lifecycle.py --customers "$CUSTOMERS" --docs "$DOCS" \
    --markdown "$PARTS/1-lifecycle.md"
run "$PY" tools/bench_companies.py --customers "$CUSTOMERS" \
    --markdown "$PARTS/1b-companies.md"
run "$PY" tools/bench_complaints.py --complaints "$COMPLAINTS" --markdown "$PARTS/2-complaints.md"
run "$PY" tools/bench_erasure.py --markdown "$PARTS/2b-erasure.md"
run "$PY" tools/bench_timeline.py --markdown "$PARTS/2c-timeline.md"
if [ -f tools/bench_segmentation.py ]; then
    run "$PY" tools/bench_segmentation.py --markdown "$PARTS/3-segmentation.md"
fi
if [ -f tools/bench_clv.py ]; then
    run "$PY" tools/bench_clv.py --customers "$CUSTOMERS" --markdown "$PARTS/3b-clv.md"
fi
if [ -f tools/bench_actions.py ]; then
    run "$PY" tools/bench_actions.py --markdown "$PARTS/3b-actions.md"
fi
if [ -f tools/bench_load.py ]; then
    run "$PY" tools/bench_load.py --markdown "$PARTS/4-load.md"
fi
run "$PY" tools/bench_scale.py --customers "$CUSTOMERS" --markdown "$PARTS/5-scale.md"

mkdir -p "$(dirname "$OUT")"
{
    echo "# Benchmarks"
    echo
    echo "Written by \`make bench\` on $(date -u '+%Y-%m-%d %H:%M UTC') in $(( $(date +%s) - start )) s."
    echo
    echo "Machine: $(uname -srm); $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs));"
    echo "$(free -g | awk '/Mem:/ {print $2}') GB RAM; $(psql -d postgres -Atqc 'select version()' | cut -d, -f1);"
    echo "$("$PY" --version); Odoo $("$PY" -c 'import odoo.release as r; print(r.version)')."
    echo
    cat "$PARTS"/*.md
} >"$OUT"
log "written to $OUT"
cat "$OUT"
exit $status
