# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class CreditControlPolicy(models.Model):
    _inherit = "credit.control.policy"

    def _get_move_lines_to_process(self, credit_control_run):
        """Leave out of the run what collections agreed to wait for.

        - Items held out of follow-up (core's ``no_followup``): invoices
          disputed by an open complaint (crm_complaints sets it while the
          complaint is open and clears it when it closes) or excluded by an
          accountant. They come back in the first run after the release.
        - Items of a customer's open payment promise whose date is not past
          at the run's date: the invoices the promise names, or all the
          customer's items when it names none.
        """
        lines = super()._get_move_lines_to_process(credit_control_run)
        if not lines:
            return lines
        lines = lines.filtered(lambda line: not line.no_followup)
        return lines - lines._lifecycle_promised(credit_control_run)
