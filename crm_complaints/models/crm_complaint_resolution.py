# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a complaint gives the customer: credit notes, returns and replacement
quotations, created from the complaint and linked to it, and their amounts."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, is_html_empty


class CrmComplaint(models.Model):
    _inherit = "crm.complaint"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    amount_refunded = fields.Monetary(
        string="Refunded",
        compute="_compute_amount_refunded",
        store=True,
        help="Credit notes issued for this complaint (not cancelled).",
    )
    amount_replaced = fields.Monetary(
        string="Replaced",
        compute="_compute_amount_replaced",
        store=True,
        help="Value of the goods sent again by replacement orders (not cancelled).",
    )
    amount_granted = fields.Monetary(
        compute="_compute_amount_granted",
        store=True,
        readonly=False,
        tracking=True,
        help="Refunded plus replaced; may be edited for other compensations.",
    )
    credit_note_ids = fields.One2many(
        "account.move", "complaint_origin_id", string="Credit Notes"
    )
    return_picking_ids = fields.One2many(
        "stock.picking",
        "complaint_origin_id",
        string="Returns",
        groups="base.group_user",
    )
    replacement_order_ids = fields.One2many(
        "sale.order",
        "complaint_origin_id",
        string="Replacement Orders",
        groups="base.group_user",
    )
    credit_note_count = fields.Integer(compute="_compute_document_counts")
    return_picking_count = fields.Integer(
        compute="_compute_document_counts", groups="base.group_user"
    )
    replacement_order_count = fields.Integer(
        compute="_compute_document_counts", groups="base.group_user"
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends(
        "credit_note_ids.state",
        "credit_note_ids.amount_total_signed",
        "company_id",
    )
    def _compute_amount_refunded(self):
        for complaint in self:
            notes = complaint.credit_note_ids.filtered(lambda m: m.state != "cancel")
            complaint.amount_refunded = sum(
                abs(note.amount_total_signed) for note in notes
            )

    @api.depends(
        "replacement_order_ids.state",
        "replacement_order_ids.order_line.price_unit",
        "replacement_order_ids.order_line.product_uom_qty",
    )
    def _compute_amount_replaced(self):
        for complaint in self:
            total = 0.0
            for order in complaint.replacement_order_ids:
                if order.state == "cancel":
                    continue
                value = sum(
                    line.price_unit * line.product_uom_qty
                    for line in order.order_line
                    if not line.display_type
                )
                total += order.currency_id._convert(
                    value,
                    complaint.currency_id,
                    complaint.company_id,
                    order.date_order or fields.Date.context_today(complaint),
                )
            complaint.amount_replaced = total

    @api.depends("amount_refunded", "amount_replaced")
    def _compute_amount_granted(self):
        for complaint in self:
            complaint.amount_granted = (
                complaint.amount_refunded + complaint.amount_replaced
            )

    def _compute_document_counts(self):
        for complaint in self:
            complaint.credit_note_count = len(complaint.credit_note_ids)
            complaint.return_picking_count = len(complaint.return_picking_ids)
            complaint.replacement_order_count = len(complaint.replacement_order_ids)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_documents(self):
        if any(
            c.credit_note_ids or c.return_picking_ids or c.replacement_order_ids
            for c in self
        ):
            raise UserError(
                self.env._(
                    "A complaint with credit notes, returns or replacement orders "
                    "cannot be deleted; close or reject it instead."
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_credit_notes(self):
        self.ensure_one()
        return self._action_view_records(
            "account.action_move_out_refund_type",
            self.credit_note_ids,
            self.env.ref("account.view_move_form").id,
        )

    def action_view_returns(self):
        self.ensure_one()
        return self._action_view_records(
            "stock.action_picking_tree_all",
            self.return_picking_ids,
            self.env.ref("stock.view_picking_form").id,
        )

    def action_view_replacement_orders(self):
        self.ensure_one()
        return self._action_view_records(
            "sale.action_quotations_with_onboarding",
            self.replacement_order_ids,
            self.env.ref("sale.view_order_form").id,
        )

    def action_credit_note(self):
        """Open core's reversal wizard on the related invoice."""
        self.ensure_one()
        invoice = self.invoice_id
        if not invoice or invoice.state != "posted":
            raise UserError(
                self.env._("Set a posted customer invoice on the complaint first.")
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_view_account_move_reversal"
        )
        action["context"] = {
            "active_model": "account.move",
            "active_ids": invoice.ids,
            "active_id": invoice.id,
            "complaint_id": self.id,
            "default_reason": self.env._(
                "Complaint %(ref)s: %(subject)s", ref=self.name, subject=self.subject
            ),
        }
        return action

    @api.model
    def _resolution_stage(self):
        """Where a complaint goes when the company grants a resolution: the
        first closed stage that is not the customer's closing stage."""
        stages = self.env["crm.complaint.stage"].sudo()
        return stages.search(
            [("is_closed", "=", True), ("is_customer_close", "=", False)], limit=1
        ) or stages.search([("is_closed", "=", True)], limit=1)

    def _complaint_resolved_by_credit_notes(self, credit_notes):
        """Say in the chatter what the credit notes grant (against what was
        claimed), write it as the resolution the customer reads when none is
        written, and move the open complaint to the resolution stage."""
        self.ensure_one()
        currency = self.currency_id
        for note in credit_notes:
            amount = format_amount(self.env, abs(note.amount_total), note.currency_id)
            if note.state == "draft":
                body = self.env._(
                    "Credit note %(note)s drafted for %(amount)s (amount claimed: "
                    "%(claimed)s). It grants the amount once posted by the "
                    "accounting.",
                    note=note._get_html_link(),
                    amount=amount,
                    claimed=format_amount(self.env, self.amount_claimed, currency),
                )
            else:
                body = self.env._(
                    "Credit note %(note)s issued for %(amount)s (amount claimed: "
                    "%(claimed)s).",
                    note=note._get_html_link(),
                    amount=amount,
                    claimed=format_amount(self.env, self.amount_claimed, currency),
                )
            if (
                self.amount_claimed
                and currency.compare_amounts(
                    abs(note.amount_total_signed), self.amount_claimed
                )
                > 0
            ):
                body += Markup(" ") + self.env._(
                    "This is more than the amount claimed."
                )
            self.message_post(body=body)
        if is_html_empty(self.resolution):
            lang = self.partner_id.lang or self.env.lang
            total = sum(abs(note.amount_total) for note in credit_notes)
            self.resolution = Markup("<p>%s</p>") % self.with_context(lang=lang).env._(
                "A credit note of %(amount)s was granted.",
                amount=format_amount(
                    self.with_context(lang=lang).env,
                    total,
                    credit_notes[:1].currency_id or currency,
                ),
            )
        if not self.is_closed:
            stage = self._resolution_stage()
            if stage:
                self.stage_id = stage
        return True

    def action_return(self):
        """Open core's return wizard on the related delivery."""
        self.ensure_one()
        picking = self.picking_id
        if not picking or picking.state != "done":
            raise UserError(
                self.env._("Set a delivery that is done on the complaint first.")
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.act_stock_return_picking"
        )
        action["context"] = {
            "active_model": "stock.picking",
            "active_ids": picking.ids,
            "active_id": picking.id,
            "complaint_id": self.id,
        }
        return action

    def action_replacement_quotation(self):
        """Create a quotation that sends the goods again, free of charge."""
        self.ensure_one()
        order = self._create_replacement_quotation()
        return self._action_view_records(
            "sale.action_quotations_with_onboarding",
            order,
            self.env.ref("sale.view_order_form").id,
        )

    def _replacement_lines(self):
        """Products and quantities to send again: the order line, else the lines
        of the order (restricted to the complaint's product if any), else the
        product alone."""
        self.ensure_one()
        if self.sale_line_id:
            lines = self.sale_line_id
        else:
            lines = self.sale_order_id.order_line.filtered(
                lambda line: not line.display_type
                and line.product_id.type != "service"
                and (not self.product_id or line.product_id == self.product_id)
            )
        values = [
            (line.product_id, line.product_uom_qty, line.price_unit) for line in lines
        ]
        if not values and self.product_id:
            values = [(self.product_id, 1.0, self.product_id.lst_price)]
        return values

    def _create_replacement_quotation(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Set the customer of the complaint first."))
        lines = self._replacement_lines()
        if not lines:
            raise UserError(
                self.env._("Set a product, an order line or an order first.")
            )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "origin": self.name,
                "complaint_origin_id": self.id,
                "user_id": (self.sale_order_id.user_id or self.env.user).id,
                "order_line": [
                    fields.Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            "discount": 100.0,
                        }
                    )
                    for product, qty, price in lines
                ],
            }
        )
        self.message_post(
            body=self.env._(
                "Replacement quotation %(order)s created.",
                order=order._get_html_link(),
            )
        )
        return order
