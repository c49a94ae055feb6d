# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    # set in the INSERT of the message (no query of its own): a message that
    # may be an e-mail with a customer, to log by the background job
    lifecycle_email_queued = fields.Boolean(
        string="Queued for the Timeline",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        """Every message may be an e-mail with a customer: queue it for the
        customer's timeline (logged set-based at commit, see
        ``crm.interaction._lifecycle_log_emails``; by the background job in a
        company updating its customers in the background: flagged in its own
        row)."""
        skip = self.env.context.get("lifecycle_email_skip")
        Interaction = self.env["crm.interaction"]
        if not skip and self.env["res.partner"]._lifecycle_in_background():
            vals_list = Interaction._lifecycle_flag_email_values(vals_list) or vals_list
        messages = super().create(vals_list)
        if not skip:
            Interaction._lifecycle_queue_email_messages(messages, vals_list)
        return messages
