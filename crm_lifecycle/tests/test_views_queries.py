# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo.tests import tagged

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestCustomerViewsQueries(LifecycleCommon):
    """The customer list, kanban and form make the same number of queries
    whatever the number of customers and interactions (no query per record)."""

    def _spec(self, view_type, view_ref):
        Partner = self.env["res.partner"]
        view = self.env.ref(view_ref)
        arch = Partner.get_views([(view.id, view_type)])["views"][view_type]["arch"]
        spec = {}
        for node in etree.fromstring(arch).iter("field"):
            field = Partner._fields.get(node.get("name"))
            if not field or field.type in ("one2many", "many2many", "properties"):
                continue
            if field.type == "many2one":
                spec[field.name] = {"fields": {"display_name": {}}}
            else:
                spec[field.name] = {}
        return spec

    def _customers(self, count, interactions):
        partners = self.env["res.partner"].create(
            [
                {"name": f"View customer {count}-{i}", "is_company": True}
                for i in range(count)
            ]
        )
        for partner in partners[:3]:
            self._order(partner=partner)
        self.env["crm.interaction"].create(
            [
                {"name": f"Call {n}", "partner_id": partner.id}
                for partner in partners
                for n in range(interactions)
            ]
        )
        partners._lifecycle_refresh_facts()
        return partners

    def _count(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        func()
        return self.cr.sql_log_count - start

    def test_list_kanban_form_queries_do_not_grow_with_data(self):
        Partner = self.env["res.partner"]
        specs = {
            "list": self._spec("list", "base.view_partner_tree"),
            "kanban": self._spec("kanban", "base.res_partner_kanban_view"),
            "form": self._spec("form", "base.view_partner_form"),
        }
        self.assertIn("lifecycle_stage_id", specs["list"])
        self.assertIn("lifecycle_stage_id", specs["form"])
        counts = {"list": [], "kanban": [], "form": []}
        # the first size warms the caches (views, ormcache), then two sizes
        for size, interactions in ((2, 1), (4, 1), (40, 5)):
            partners = self._customers(size, interactions)
            domain = [("id", "in", partners.ids)]
            for view_type in ("list", "kanban"):
                counts[view_type].append(
                    self._count(
                        lambda vt=view_type, d=domain: Partner.web_search_read(
                            d, specs[vt], limit=80
                        )
                    )
                )
            counts["form"].append(
                self._count(lambda p=partners[0]: p.web_read(specs["form"]))
            )
        for view_type, (_warm, small, large) in counts.items():
            self.assertEqual(
                small, large, f"{view_type}: queries grow with the data: {counts}"
            )
