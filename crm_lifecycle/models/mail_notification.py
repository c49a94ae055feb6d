# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .crm_interaction_email import RECIPIENT_ONLY_TYPES


class MailNotification(models.Model):
    _inherit = "mail.notification"

    @api.model_create_multi
    def create(self, vals_list):
        """A message sent to a customer by e-mail or text message: queue it
        for the customer's timeline. Notifications to nobody are not queued
        when created (see ``crm.interaction._lifecycle_queue_email_messages``):
        most messages are the tracking of documents nobody is e-mailed."""
        notifications = super().create(vals_list)
        if not self.env.context.get("lifecycle_email_skip"):
            sent = notifications.filtered(
                lambda n: n.notification_type in ("email", "sms")
                and n.mail_message_id.message_type in RECIPIENT_ONLY_TYPES
            )
            self.env["crm.interaction"]._lifecycle_queue_email_message_ids(
                sent.mail_message_id.ids
            )
        return notifications
