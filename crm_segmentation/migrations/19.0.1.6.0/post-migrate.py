# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.6.0: the RFM figures are per company. The pre-migration kept the
existing figures for the company that computed them (the customer's own
company, else the main company); the other companies compute theirs now
rather than at the next nightly run, so that their matrices and their
customers' forms do not show the main company's figures or none until then.
Every company has its RFM matrix (19.0.1.4.0) and the nightly job computes
the RFM of every company: all the other companies are computed."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import parse_version

from odoo.addons.crm_lifecycle.company_values import main_company_id

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    # from before 19.0.1.5.0, its migration computed every company's already
    if not version or parse_version(version) < parse_version("19.0.1.5.0"):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    companies = env["res.company"].search([("id", "!=", main_company_id(cr))])
    Partner = env["res.partner"]
    for company in companies:
        Partner.with_company(company)._rfm_compute(company)
    _logger.info(
        "crm_segmentation %s: RFM figures computed for %s other companies",
        version,
        len(companies),
    )
