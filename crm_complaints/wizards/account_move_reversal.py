# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero


class AccountMoveReversal(models.TransientModel):
    _name = "account.move.reversal"
    _inherit = ["account.move.reversal", "crm.complaint.wizard.mixin"]

    complaint_refund_method = fields.Selection(
        [
            ("claimed", "An amount (one line)"),
            ("full", "The whole invoice"),
        ],
        string="Credit",
        default="full",
        help="An amount: a credit note with one line for the amount granted "
        "(the amount claimed by default), taxes included. The whole invoice: "
        "every line of the invoice reversed, as the standard reversal does.",
    )
    complaint_refund_amount = fields.Monetary(
        string="Amount to Credit",
        help="Taxes included: the total of the credit note.",
    )
    complaint_amount_claimed = fields.Monetary(
        related="complaint_id.amount_claimed", string="Amount Claimed"
    )

    @api.model
    def default_get(self, fields):
        """From a complaint with an amount claimed, credit that amount (at most
        the invoice's total): a complaint rarely disputes the whole invoice."""
        res = super().default_get(fields)
        complaint = self.env["crm.complaint"].browse(res.get("complaint_id"))
        if complaint.amount_claimed:
            invoice = complaint.invoice_id
            res["complaint_refund_method"] = "claimed"
            res["complaint_refund_amount"] = min(
                complaint.amount_claimed, invoice.amount_total or 0.0
            )
        return res

    def reverse_moves(self, is_modify=False):
        """Link the credit notes created from a complaint to it; for an amount,
        the credit note has one line for it instead of the invoice's lines; the
        complaint is resolved and says what was granted."""
        if self.complaint_id:
            self.complaint_id.check_access("read")
            if self.complaint_refund_method == "claimed":
                self._complaint_check_refund_amount(is_modify)
        action = super().reverse_moves(is_modify=is_modify)
        if self.complaint_id:
            refunds = self.new_move_ids.filtered(lambda m: m.move_type == "out_refund")
            refunds.write({"complaint_origin_id": self.complaint_id.id})
            if refunds and self.complaint_refund_method == "claimed":
                for refund in refunds:
                    self._complaint_set_refund_line(refund)
            if refunds:
                # sudo: the accountant may only read the complaint
                self.complaint_id.sudo()._complaint_resolved_by_credit_notes(refunds)
        return action

    def _complaint_check_refund_amount(self, is_modify=False):
        invoice = self.move_ids
        if is_modify:
            raise UserError(
                self.env._(
                    "Reverse and create invoice replaces the whole invoice: "
                    "choose to credit the whole invoice."
                )
            )
        rounding = invoice.currency_id.rounding or 0.01
        if len(invoice) != 1:
            raise UserError(
                self.env._("A credit note for an amount reverses one invoice.")
            )
        if float_is_zero(self.complaint_refund_amount, precision_rounding=rounding) or (
            self.complaint_refund_amount < 0
        ):
            raise UserError(self.env._("Enter a positive amount to credit."))
        if (
            float_compare(
                self.complaint_refund_amount,
                invoice.amount_total,
                precision_rounding=rounding,
            )
            > 0
        ):
            raise UserError(
                self.env._(
                    "The amount to credit (%(amount)s) exceeds the invoice's "
                    "total (%(total)s).",
                    amount=self.complaint_refund_amount,
                    total=invoice.amount_total,
                )
            )

    def _complaint_refund_taxes_and_account(self, invoice):
        """Taxes and account of the credit line: those of the complaint's
        product on the invoice, else those all the invoice's lines share, else
        the first line's account and no tax (the accountant reviews the
        draft)."""
        lines = invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        product = self.complaint_id.product_id
        if product and product in lines.product_id:
            lines = lines.filtered(lambda line: line.product_id == product)
        taxes = lines[:1].tax_ids
        if any(line.tax_ids != taxes for line in lines):
            taxes = self.env["account.tax"]
        return taxes, lines[:1].account_id

    def _complaint_set_refund_line(self, refund):
        """Replace the reversed lines of the draft credit note by one line whose
        total (taxes included) is the amount to credit."""
        complaint = self.complaint_id
        invoice = refund.reversed_entry_id or self.move_ids[:1]
        taxes, account = self._complaint_refund_taxes_and_account(invoice)
        amount = self.complaint_refund_amount
        product_lines = refund.invoice_line_ids.filtered(
            lambda line: line.display_type in ("product", "line_section", "line_note")
        )
        line_vals = {
            "name": self.env._(
                "Complaint %(ref)s: %(subject)s",
                ref=complaint.name,
                subject=complaint.subject,
            ),
            "quantity": 1.0,
            "price_unit": amount,
            "tax_ids": [fields.Command.set(taxes.ids)],
        }
        if account:
            line_vals["account_id"] = account.id
        refund.write(
            {
                "invoice_line_ids": [
                    fields.Command.delete(line.id) for line in product_lines
                ]
                + [fields.Command.create(line_vals)]
            }
        )
        # taxes on top of the price: bring the total back to the amount (the
        # percentages are linear)
        if taxes and refund.amount_total:
            line = refund.invoice_line_ids
            line.price_unit = refund.currency_id.round(
                amount * amount / refund.amount_total
            )
