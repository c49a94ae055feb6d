# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class CrmCrossSellSuggestion(models.Model):
    """The next best offer: a salesperson calls its customers with their best
    suggestion (the call list, by expected value) and turns suggestions into a
    quotation in one tap."""

    _inherit = "crm.cross.sell.suggestion"

    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    phone = fields.Char(related="partner_id.phone")
    email = fields.Char(related="partner_id.email")

    def action_create_quotation(self):
        """A draft quotation per customer (and company) with the products of
        these suggestions, one unit each, highest expected value first; the
        quotation is the user's (who makes the offer: a salesperson seeing only
        its own documents can create it for any customer it reads). Opens it
        (the list when there are several)."""
        if not self:
            raise UserError(
                self.env._("Select the suggestions to put on the quotation.")
            )
        orders = self.env["sale.order"]
        for (company, customer), suggestions in self.grouped(
            lambda suggestion: (suggestion.company_id, suggestion.partner_id)
        ).items():
            orders |= (
                self.env["sale.order"]
                .with_company(company)
                .create(
                    {
                        "company_id": company.id,
                        "partner_id": customer.id,
                        "user_id": self.env.user.id,
                        "origin": self.env._("Cross-sell suggestions"),
                        "order_line": [
                            Command.create({"product_id": product.id})
                            for product in suggestions.sorted(
                                lambda s: (-s.expected_value, s.sequence)
                            ).product_id
                        ],
                    }
                )
            )
        if len(orders) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "sale.order",
                "res_id": orders.id,
                "views": [(False, "form")],
                "target": "current",
            }
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action["domain"] = [("id", "in", orders.ids)]
        action["context"] = {}
        return action

    def action_log_call(self):
        """Log the call made about the offer on the customer's timeline."""
        self.ensure_one()
        return self.partner_id.with_context(
            lifecycle_interaction_type="call"
        ).action_log_interaction()
