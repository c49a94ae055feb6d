# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer shared by two companies, in the browser: each company shows its
own stage and facts, and switching company in the navbar switches them."""

from odoo.fields import Command
from odoo.tests import tagged

from .common import BrowserTourCase, LifecycleCommon


@tagged("post_install", "-at_install")
class TestCompanySwitchTour(LifecycleCommon, BrowserTourCase):
    def test_each_company_shows_its_own_stage_and_facts(self):
        company_a = self.env.company
        company_b = self.env["res.company"].create({"name": "Tour Company B"})
        self.salesman.write({"company_ids": [Command.link(company_b.id)]})
        customer = self.customer
        customer.name = "Tour Shared Co"
        for _i in range(3):
            self._order(customer)
        order_b = (
            self.env["sale.order"]
            .with_company(company_b)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": company_b.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "price_unit": 50.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        order_b.action_confirm()
        customer.with_company(company_a).lifecycle_stage_id = self.stages["high_value"]
        customer.with_company(company_b).lifecycle_stage_id = self.stages["lost"]
        self.assertEqual(customer.with_company(company_a).lifecycle_order_count, 3)
        self.assertEqual(customer.with_company(company_b).lifecycle_order_count, 1)
        self.start_tour(
            f"/odoo/customer-lifecycle/{customer.id}",
            "crm_lifecycle_company_switch_tour",
            login=self.salesman.login,
        )
        # the browser wrote nothing: each company keeps its stage
        self.assertStage(customer.with_company(company_a), "high_value")
        self.assertStage(customer.with_company(company_b), "lost")
