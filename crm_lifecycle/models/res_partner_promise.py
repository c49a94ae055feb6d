# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _lifecycle_event_facts_read(self, event_code, records, groups, changed):
        """A payment received keeps the open payment promises it covers
        (``crm.interaction._evaluate_promises``), for the customers whose
        stored fact says they have one (``lifecycle_promise_date``, of the
        payment's company, in the cache since the event's round trip): a
        customer without an open promise, nearly every payment, costs no
        look-up of promises. The promises of a customer are evaluated before
        its rules, and its interaction facts read again when some changed, as
        when the promises were evaluated before the event."""
        changed = super()._lifecycle_event_facts_read(
            event_code, records, groups, changed
        )
        if event_code != "payment_received":
            return changed
        promised = self.filtered("lifecycle_promise_date")
        if not promised:
            return changed
        evaluated = self.env["crm.interaction"]._evaluate_promises(promised)
        again = promised.filtered(lambda p: p in evaluated.partner_id)
        if again and (groups is None or "interactions" in groups):
            refreshed = again._lifecycle_refresh_facts(["interactions"], one_query=True)
            if changed is not None:
                for partner_id, names in refreshed.items():
                    changed[partner_id] = changed.get(partner_id, set()) | names
        return changed
