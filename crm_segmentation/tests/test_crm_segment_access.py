# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrmSegmentAccess(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, "seg_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.manager = new_test_user(
            cls.env,
            "seg_manager",
            groups="crm_segmentation.group_segmentation_manager",
        )

    def test_manager_configures_salesman_reads(self):
        dimension = (
            self.env["crm.segment.dimension"]
            .with_user(self.manager)
            .create({"name": "Country"})
        )
        self.assertEqual(dimension.company_id, self.manager.company_id)
        as_salesman = dimension.with_user(self.salesman)
        self.assertEqual(as_salesman.name, "Country")
        with self.assertRaises(AccessError):
            as_salesman.write({"name": "Region"})
