# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .crm_complaint import DISPUTE_KINDS


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "crm.complaint.customer.mixin"]
    _complaint_document_field = "invoice_id"

    complaint_ids = fields.One2many(
        "crm.complaint", "invoice_id", string="Complaints", groups="base.group_user"
    )
    complaint_origin_id = fields.Many2one(
        "crm.complaint",
        string="Granted for Complaint",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The complaint this credit note was issued for.",
        groups="base.group_user",
    )
    complaint_disputed = fields.Boolean(
        string="Disputed",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="An open complaint is about this invoice: it is kept out of the "
        "follow-up reminders until the complaint is closed.",
        groups="base.group_user",
    )
    complaint_no_followup_set = fields.Boolean(
        string="Follow-up Excluded by Dispute",
        readonly=True,
        copy=False,
        help="The dispute excluded the receivable lines from the follow-up; they "
        "are included again when it ends.",
        groups="base.group_user",
    )

    def _complaint_receivable_lines(self):
        return self.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )

    def _complaint_sync_dispute(self):
        """Flag the invoices with an open complaint or claim as disputed, unflag
        the others; one query for all the invoices.

        While disputed, the receivable lines get core's ``no_followup`` so that
        overdue reminders skip them; when the dispute ends, only the lines the
        dispute excluded are included again (an accountant's own exclusion
        stays).
        """
        moves = self.sudo().exists().filtered(lambda m: m.is_sale_document())
        if not moves:
            return
        groups = (
            self.env["crm.complaint"]
            .sudo()
            ._read_group(
                [
                    ("invoice_id", "in", moves.ids),
                    ("is_closed", "=", False),
                    ("kind", "in", DISPUTE_KINDS),
                ],
                ["invoice_id"],
                ["__count"],
            )
        )
        disputed = {invoice.id for invoice, _count in groups}
        to_flag = moves.filtered(
            lambda m: m.id in disputed and not m.complaint_disputed
        )
        to_release = moves.filtered(
            lambda m: m.id not in disputed and m.complaint_disputed
        )
        if to_flag:
            lines = to_flag._complaint_receivable_lines()
            excluded = lines.filtered(lambda line: not line.no_followup)
            excluded.write({"no_followup": True})
            excluded.move_id.write({"complaint_no_followup_set": True})
            to_flag.write({"complaint_disputed": True})
        if to_release:
            restore = to_release.filtered("complaint_no_followup_set")
            restore._complaint_receivable_lines().write({"no_followup": False})
            to_release.write(
                {"complaint_disputed": False, "complaint_no_followup_set": False}
            )
        if to_flag or to_release:
            # the overdue amount of the customers moves to/from disputed
            customers = (to_flag | to_release).commercial_partner_id
            customers._lifecycle_customers()._lifecycle_refresh_facts()
