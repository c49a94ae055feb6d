# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class CrmPortfolioTransfer(models.TransientModel):
    """Hand a departing salesperson's portfolio over in one step.

    The customers stay the company's: their salesperson, open leads, open
    orders and pending activities move to the new owner, and each customer's
    chatter records the transfer.
    """

    _name = "crm.portfolio.transfer"
    _description = "Portfolio Transfer"

    from_user_id = fields.Many2one(
        "res.users",
        string="From Salesperson",
        required=True,
        domain="[('share', '=', False)]",
    )
    to_user_id = fields.Many2one(
        "res.users",
        string="To Salesperson",
        required=True,
        domain="[('share', '=', False), ('id', '!=', from_user_id)]",
    )
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        required=True,
        help="Only customers, leads and orders of this company move.",
    )
    stage_ids = fields.Many2many(
        "crm.lifecycle.stage",
        string="Only Customers in Stages",
        help="Leave empty to transfer every customer of the salesperson.",
    )
    transfer_leads = fields.Boolean(string="Open Leads and Opportunities", default=True)
    transfer_orders = fields.Boolean(string="Open Quotations and Orders", default=True)
    transfer_activities = fields.Boolean(string="Pending Activities", default=True)
    note = fields.Char(
        string="Reason", help="Added to each customer's history, e.g. the handover."
    )
    partner_count = fields.Integer(compute="_compute_counts", string="Customers")
    lead_count = fields.Integer(compute="_compute_counts", string="Leads")
    order_count = fields.Integer(compute="_compute_counts", string="Orders")
    activity_count = fields.Integer(compute="_compute_counts", string="Activities")

    @api.depends(
        "from_user_id",
        "company_id",
        "stage_ids",
        "transfer_leads",
        "transfer_orders",
        "transfer_activities",
    )
    def _compute_counts(self):
        for wizard in self:
            partners, leads, orders, activities = wizard._get_records()
            wizard.partner_count = len(partners)
            wizard.lead_count = len(leads)
            wizard.order_count = len(orders)
            wizard.activity_count = len(activities)

    def _get_records(self):
        self.ensure_one()
        empty = (
            self.env["res.partner"],
            self.env["crm.lead"],
            self.env["sale.order"],
            self.env["mail.activity"],
        )
        if not self.from_user_id:
            return empty
        user = self.from_user_id
        company = Domain("company_id", "in", [self.company_id.id, False])
        partner_domain = Domain("user_id", "=", user.id) & company
        if self.stage_ids:
            partner_domain &= Domain("lifecycle_stage_id", "in", self.stage_ids.ids)
        # the stages of the wizard's company (a shared customer has a stage
        # in each company)
        partners = (
            self.env["res.partner"].with_company(self.company_id).search(partner_domain)
        )
        leads = self.env["crm.lead"]
        if self.transfer_leads:
            leads = leads.search(
                Domain("user_id", "=", user.id)
                & Domain("won_status", "=", "pending")
                & company
            )
        orders = self.env["sale.order"]
        if self.transfer_orders:
            orders = orders.search(
                Domain("user_id", "=", user.id)
                & Domain("company_id", "=", self.company_id.id)
                & (
                    Domain("state", "in", ["draft", "sent"])
                    | (
                        Domain("state", "=", "sale")
                        & Domain("invoice_status", "!=", "invoiced")
                    )
                )
            )
        activities = self.env["mail.activity"]
        if self.transfer_activities:
            targets = [
                ("res.partner", partners.ids),
                ("crm.lead", leads.ids),
                ("sale.order", orders.ids),
            ]
            activity_domain = Domain.OR(
                Domain("res_model", "=", model) & Domain("res_id", "in", ids)
                for model, ids in targets
                if ids
            )
            if not activity_domain.is_false():
                activities = activities.search(
                    Domain("user_id", "=", user.id) & activity_domain
                )
        return partners, leads, orders, activities

    def action_transfer(self):
        self.ensure_one()
        if self.from_user_id == self.to_user_id:
            raise UserError(
                self.env._("Choose a different salesperson to receive the portfolio.")
            )
        if self.to_user_id.share or not self.to_user_id.active:
            # the field's domain is only a hint of the form: not for RPC calls
            raise UserError(
                self.env._(
                    "%(user)s is not an active internal user: a portfolio can only "
                    "go to an internal user.",
                    user=self.to_user_id.name,
                )
            )
        partners, leads, orders, activities = self._get_records()
        if not (partners or leads or orders or activities):
            raise UserError(
                self.env._(
                    "%(user)s has nothing to transfer with these options.",
                    user=self.from_user_id.name,
                )
            )
        new_user = self.to_user_id
        partners.write({"user_id": new_user.id})
        if leads:
            leads.write({"user_id": new_user.id})
        if orders:
            orders.write({"user_id": new_user.id})
        if activities:
            activities.write({"user_id": new_user.id})
        # One line in each customer's history (chatter), logged in batch.
        body = Markup("<p>%s</p>") % self.env._(
            "Portfolio transferred from %(old)s to %(new)s%(note)s.",
            old=self.from_user_id.name,
            new=new_user.name,
            note=f" ({self.note})" if self.note else "",
        )
        customers = (
            partners | leads.partner_id | orders.partner_id
        ).commercial_partner_id
        if customers:
            customers._message_log_batch({customer.id: body for customer in customers})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(partners)s customers, %(leads)s leads, %(orders)s orders and "
                    "%(activities)s activities moved to %(user)s.",
                    partners=len(partners),
                    leads=len(leads),
                    orders=len(orders),
                    activities=len(activities),
                    user=new_user.name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
