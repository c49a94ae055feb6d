# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        """Every message may be an e-mail with a customer: queue it for the
        customer's timeline (logged set-based at commit, see
        ``crm.interaction._lifecycle_log_emails``)."""
        messages = super().create(vals_list)
        if not self.env.context.get("lifecycle_email_skip"):
            self.env["crm.interaction"]._lifecycle_queue_email_messages(
                messages, vals_list
            )
        return messages
