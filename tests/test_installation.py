# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Cross-addon checks on the database `make test` builds with the three addons."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSuiteInstallation(TransactionCase):
    def test_three_addons_installed_with_their_dependencies(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["crm_lifecycle", "crm_segmentation", "crm_complaints"])]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 3)
        deps = {
            module.name: set(module.dependencies_id.mapped("name"))
            for module in modules
        }
        self.assertEqual(
            deps["crm_lifecycle"],
            {
                "crm",
                "sale_management",
                "account",
                "sale_stock",
                "portal",
                "base_automation",
            },
        )
        self.assertIn("crm_lifecycle", deps["crm_segmentation"])
        self.assertTrue(
            {"crm_lifecycle", "sale_stock", "portal", "rating"}
            <= deps["crm_complaints"]
        )

    def test_data_protection_on_odoo_privacy_tools(self):
        """Data protection is crm_privacy's, on Odoo's privacy lookup and Data
        Recycle; its complaints part installs itself with crm_complaints."""
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["crm_privacy", "crm_privacy_complaints"])]
        )
        deps = {
            module.name: set(module.dependencies_id.mapped("name"))
            for module in modules
        }
        self.assertEqual(
            deps["crm_privacy"],
            {"crm_lifecycle", "privacy_lookup", "data_recycle", "portal"},
        )
        self.assertEqual(
            deps["crm_privacy_complaints"], {"crm_privacy", "crm_complaints"}
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertTrue(
            modules.filtered(lambda m: m.name != "crm_privacy").auto_install
        )

    def test_mailing_list_bridge_installs_itself_with_email_marketing(self):
        bridge = self.env["ir.module.module"].search(
            [("name", "=", "crm_segmentation_mass_mailing")]
        )
        self.assertTrue(bridge.auto_install)
        self.assertEqual(
            set(bridge.dependencies_id.mapped("name")),
            {"crm_segmentation", "mass_mailing"},
        )
        self.assertEqual(bridge.state, "installed")

    def test_campaign_bridge_installs_itself_with_email_marketing(self):
        bridge = self.env["ir.module.module"].search(
            [("name", "=", "crm_lifecycle_mass_mailing")]
        )
        self.assertTrue(bridge.auto_install)
        self.assertEqual(
            set(bridge.dependencies_id.mapped("name")),
            {"crm_lifecycle", "mass_mailing"},
        )
        self.assertEqual(bridge.state, "installed")

    def test_oca_bridges_install_themselves_with_their_oca_addon(self):
        """The bridges to OCA credit control and RMA are auto-installed once
        their OCA addon is there (make test installs both)."""
        for bridge, depends in (
            (
                "crm_lifecycle_credit_control",
                {"crm_lifecycle", "account_credit_control"},
            ),
            ("crm_complaints_rma", {"crm_complaints", "rma"}),
        ):
            module = self.env["ir.module.module"].search([("name", "=", bridge)])
            self.assertTrue(module.auto_install, bridge)
            self.assertEqual(set(module.dependencies_id.mapped("name")), depends)
            self.assertEqual(module.state, "installed", bridge)

    def test_customers_dashboard_installs_itself_with_dashboards(self):
        """The Customers dashboard is a bridge to Odoo's spreadsheet dashboards,
        installed by itself with the segmentation and the complaints."""
        bridge = self.env["ir.module.module"].search(
            [("name", "=", "crm_segmentation_dashboard")]
        )
        self.assertTrue(bridge.auto_install)
        self.assertEqual(
            set(bridge.dependencies_id.mapped("name")),
            {"crm_segmentation", "crm_complaints", "spreadsheet_dashboard"},
        )
        self.assertEqual(bridge.state, "installed")
