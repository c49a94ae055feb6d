# Shared by the tools/*.sh scripts (sourced, not run).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
ODOO_BIN=$VENV/bin/odoo
ODOO_CONF=${ODOO_CONF:-$ROOT/odoo.conf}
# The bridges to OCA addons (crm_lifecycle_credit_control, crm_complaints_rma) bring their OCA
# dependency with them: the wheels tools/setup.sh installs from requirements.txt.
OUR_ADDONS=crm_lifecycle,crm_segmentation,crm_complaints,crm_segmentation_mass_mailing,crm_lifecycle_mass_mailing,crm_privacy,crm_privacy_complaints,crm_lifecycle_credit_control,crm_complaints_rma,crm_segmentation_dashboard
CORE_ADDONS=crm,sale_management,account,stock
# The one ERROR line a Debian build of Odoo 19 logs while bundling assets (a missing vendored lib).
KNOWN_ODOO_ERRORS='selfie_segmentation'

log() { printf '\033[1;34m[%s]\033[0m %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() { printf '\033[1;31m[%s] %s\033[0m\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }

db_exists() { [ "$(psql -d postgres -Atqc "select 1 from pg_database where datname = '$1'")" = 1 ]; }

# Fail when an Odoo log has ERROR/CRITICAL lines (other than the known Debian packaging one).
check_odoo_log() {
    local errors
    errors=$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$1" | grep -vE "$KNOWN_ODOO_ERRORS" || true)
    if [ -n "$errors" ]; then
        printf '%s\n' "$errors" | head -n 40 >&2
        return 1
    fi
}
