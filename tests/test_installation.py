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
                "data_recycle",
                "base_automation",
            },
        )
        self.assertIn("crm_lifecycle", deps["crm_segmentation"])
        self.assertTrue(
            {"crm_lifecycle", "sale_stock", "portal", "rating"}
            <= deps["crm_complaints"]
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
