# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCrmLifecycleStage(TransactionCase):
    def test_default_stages_from_the_seeds(self):
        stages = self.env["crm.lifecycle.stage"].search([])
        self.assertEqual(
            stages.mapped("code"),
            [
                "improbable",
                "possible",
                "probable",
                "new_customer",
                "low_value",
                "high_value",
                "captive",
                "at_risk",
                "lost",
            ],
        )
        self.assertEqual(
            set(stages.mapped("kind")), {"prospect", "customer", "at_risk", "lost"}
        )
        self.assertEqual(stages.filtered("is_default").code, "possible")

    def test_code_is_unique_case_insensitive(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["crm.lifecycle.stage"].create(
                    {"name": "Duplicate", "code": "LOST"}
                )

    def test_code_characters(self):
        with self.assertRaises(ValidationError):
            self.env["crm.lifecycle.stage"].create({"name": "Bad", "code": "bad code!"})

    def test_single_default(self):
        with self.assertRaises(ValidationError):
            self.env["crm.lifecycle.stage"].create(
                {"name": "Other default", "code": "other", "is_default": True}
            )
