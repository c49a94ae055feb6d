# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events._lifecycle_log_meetings()
        return events

    def write(self, vals):
        res = super().write(vals)
        if "partner_ids" in vals:
            self._lifecycle_log_meetings()
        return res

    def _lifecycle_log_meetings(self):
        """A meeting with customers is an interaction of each customer attending
        (internal users are not customers; logging is idempotent)."""
        interactions = self.env["crm.interaction"]._log_documents(
            self.filtered("partner_ids"),
            "meeting",
            partner_field="partner_ids",
            date_field="start",
            direction="outbound",
            values=lambda event: {"duration": event.duration or 0.0},
        )
        if interactions:
            interactions.partner_id._lifecycle_trigger_event(
                "interaction_logged", records=interactions
            )
