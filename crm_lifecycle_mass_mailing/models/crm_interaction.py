# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmInteraction(models.Model):
    """Campaign responses: what each recipient of a mailing did with it, one
    interaction per mailing trace and event (see ``mailing.trace``)."""

    _inherit = "crm.interaction"

    campaign_event = fields.Selection(
        [
            ("sent", "Sent"),
            ("opened", "Opened"),
            ("clicked", "Clicked"),
            ("replied", "Replied"),
            ("bounced", "Bounced"),
        ],
        readonly=True,
        index="btree_not_null",
        help="What the customer did with the mailing (or, for sent and "
        "bounced, what the mailing did).",
    )
    mailing_trace_id = fields.Many2one(
        "mailing.trace",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    mailing_id = fields.Many2one(
        "mailing.mailing",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )

    _campaign_event_uniq = models.UniqueIndex(
        "(mailing_trace_id, campaign_event, partner_id) "
        "WHERE mailing_trace_id IS NOT NULL",
        "This campaign response is already in the customer's timeline.",
    )

    @api.model
    def _department_by_model(self):
        return {
            **super()._department_by_model(),
            "mailing.mailing": "marketing",
            "mailing.trace": "marketing",
        }
