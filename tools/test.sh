#!/usr/bin/env bash
# `make test`: a fresh database with the three addons installed (no demo data), every test of each
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
"$VENV/bin/python" tools/update_translations.py --check -d "$DB" ${TRANSLATED_ADDONS:-crm_lifecycle crm_complaints} ||
    status=1

log "running the tests"
# shellcheck disable=SC2086  # PYTEST_ARGS: extra pytest arguments, split on spaces
"$VENV/bin/pytest" --rootdir="$ROOT" -c "$ROOT/pytest.ini" --odoo-config="$ODOO_CONF" \
    --odoo-database="$DB" --odoo-log-level=warn --odoo-http ${PYTEST_ARGS:-} || status=1

log "running the lint checks"
tools/lint.sh || status=1

if [ $status -eq 0 ]; then log "all green"; else log "FAILED"; fi
exit $status
