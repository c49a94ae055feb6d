#!/usr/bin/env bash
# Lint: ruff (check + format), pylint-odoo with the blocking OCA/Odoo 19 checks, OCA module and
# .po checks. Fix what they report rather than silencing it.
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

ADDONS=(crm_lifecycle crm_segmentation crm_complaints crm_segmentation_mass_mailing crm_lifecycle_mass_mailing crm_privacy crm_privacy_complaints crm_lifecycle_credit_control crm_complaints_rma crm_segmentation_dashboard)
status=0
run() {
    log "$*"
    "$@" || status=1
}
run "$VENV/bin/ruff" check --no-fix .
run "$VENV/bin/ruff" format --check .
run "$VENV/bin/python" tools/gen_addon_readme.py --check
run "$VENV/bin/pylint" --rcfile=.pylintrc-mandatory "${ADDONS[@]}" tests
run "$VENV/bin/oca-checks-odoo-module" "${ADDONS[@]/%//__manifest__.py}"
mapfile -t POS < <(git ls-files -- '*.po' '*.pot' 2>/dev/null; find "${ADDONS[@]}" -name '*.po' -o -name '*.pot' 2>/dev/null)
if [ ${#POS[@]} -gt 0 ]; then
    run "$VENV/bin/oca-checks-po" $(printf '%s\n' "${POS[@]}" | sort -u)
fi
if [ $status -eq 0 ]; then log "lint: clean"; else log "lint: FAILED"; fi
exit $status
