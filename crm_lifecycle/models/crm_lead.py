# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.lifecycle.document.mixin"]

    _lifecycle_interactions = {
        "lead": {
            "domain": [("partner_id", "!=", False)],
            "date_field": "create_date",
            "direction": "inbound",
        },
        # the same documents, when they came from the website's forms
        "web_form": {
            "domain": [("partner_id", "!=", False)],
            "date_field": "create_date",
            "direction": "inbound",
            "backfill": False,
        },
    }

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads.filtered("partner_id")._lifecycle_lead_created()
        return leads

    def write(self, vals):
        previous = (
            {lead.id: lead.partner_id for lead in self} if "partner_id" in vals else {}
        )
        res = super().write(vals)
        if previous:
            (
                self.filtered(
                    lambda lead: lead.partner_id
                    and lead.partner_id != previous[lead.id]
                )
            )._lifecycle_lead_created()
        return res

    def _handle_won_lost(self, old_status_by_lead, new_status_by_lead):
        res = super()._handle_won_lost(old_status_by_lead, new_status_by_lead)

        def reached(status):
            return self.filtered(
                lambda lead: lead.partner_id
                and new_status_by_lead.get(lead.id, {}).get(status)
                and not old_status_by_lead.get(lead.id, {}).get(status)
            )

        won, lost = reached("is_won"), reached("is_lost")
        if won:
            won.partner_id._lifecycle_trigger_event("lead_won", records=won)
        if lost:
            lost.partner_id._lifecycle_trigger_event("lead_lost", records=lost)
        return res

    def _lifecycle_lead_created(self):
        """A lead or opportunity for a customer: an interaction (a web form when it
        came from the website) and the `lead_created` event."""
        if not self:
            return
        website = self.env.ref("utm.utm_medium_website", raise_if_not_found=False)
        from_web = self.filtered(lambda lead: website and lead.medium_id == website)
        from_web._lifecycle_log_interactions("web_form")
        (self - from_web)._lifecycle_log_interactions("lead")
        self.partner_id._lifecycle_trigger_event("lead_created", records=self)
