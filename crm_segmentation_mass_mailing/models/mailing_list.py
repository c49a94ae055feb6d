# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.fields import Domain


class MailingList(models.Model):
    """A mailing list can follow segments: the customers already in a segment
    when the list starts following it and those entering it later are
    subscribed (consent and blacklist respected), those leaving them are
    taken off the list (their subscription removed, so that they are
    subscribed again if they come back). A customer who unsubscribed by
    themselves keeps their opt-out: never subscribed again, nor removed."""

    _inherit = "mailing.list"

    segment_cell_ids = fields.Many2many(
        "crm.segment.cell",
        string="Follows Segments",
        help="The customers of these segments are subscribed to the list: those "
        "in them when the list starts following them, then those entering them; "
        "those leaving them are unsubscribed (at each recompute, or a move by "
        "hand).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lists = super().create(vals_list)
        for mailing_list in lists.filtered("segment_cell_ids"):
            mailing_list._segment_subscribe_members(mailing_list.segment_cell_ids)
        return lists

    def write(self, vals):
        if "segment_cell_ids" not in vals:
            return super().write(vals)
        followed = {
            mailing_list: mailing_list.segment_cell_ids for mailing_list in self
        }
        res = super().write(vals)
        for mailing_list in self:
            started = mailing_list.segment_cell_ids - followed[mailing_list]
            if started:
                mailing_list._segment_subscribe_members(started)
        return res

    def _segment_subscribe_members(self, cells):
        """The list starts following ``cells``: subscribe the customers in them
        now, as if they had just entered (the wizard's set-based subscription:
        no address, refused or withdrawn consent and blacklisted addresses are
        skipped, an address that left the list is not subscribed again).
        Every customer of the segments counts, whatever the user may read, as
        for the customers entering them at the nightly recompute."""
        self.ensure_one()
        Wizard = self.env["crm.segment.mailing.list.wizard"]
        customers = (
            self.env["res.partner"]
            .sudo()
            .search_fetch(
                Domain("segment_membership_ids.cell_id", "in", cells.ids),
                Wizard._customer_fields(),
            )
        )
        if not customers:
            return {}
        return Wizard._subscribe(self, customers)

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
