# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    """What each company keeps in its customers' timelines by itself."""

    _inherit = "res.company"

    lifecycle_email_logging = fields.Selection(
        [
            ("all", "All e-mails"),
            ("customer_facing", "Customer-facing only"),
            ("none", "None"),
        ],
        string="E-mails in the Timeline",
        required=True,
        default="customer_facing",
        groups="base.group_user",
        help="Which e-mails exchanged with customers are logged in their "
        "timeline, on the documents of this company.\n"
        "Customer-facing only: the conversation, e-mails written to or by the "
        "customer (chatter, templates such as a quotation or an invoice sent, "
        "acknowledgements, replies through the mail gateway, portal messages).\n"
        "All e-mails: also the automatic notifications a customer receives by "
        "e-mail (order confirmations, updates of the documents they follow).\n"
        "Internal notes, bounces and automatic replies are never logged.",
    )
