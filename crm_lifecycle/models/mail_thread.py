# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

# Values of the Precedence header that mark a message nobody wrote
AUTOMATIC_PRECEDENCE = ("auto_reply", "bulk", "junk")


def is_automatic_reply(message):
    """Whether an incoming e-mail was sent by a machine rather than written by a
    person: an auto-reply (out of office, "we received your message") or any
    automatically submitted mail (RFC 3834 ``Auto-Submitted``, and the headers
    mail servers used before it)."""
    auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    precedence = (message.get("Precedence") or "").strip().lower()
    return precedence in AUTOMATIC_PRECEDENCE


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        """An automatic reply is no contact with the customer: core still posts
        it on the document (bounces are handled before, and post nothing), but
        it is not logged in the customer's timeline."""
        if is_automatic_reply(message) and not self.env.context.get(
            "lifecycle_email_skip"
        ):
            return self.with_context(lifecycle_email_skip=True)._message_route_process(
                message, message_dict, routes
            )
        return super()._message_route_process(message, message_dict, routes)
