# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..facts import DUNNING


class CrmLifecycleEvent(models.Model):
    _inherit = "crm.lifecycle.event"

    def _get_fact_groups(self):
        """What changes the customer's receivables (an invoice posted, paid,
        disputed or released) can change its dunning level too: the events
        re-reading ``receivables`` re-read ``dunning`` (in the same query)."""
        groups = super()._get_fact_groups()
        if groups and "receivables" in groups and DUNNING.name not in groups:
            groups = (*groups, DUNNING.name)
        return groups
