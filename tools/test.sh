#!/usr/bin/env bash
# `make test`: a fresh database with our addons installed (no demo data), every test of each
# addon's tests/ and of the root tests/ with pytest-odoo, then the lint checks.
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

DB=${TEST_DB:-crm_test}
LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/crm-test.XXXXXX")
status=0

log "creating a fresh database $DB and installing $OUR_ADDONS"
dropdb --if-exists "$DB" || die "cannot drop $DB"
if ! "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$OUR_ADDONS" --stop-after-init \
    --log-level=warn --logfile="$LOGDIR/install.log"; then
    tail -n 60 "$LOGDIR/install.log" >&2
    die "installation failed (log: $LOGDIR/install.log)"
fi
check_odoo_log "$LOGDIR/install.log" || die "installation logged errors (log: $LOGDIR/install.log)"

log "checking that every user-facing string has its Spanish translation"
"$VENV/bin/python" tools/update_translations.py --check -d "$DB" ${TRANSLATED_ADDONS:-crm_lifecycle crm_segmentation crm_complaints crm_segmentation_mass_mailing crm_lifecycle_mass_mailing crm_privacy crm_privacy_complaints crm_lifecycle_credit_control crm_complaints_rma crm_segmentation_dashboard} ||
    status=1

log "checking that headless Chromium starts (the browser tours need it)"
# Odoo SKIPS a tour when it finds no browser; our tours fail instead (BrowserTourCase), and this
# check says why before the long test run. Same binaries, in the same order, as Odoo looks for.
browser=""
for candidate in google-chrome chromium chromium-browser google-chrome-stable; do
    browser=$(command -v "$candidate") && break
done
if [ -z "$browser" ]; then
    die "no Chrome/Chromium on PATH: the browser tours cannot run (tools/setup.sh installs Debian's chromium)"
fi
if ! timeout 60 "$browser" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --user-data-dir="$LOGDIR/chromium-profile" --dump-dom about:blank \
    >"$LOGDIR/chromium.html" 2>"$LOGDIR/chromium.log" || ! grep -q '<body' "$LOGDIR/chromium.html"; then
    tail -n 20 "$LOGDIR/chromium.log" >&2
    die "$browser does not start headless: the browser tours cannot run (log: $LOGDIR/chromium.log)"
fi

log "running the tests"
# tools/docker/test.sh runs the same invocation in the Docker image: change both together.
# shellcheck disable=SC2086  # PYTEST_ARGS: extra pytest arguments, split on spaces
"$VENV/bin/pytest" --rootdir="$ROOT" -c "$ROOT/pytest.ini" --odoo-config="$ODOO_CONF" \
    --odoo-database="$DB" --odoo-log-level=warn --odoo-http ${PYTEST_ARGS:-} || status=1

log "running the lint checks"
tools/lint.sh || status=1

if [ $status -eq 0 ]; then log "all green"; else log "FAILED"; fi
exit $status
