# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class CrmInteraction(models.Model):
    """The department a contact belongs to: sales, customer service,
    accounting and collections, warehouse or marketing, so that each reads its
    part of the one timeline (and everybody reads the whole of it)."""

    _inherit = "crm.interaction"

    department = fields.Selection(
        [
            ("sales", "Sales"),
            ("service", "Customer service"),
            ("accounting", "Accounting and collections"),
            ("warehouse", "Warehouse"),
            ("marketing", "Marketing"),
        ],
        compute="_compute_department",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        help="Who in the company had the contact: by its type (an invoice is "
        "accounting's) or, for calls, visits, e-mails and notes, by the "
        "document it is about (an e-mail on a delivery is the warehouse's).",
    )

    @api.model
    def _department_by_type(self):
        """Department of each interaction type that has one of its own.
        Extend with ``super()`` for a type of your own."""
        return {
            "lead": "sales",
            "quotation_request": "sales",
            "web_form": "sales",
            "quotation": "sales",
            "order": "sales",
            "invoice": "accounting",
            "credit_note": "accounting",
            "payment": "accounting",
            "collection": "accounting",
            "payment_promise": "accounting",
            "delivery": "warehouse",
            "complaint": "service",
            "campaign_response": "marketing",
            "survey": "marketing",
        }

    @api.model
    def _department_by_model(self):
        """Department of the contacts (calls, e-mails, notes...) about a
        document of each model. Extend with ``super()``."""
        return {
            "crm.lead": "sales",
            "sale.order": "sales",
            "account.move": "accounting",
            "account.payment": "accounting",
            "stock.picking": "warehouse",
        }

    @api.model
    def _department_default(self):
        return "sales"

    @api.depends("interaction_type", "res_model")
    def _compute_department(self):
        by_type = self._department_by_type()
        by_model = self._department_by_model()
        default = self._department_default()
        for interaction in self:
            interaction.department = (
                by_type.get(interaction.interaction_type)
                or by_model.get(interaction.res_model)
                or default
            )

    @api.model
    def _department_fill_sql(self, where=None):
        """Set the department of the interactions written by SQL (the
        installation's backfill, migrations), with the same mapping as the
        compute, in one UPDATE."""
        by_type = self._department_by_type()
        by_model = self._department_by_model()
        cases = [
            SQL("WHEN interaction_type = %s THEN %s", itype, department)
            for itype, department in by_type.items()
        ] + [
            SQL("WHEN res_model = %s THEN %s", model, department)
            for model, department in by_model.items()
        ]
        self.env.cr.execute(
            SQL(
                "UPDATE crm_interaction SET department = CASE %s ELSE %s END "
                "WHERE department IS NULL AND %s",
                SQL(" ").join(cases),
                self._department_default(),
                where or SQL("TRUE"),
            )
        )
        self.invalidate_model(["department"])
        return self.env.cr.rowcount

    @api.model
    def _backfill_from_documents(self):
        customer_ids = super()._backfill_from_documents()
        self._department_fill_sql()
        return customer_ids
