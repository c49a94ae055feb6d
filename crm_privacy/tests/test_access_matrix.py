# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_lifecycle.tests.access_matrix import AccessMatrixMixin


def _register_line(test, company):
    partner = test.env["res.partner"].create(
        {"name": "Register Customer", "company_id": company.id}
    )
    return test.env["privacy.log"].create(
        {
            "crm_partner_id": partner.id,
            "crm_action": "export",
            "crm_company_id": company.id,
        }
    )


def _lookup_line(test):
    """A privacy lookup of Settings > Privacy: not a customer request."""
    return test.env["privacy.log"].create(
        {
            "anonymized_name": "Someone Else",
            "anonymized_email": "someone@else.example.com",
            "execution_details": "Deleted Contact #1",
        }
    )


@tagged("post_install", "-at_install")
class TestPrivacyAccessMatrix(AccessMatrixMixin, TransactionCase):
    """The register (Odoo's privacy log) against every profile: sales
    managers read the customer requests of their companies, nothing else;
    administrators keep privacy_lookup's rights; nobody deletes a request."""

    MATRIX = {"privacy.log": {"sales_manager": "r"}}
    SPECS = {
        "privacy.log": {
            "record": _register_line,
            "write": {"execution_details": "Rewritten"},
            "create": lambda t: {
                "anonymized_name": "Forged",
                "anonymized_email": "forged@example.com",
                "crm_action": "export",
            },
            "read_field": "execution_details",
            "company": True,
        }
    }
    HIDDEN = (("privacy.log", "sales_manager", _lookup_line),)
    LOGIN_PREFIX = "pvm"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_access_matrix()

    def test_access_matrix(self):
        self.check_access_matrix()

    def test_multi_company(self):
        self.check_multi_company()

    def test_record_rules(self):
        self.check_record_rules()
