#!/usr/bin/env bash
# `make screenshots`: serve the demo database on a spare port, render the main screens at desktop and
# phone width with headless Chromium (tools/screenshots.py) into docs/screenshots/, stop the server.
# SCREENSHOTS_DB (default: the demo database of `make run`), SCREENSHOTS_PORT (default 8079).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

DB=${SCREENSHOTS_DB:-${DEMO_DB:-crm_demo}}
PORT=${SCREENSHOTS_PORT:-8079}
OUT=${SCREENSHOTS_OUT:-docs/screenshots}
MODULES="$CORE_ADDONS,$OUR_ADDONS"
LOG=$(mktemp "${TMPDIR:-/tmp}/crm-screenshots.XXXXXX")

if ! db_exists "$DB"; then
    log "creating the demo database $DB (once; a few minutes)"
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$MODULES" --with-demo --stop-after-init --log-level=warn
else
    log "upgrading $OUR_ADDONS in $DB (the screens of the current code)"
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -u "$OUR_ADDONS" --stop-after-init --log-level=warn
fi

log "serving $DB on port $PORT (log: $LOG)"
"$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" \
    --gevent-port="$((PORT + 1))" --max-cron-threads=0 --log-level=warn --logfile="$LOG" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT

for _ in $(seq 120); do
    kill -0 "$server" 2>/dev/null || die "the server stopped (log: $LOG)"
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/web/login" || true)
    [ "$code" = 200 ] && break
    sleep 1
done
[ "$code" = 200 ] || die "the server does not answer on port $PORT (log: $LOG)"

log "rendering the screens into $OUT"
"$VENV/bin/python" tools/screenshots.py --url "http://127.0.0.1:$PORT" --db "$DB" --out "$OUT" "$@"
