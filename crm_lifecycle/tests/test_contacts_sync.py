# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestContactsSync(TransactionCase):
    """A write on a customer company writes its contacts only when it changes
    a field they share (the commercial fields): an acknowledgement e-mail sets
    the company's signup token, and concurrent requests of one company's
    people collided on its contacts' rows (load test)."""

    def setUp(self):
        super().setUp()
        self.company = self.env["res.partner"].create(
            {"name": "Sync Co", "is_company": True}
        )
        self.contacts = self.env["res.partner"].create(
            [{"name": f"Sync {i}", "parent_id": self.company.id} for i in range(3)]
        )
        self.env.flush_all()
        self.old = datetime(2020, 1, 1)
        self.env.cr.execute(
            "UPDATE res_partner SET write_date = %s WHERE id = ANY(%s)",
            [self.old, self.contacts.ids],
        )
        self.env.invalidate_all()

    def test_other_fields_leave_the_contacts_alone(self):
        self.company.write({"comment": "<p>Prefers e-mail</p>"})
        self.company.sudo().signup_prepare()
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(set(self.contacts.mapped("write_date")), {self.old})

    def test_signup_prepared_again_writes_nothing(self):
        """Each portal notification of a customer without a user prepares
        its signup: the second time, the customer's row is not written (its
        write date would be, and concurrent notifications collided on it)."""
        company = self.company.sudo()
        company.signup_prepare()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET write_date = %s WHERE id = %s",
            [self.old, company.id],
        )
        self.env.invalidate_all()
        company.signup_prepare()
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(company.write_date, self.old)
        self.assertEqual(company.signup_type, "signup")
        company.signup_prepare("reset")
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(company.signup_type, "reset")
        self.assertNotEqual(company.write_date, self.old)

    def test_commercial_fields_still_reach_the_contacts(self):
        self.company.write({"vat": "ESA12345674"})
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(set(self.contacts.mapped("vat")), {"ESA12345674"})
        self.assertNotIn(self.old, self.contacts.mapped("write_date"))
