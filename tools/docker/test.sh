#!/usr/bin/env bash
# `docker compose run --rm test`: the test suite of `make test` (tools/test.sh) inside the image
# of tools/docker/Dockerfile, where this repository is mounted read-only at /mnt/extra-addons and
# its odoo.conf is the image's configuration (/etc/odoo/odoo.conf). A fresh database with our
# addons installed (no demo data), then every test of each addon's tests/ and of the root tests/
# with pytest-odoo, invoked as tools/test.sh does. The translation and lint checks of `make test`
# need the .venv/ tools: run them with `make lint` on the host.
set -uo pipefail
source "$(dirname "$0")/../common.sh"
cd "$ROOT"

# The image's Odoo and Python instead of .venv/ (tests/odoo_subprocess.py starts CRM_ODOO_BIN).
ODOO_BIN=$(command -v odoo) || die "no odoo on PATH: is this the image of tools/docker/Dockerfile?"
ODOO_CONF=${ODOO_RC:-/etc/odoo/odoo.conf}
PYTHON=${PYTHON:-python3}
export CRM_ODOO_BIN=$ODOO_BIN
# The database server, for Odoo (its db_* options default to these) and for dropdb/createdb: the
# image's HOST / USER / PASSWORD convention (docker-compose.yml), PostgreSQL's own names first.
export PGHOST=${PGHOST:-${HOST:-db}} PGPORT=${PGPORT:-${PORT:-5432}}
export PGUSER=${PGUSER:-${USER:-odoo}} PGPASSWORD=${PGPASSWORD:-${PASSWORD:-odoo}}
# The mounted repository belongs to the host's user: let git read it (tests/test_upgrade.py
# takes the previous version of the addons from its history).
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0=$ROOT

DB=${TEST_DB:-crm_test}
LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/crm-test.XXXXXX")
# The repository is read-only here: the caches go to the log directory.
export PYTHONDONTWRITEBYTECODE=1 HYPOTHESIS_STORAGE_DIRECTORY=$LOGDIR/hypothesis

log "creating a fresh database $DB and installing $OUR_ADDONS"
dropdb --if-exists "$DB" || die "cannot drop $DB"
if ! "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$OUR_ADDONS" --stop-after-init \
    --log-level=warn --logfile="$LOGDIR/install.log"; then
    tail -n 60 "$LOGDIR/install.log" >&2
    die "installation failed (log: $LOGDIR/install.log)"
fi
check_odoo_log "$LOGDIR/install.log" || die "installation logged errors (log: $LOGDIR/install.log)"

log "checking that headless Chromium starts (the browser tours need it)"
# Same binaries, in the same order, as Odoo looks for (the image links Playwright's Chromium).
browser=""
for candidate in google-chrome chromium chromium-browser google-chrome-stable; do
    browser=$(command -v "$candidate") && break
done
[ -n "$browser" ] || die "no Chrome/Chromium on PATH: the browser tours cannot run (rebuild the image)"
if ! timeout 60 "$browser" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --user-data-dir="$LOGDIR/chromium-profile" --dump-dom about:blank \
    >"$LOGDIR/chromium.html" 2>"$LOGDIR/chromium.log" || ! grep -q '<body' "$LOGDIR/chromium.html"; then
    tail -n 20 "$LOGDIR/chromium.log" >&2
    die "$browser does not start headless: the browser tours cannot run (log: $LOGDIR/chromium.log)"
fi

log "running the tests"
# shellcheck disable=SC2086  # PYTEST_ARGS: extra pytest arguments, split on spaces
if "$PYTHON" -m pytest --rootdir="$ROOT" -c "$ROOT/pytest.ini" --odoo-config="$ODOO_CONF" \
    --odoo-database="$DB" --odoo-log-level=warn --odoo-http ${PYTEST_ARGS:-}; then
    log "all green"
else
    log "FAILED"
    exit 1
fi
