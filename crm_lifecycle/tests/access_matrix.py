# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An access matrix driven by a table, shared by the addons of the suite.

A test class lists the profiles (``PROFILES``: name -> groups of a real user
made with ``new_test_user``) and, per model, the rights each profile has on a
record it is meant to see (``MATRIX``: model -> {profile: "rwcu"}, a profile not
listed has no right at all). ``SPECS`` says how to make such a record, what to
write and what to create; a model with a ``company`` spec also gets a record in
a second company that no user of the first company may find (search) nor read
(browse). ``HIDDEN`` lists the record rules within a company: (model, profile,
factory of a record that profile must not see).

Every right is exercised for real: read, write, create and unlink through the
ORM as that user; a forbidden one must raise ``AccessError`` and change
nothing. Other addons extend the tables (e.g. the segmentation models).
"""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}

BASE_PROFILES = {
    "public": "base.group_public",
    "portal": "base.group_portal",
    "employee": "base.group_user",
    "salesman": "sales_team.group_sale_salesman",
    "sales_manager": "sales_team.group_sale_manager",
    "accountant": "base.group_user,account.group_account_invoice",
    "stock": "base.group_user,stock.group_stock_user",
}


class AccessMatrixMixin:
    PROFILES = BASE_PROFILES
    MATRIX = {}
    SPECS = {}
    HIDDEN = ()
    LOGIN_PREFIX = "am"

    @classmethod
    def _setup_access_matrix(cls):
        env = cls.env
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": "Matrix Company B"})
        cls.matrix_users = {}
        for profile, groups in cls.PROFILES.items():
            cls.matrix_users[profile] = new_test_user(
                env,
                f"{cls.LOGIN_PREFIX}_{profile}",
                name=f"Matrix {profile}",
                email=f"{profile}@matrix.example.com",
                groups=groups,
                company_id=cls.company_a.id,
                company_ids=[Command.set(cls.company_a.ids)],
            )

    # -- helpers -------------------------------------------------------

    def _spec(self, model):
        return self.SPECS[model]

    def _record(self, model, company=None):
        """A record of ``model`` (sudo) that the profiles of company A are
        meant to see, in ``company`` (A by default)."""
        return self._spec(model)["record"](self, company or self.company_a)

    def _denied(self, op, model, user, call):
        """``call`` raises AccessError and leaves the database unchanged."""
        with (
            self.subTest(model=model, user=user.login, op=op, expect="denied"),
            self.assertRaises(AccessError),
            self.env.cr.savepoint(),
        ):
            call()

    def _allowed(self, op, model, user, call):
        with self.subTest(model=model, user=user.login, op=op, expect="allowed"):
            with self.env.cr.savepoint():
                call()

    def _check_cell(self, model, profile, rights):
        spec = self._spec(model)
        user = self.matrix_users[profile]
        ops = spec.get("ops", "rwcu")
        record = self._record(model)
        fname = spec.get("read_field", "display_name")
        env = self.env(user=user)
        Model = env[model].with_context(active_test=False)
        for letter in ops:
            op = OPERATIONS[letter]
            check = self._allowed if letter in rights else self._denied
            if letter == "r":
                check(op, model, user, lambda r=record: r.with_user(user).read([fname]))
                if letter in rights:
                    self.assertIn(
                        record,
                        Model.search([("id", "=", record.id)]),
                        f"{profile} cannot find the {model} it may read",
                    )
                else:
                    # no access right (AccessError) or a record rule (nothing)
                    with self.subTest(model=model, user=user.login, op="search"):
                        try:
                            found = Model.search([("id", "=", record.id)])
                        except AccessError:
                            found = Model
                        self.assertFalse(found)
            elif letter == "w":
                values = spec["write"]
                before = record.read(list(values))[0]
                check(
                    op,
                    model,
                    user,
                    lambda r=record, v=values: r.with_user(user).write(v),
                )
                if letter not in rights:
                    record.invalidate_recordset()
                    self.assertEqual(record.read(list(values))[0], before)
            elif letter == "c":
                count = Model.sudo().with_context(active_test=False).search_count([])
                check(op, model, user, lambda: Model.create(spec["create"](self)))
                if letter not in rights:
                    self.assertEqual(
                        Model.sudo().with_context(active_test=False).search_count([]),
                        count,
                    )
            elif letter == "u":
                victim = self._record(model)
                check(op, model, user, lambda v=victim: v.with_user(user).unlink())
                if letter not in rights:
                    self.assertTrue(victim.exists())

    def _check_company(self, model, profile):
        """A record of company B: a user of company A only finds it neither by
        search nor by browse, while they do find the one of company A."""
        user = self.matrix_users[profile]
        fname = self._spec(model).get("read_field", "display_name")
        in_a = self._record(model)
        in_b = self._record(model, self.company_b)
        Model = self.env(user=user)[model].with_context(active_test=False)
        with self.subTest(model=model, user=user.login, check="company"):
            found = Model.search([("id", "in", (in_a | in_b).ids)])
            self.assertEqual(found, in_a.with_user(user))
            with self.assertRaises(AccessError):
                Model.browse(in_b.id).read([fname])

    # -- the tests of each table -----------------------------------------

    def check_access_matrix(self):
        for model, expected in self.MATRIX.items():
            for profile in self.PROFILES:
                self._check_cell(model, profile, expected.get(profile, ""))

    def check_multi_company(self):
        for model, expected in self.MATRIX.items():
            if not self._spec(model).get("company"):
                continue
            for profile in self.PROFILES:
                if "r" in expected.get(profile, ""):
                    self._check_company(model, profile)

    def check_record_rules(self):
        for model, profile, factory in self.HIDDEN:
            user = self.matrix_users[profile]
            hidden = factory(self)
            visible = self._record(model)
            fname = self._spec(model).get("read_field", "display_name")
            Model = self.env(user=user)[model]
            with self.subTest(model=model, user=user.login, check="record rule"):
                self.assertEqual(
                    Model.search([("id", "in", (hidden | visible).ids)]),
                    visible.with_user(user),
                )
                with self.assertRaises(AccessError):
                    Model.browse(hidden.id).read([fname])
