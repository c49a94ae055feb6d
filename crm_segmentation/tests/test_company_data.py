# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every company gets the shipped per-company data: the RFM matrix (with its
cells) and the customer value model, when it is created and, for the companies
created before, at the upgrade to 19.0.1.4.0."""

from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import load_migration

from .common import SegmentationCommon


@tagged("post_install", "-at_install")
class TestCompanyData(SegmentationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the settings of companies the test user does not belong to
        cls.env = cls.env(su=True)
        cls.Matrix = cls.env["crm.segment.matrix"]
        cls.Membership = cls.env["crm.segment.membership"]
        cls.template = cls.env.ref("crm_segmentation.crm_segment_matrix_rfm")
        cls.main_company = cls.env.ref("base.main_company")

    def _rfm_matrices(self, company):
        return self.Matrix.with_context(active_test=False).search(
            [
                ("company_id", "=", company.id),
                ("row_dimension_id", "=", self.template.row_dimension_id.id),
                ("col_dimension_id", "=", self.template.col_dimension_id.id),
            ]
        )

    def _clv_models(self, company):
        return self.env["crm.clv.model"].search([("company_id", "=", company.id)])

    def _cell_key(self, cell):
        return (cell.row_level_id, cell.col_level_id, cell.name, cell.color)

    def test_installed_for_the_main_company(self):
        self.assertEqual(self._rfm_matrices(self.main_company), self.template)
        self.assertEqual(len(self._clv_models(self.main_company)), 1)

    def test_new_company_gets_its_rfm_matrix_and_value_model(self):
        self.env["res.lang"]._activate_lang("es_ES")
        champions = self.env.ref("crm_segmentation.crm_segment_cell_rfm_5_5")
        champions.update_field_translations("name", {"es_ES": "Campeones"})
        self.template.update_field_translations("name", {"es_ES": "Segmentos RFM"})
        company = self.env["res.company"].create({"name": "Nueva Empresa"})

        matrix = self._rfm_matrices(company)
        self.assertEqual(len(matrix), 1)
        self.assertNotEqual(matrix, self.template)
        self.assertTrue(matrix.active)
        self.assertFalse(matrix.date_recompute)
        self.assertEqual(matrix.name, self.template.name)
        self.assertEqual(matrix.with_context(lang="es_ES").name, "Segmentos RFM")
        # every cell of the shipped matrix, on the shared levels
        self.assertEqual(len(matrix.cell_ids), len(self.template.cell_ids))
        self.assertEqual(len(matrix.cell_ids), 26)
        self.assertEqual(
            sorted(map(self._cell_key, matrix.cell_ids), key=str),
            sorted(map(self._cell_key, self.template.cell_ids), key=str),
        )
        self.assertEqual(matrix.cell_ids.company_id, company)
        own = matrix.cell_ids.filtered(
            lambda c: c.row_level_id == champions.row_level_id
            and c.col_level_id == champions.col_level_id
        )
        self.assertEqual(own.with_context(lang="es_ES").name, "Campeones")
        self.assertEqual(own.recommended_action, champions.recommended_action)
        # the shipped matrix stays the main company's, with its cells
        self.assertEqual(self.template.company_id, self.main_company)
        self.assertEqual(len(self.template.cell_ids), 26)

        model = self._clv_models(company)
        self.assertEqual(len(model), 1)
        self.assertEqual(model.state, "draft")
        self.assertEqual(model.currency_id, company.currency_id)

        # asking again creates nothing
        company._crm_create_company_data()
        self.assertEqual(self._rfm_matrices(company), matrix)
        self.assertEqual(self._clv_models(company), model)

    def test_several_companies_at_once(self):
        companies = self.env["res.company"].create(
            [{"name": "Company North"}, {"name": "Company South"}]
        )
        for company in companies:
            self.assertEqual(len(self._rfm_matrices(company)), 1)
            self.assertEqual(len(self._rfm_matrices(company).cell_ids), 26)
            self.assertEqual(len(self._clv_models(company)), 1)

    def test_nightly_places_a_customer_in_its_company_matrix(self):
        # the test company was created by the test set-up: it has its matrix
        matrix = self._rfm_matrices(self.company)
        self.assertEqual(len(matrix), 1)
        customer = self._customers(["Own Customer"])
        self._invoices([(customer, 3, 500.0), (customer, 20, 300.0)])
        cron = self.env.ref("crm_segmentation.ir_cron_segmentation_nightly")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        membership = self.Membership.search([("partner_id", "=", customer.id)])
        self.assertEqual(membership.matrix_id, matrix)
        self.assertEqual(membership.company_id, self.company)
        self.assertIn(membership.cell_id, matrix.cell_ids)
        self.assertEqual(membership.monetary, 800.0)
        # nothing in the main company's matrix
        self.assertFalse(
            self.Membership.search(
                [("partner_id", "=", customer.id), ("matrix_id", "=", self.template.id)]
            )
        )

    def test_migration_gives_existing_companies_their_data(self):
        migration = load_migration("crm_segmentation", "19.0.1.4.0")
        company = self.env["res.company"].create({"name": "Old Company"})
        # as a company created before the upgrade: no matrix, no model
        self._rfm_matrices(company).unlink()
        self._clv_models(company).unlink()
        # an archived, renamed RFM matrix is still the company's own
        archived = self.env["res.company"].create({"name": "Archiving Company"})
        kept = self._rfm_matrices(archived)
        kept.write({"active": False, "name": "Our old RFM"})

        migration.migrate(self.env.cr, "19.0.1.3.0")
        self.env.invalidate_all()

        matrix = self._rfm_matrices(company)
        self.assertEqual(len(matrix), 1)
        self.assertEqual(len(matrix.cell_ids), 26)
        self.assertEqual(len(self._clv_models(company)), 1)
        self.assertEqual(self._rfm_matrices(archived), kept)
        self.assertEqual(self._rfm_matrices(self.main_company), self.template)
        self.assertEqual(len(self._clv_models(self.main_company)), 1)
        # a new database (no version) is left to the data file
        migration.migrate(self.env.cr, None)
        self.assertEqual(len(self._rfm_matrices(company)), 1)

    def test_weekly_fit_of_a_company_without_purchases(self):
        """The model of a new company cannot be fitted yet: the weekly job says
        why on the model, without a warning in the server log."""
        company = self.env["res.company"].create({"name": "Empty Company"})
        model = self._clv_models(company)
        cron = self.env.ref("crm_segmentation.ir_cron_clv_fit")
        with (
            self.assertNoLogs(
                "odoo.addons.crm_segmentation.models.crm_clv_model", "WARNING"
            ),
            self.enter_registry_test_mode(),
        ):
            cron.method_direct_trigger()
        self.assertEqual(model.state, "draft")
        self.assertTrue(model.date_last_run)
        self.assertIn("Too little data", model.fit_message)
