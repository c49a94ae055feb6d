#!/usr/bin/env bash
# `make run`: create once a demo database with our addons and Odoo's demo data, then serve it.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

DB=${DEMO_DB:-crm_demo}
PORT=${HTTP_PORT:-8069}
MODULES="$CORE_ADDONS,$OUR_ADDONS"

installed_modules() {
    psql -d "$DB" -Atqc "select name from ir_module_module where state = 'installed'" 2>/dev/null || true
}

if ! db_exists "$DB"; then
    log "creating the demo database $DB (once; a few minutes)"
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$MODULES" --with-demo --stop-after-init --log-level=warn
else
    missing=()
    have=$(installed_modules)
    for m in ${MODULES//,/ }; do grep -qx "$m" <<<"$have" || missing+=("$m"); done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing into $DB: ${missing[*]}"
        "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$(IFS=,; echo "${missing[*]}")" --stop-after-init --log-level=warn
    fi
    # Upgrade our addons when their code version moved past the installed one.
    outdated=()
    for m in ${OUR_ADDONS//,/ }; do
        want=$("$VENV/bin/python" -c "import ast,sys; print(ast.literal_eval(open(sys.argv[1]).read())['version'])" "$m/__manifest__.py")
        have_v=$(psql -d "$DB" -Atqc "select latest_version from ir_module_module where name = '$m'")
        [ "$want" = "$have_v" ] || outdated+=("$m")
    done
    if [ ${#outdated[@]} -gt 0 ]; then
        log "upgrading in $DB: ${outdated[*]}"
        "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -u "$(IFS=,; echo "${outdated[*]}")" --stop-after-init --log-level=warn
    fi
fi

# the served configuration: odoo.conf plus this machine's own master password
RUN_CONF=$ROOT/.data/run.conf
"$VENV/bin/python" tools/run_conf.py "$RUN_CONF"

cat <<MSG

  Odoo 19 with crm_lifecycle, crm_segmentation, crm_complaints, crm_privacy, their bridges and
  the OCA bridges crm_lifecycle_credit_control (credit control) and crm_complaints_rma (RMA),
  and the Customers dashboard (crm_segmentation_dashboard, in Dashboards)
  URL:    http://localhost:$PORT/odoo   (database $DB)
  Login:  admin / admin
  Stop:   Ctrl+C

MSG
exec "$ODOO_BIN" -c "$RUN_CONF" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT"
