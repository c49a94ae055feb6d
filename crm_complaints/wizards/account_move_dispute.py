# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMoveDispute(models.TransientModel):
    """ "Dispute" on a customer invoice: the customer contests it (price,
    quantity, quality...). An accountant records it in two fields; customer
    service gets a claim about the invoice, and the invoice leaves the
    follow-up until the claim is closed (see ``crm.complaint``)."""

    _name = "account.move.dispute"
    _description = "Dispute a Customer Invoice"

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, readonly=True
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    subject = fields.Char(required=True)
    amount_claimed = fields.Monetary(
        string="Amount Disputed",
        currency_field="currency_id",
        help="The part of the invoice the customer contests.",
    )
    description = fields.Html(string="What the customer says")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        move = self.env["account.move"].browse(
            values.get("move_id") or self.env.context.get("active_id")
        )
        if move:
            values.setdefault("move_id", move.id)
            values.setdefault(
                "subject", self.env._("Dispute of %(invoice)s", invoice=move.name)
            )
            values.setdefault(
                "amount_claimed", move.amount_residual or move.amount_total
            )
        return values

    def _check_disputable(self):
        self.ensure_one()
        move = self.move_id
        # the person disputing must read the invoice (record rules, company)
        move.check_access("read")
        if move.move_type != "out_invoice" or move.state != "posted":
            raise UserError(
                self.env._("Only a posted customer invoice can be disputed.")
            )
        if move.sudo().complaint_disputed:
            raise UserError(
                self.env._(
                    "%(invoice)s is already disputed by an open complaint.",
                    invoice=move.name,
                )
            )
        if self.amount_claimed < 0 or self.amount_claimed > move.amount_total:
            raise UserError(
                self.env._(
                    "The amount disputed must be between 0 and the invoice total "
                    "(%(total)s).",
                    total=move.currency_id.format(move.amount_total),
                )
            )

    def _complaint_values(self):
        move = self.move_id
        return {
            "subject": self.subject,
            "kind": "claim",
            "partner_id": move.partner_id.id,
            "company_id": move.company_id.id,
            "invoice_id": move.id,
            "amount_claimed": self.amount_claimed,
            "description": self.description,
            "channel": "phone",
        }

    def action_dispute(self):
        """Create the claim (as superuser: accounting reads complaints but does
        not file them) and open it when the user may read it."""
        self._check_disputable()
        complaint = (
            self.env["crm.complaint"]
            .sudo()
            .with_company(self.move_id.company_id)
            .create(self._complaint_values())
        )
        self.move_id.message_post(
            body=self.env._(
                "Disputed by the customer: %(complaint)s",
                complaint=complaint.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        if not complaint.with_env(self.env).has_access("read"):
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.complaint",
            "res_id": complaint.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
