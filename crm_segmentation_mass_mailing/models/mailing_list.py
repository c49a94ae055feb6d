# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class MailingList(models.Model):
    """A mailing list can follow segments: the customers entering one of them
    are subscribed (consent and blacklist respected), those leaving them are
    taken off the list (their subscription removed, so that they are
    subscribed again if they come back). A customer who unsubscribed by
    themselves keeps their opt-out: never subscribed again, nor removed."""

    _inherit = "mailing.list"

    segment_cell_ids = fields.Many2many(
        "crm.segment.cell",
        string="Follows Segments",
        help="The customers entering these segments are subscribed to the list, "
        "those leaving them unsubscribed (at each recompute, or a move by hand). "
        "Use 'Add to Mailing List' for the customers already in them.",
    )

    def _segment_follow(self, entered, left):
        """Subscribe the customers of ``entered`` ({list: customers}) and take
        the addresses of ``left`` ({list: customers}) off the lists: one batch
        per list."""
        Wizard = self.env["crm.segment.mailing.list.wizard"]
        Subscription = self.env["mailing.subscription"].sudo()
        for mailing_list, customers in left.items():
            emails = [e for e in customers.mapped("email_normalized") if e]
            if emails:
                Subscription.search(
                    [
                        ("list_id", "=", mailing_list.id),
                        ("opt_out", "=", False),
                        ("contact_id.email_normalized", "in", emails),
                    ]
                ).unlink()
        for mailing_list, customers in entered.items():
            Wizard._subscribe(mailing_list, customers)
