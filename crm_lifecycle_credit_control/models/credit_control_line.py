# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import models

# credit control channel -> channel of the interaction in the timeline
CHANNELS = {"email": "email", "letter": "post", "phone": "phone"}


class CreditControlLine(models.Model):
    _inherit = "credit.control.line"

    def write(self, vals):
        """A reminder that reaches the customer (an e-mail sent, a letter
        printed, a call done: the line turns *Done*) is a collection contact:
        it lands in the customer's timeline."""
        sent = (
            self.filtered(lambda line: line.state != "sent")
            if vals.get("state") == "sent"
            else self.browse()
        )
        result = super().write(vals)
        if sent:
            sent._lifecycle_log_reminders()
        return result

    def _lifecycle_log_reminders(self):
        """One collection interaction per communication (the letter or e-mail
        listing the invoices of one level), or per line reminded without one
        (a call); then the customers' dunning level and last collection
        contact are refreshed, and the rules listening to it run."""
        lines = self.sudo()
        Interaction = self.env["crm.interaction"]
        communications = lines.communication_id
        alone = lines.filtered(lambda line: not line.communication_id)
        Interaction._log_documents(
            communications,
            "collection",
            name=lambda comm: self.env._(
                "Reminder %(level)s (%(channel)s)",
                level=comm.policy_level_id.name,
                channel=comm.credit_control_line_ids[:1]._lifecycle_channel_label(),
            ),
            user_field="user_id",
            direction="outbound",
            values=lambda comm: comm.credit_control_line_ids._lifecycle_values(),
        )
        Interaction._log_documents(
            alone,
            "collection",
            name=lambda line: self.env._(
                "Reminder %(level)s (%(channel)s): %(invoice)s",
                level=line.policy_level_id.name,
                channel=line._lifecycle_channel_label(),
                invoice=line.invoice_id.name or line.move_line_id.display_name,
            ),
            user_field="partner_user_id",
            direction="outbound",
            values=lambda line: line._lifecycle_values(),
        )
        lines.partner_id._lifecycle_trigger_event(
            "dunning_reminder_sent", records=lines
        )

    def _lifecycle_channel_label(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        return channels.get(self[:1].channel, "")

    def _lifecycle_values(self):
        """Channel and notes of the interaction of these lines (one reminder):
        the invoices reminded with their open amount."""
        items = Markup("").join(
            Markup("<li>%s: %s</li>")
            % (
                line.invoice_id.name or line.move_line_id.display_name,
                line.currency_id.format(line.balance_due)
                if line.currency_id
                else line.company_id.currency_id.format(line.balance_due),
            )
            for line in self
        )
        return {
            "channel": CHANNELS.get(self[:1].channel, "other"),
            "description": Markup("<ul>%s</ul>") % items,
        }
