# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

ACTIVITY_INTERACTIONS = {"phonecall": "call", "meeting": "meeting"}


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A completed call or meeting about a customer is an interaction."""
        about = self._lifecycle_customer_activities()
        res = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        interactions = self.env["crm.interaction"]
        for category, interaction_type in ACTIVITY_INTERACTIONS.items():
            done = self.browse(
                [
                    activity_id
                    for activity_id, (_partner, _record, activity_category) in (
                        about.items()
                    )
                    if activity_category == category
                ]
            )
            if not done:
                continue
            interactions |= interactions._log_documents(
                done,
                interaction_type,
                partner_field=lambda activity: about[activity.id][0],
                name=lambda activity: activity.summary
                or activity.activity_type_id.name,
                direction="outbound",
                values=lambda activity: {
                    "description": feedback or activity.note or False,
                    "source_name": about[activity.id][1].display_name,
                },
            )
        if interactions:
            interactions.partner_id._lifecycle_trigger_event(
                "interaction_logged", records=interactions
            )
        return res

    def _lifecycle_customer_activities(self):
        """{activity id: (partner, document, category)} for the call and meeting
        activities about a partner (directly or through a document's partner)."""
        result = {}
        for activity in self:
            category = activity.activity_type_id.category
            if category not in ACTIVITY_INTERACTIONS or not activity.res_model:
                continue
            record = (
                self.env[activity.res_model].sudo().browse(activity.res_id).exists()
            )
            if not record:
                continue
            if activity.res_model == "res.partner":
                partner = record
            elif "partner_id" in record._fields and record.partner_id:
                partner = record.partner_id
            else:
                continue
            result[activity.id] = (partner, record, category)
        return result
