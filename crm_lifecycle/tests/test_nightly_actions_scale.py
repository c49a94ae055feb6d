# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The nightly job moving thousands of customers into a stage that carries
actions (issue 17): its queries do not depend on the number of customers
moved. Odoo reads records by 1000 (``PREFETCH_MAX``) and writes them by 100:
at 10,000 customers that was ~170 queries more than at 1,000. The test runs
the job for N and 4N customers with Odoo's read batch made small (what
10,000 customers do with 1000), so that every read or write done record by
record shows as queries growing with the customers."""

from contextlib import ExitStack
from unittest.mock import patch

from odoo import fields
from odoo.fields import Command
from odoo.orm import fields as orm_fields
from odoo.orm import fields_relational as orm_fields_relational
from odoo.orm import models as orm_models
from odoo.tests import tagged

from .common import LifecycleCommon, watch_field

# Odoo reads a field of N records in N / PREFETCH_MAX queries: 50 here
SMALL_PREFETCH = 50


@tagged("post_install", "-at_install")
class TestNightlyActionsScale(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.rule"].search([]).active = False
        cls.target = cls.Stage.create(
            {
                "name": "Scale customer",
                "code": "scale_customer",
                "kind": "customer",
                "sequence": 99,
            }
        )
        cls.tag = cls.env["res.partner.category"].create({"name": "Scale"})
        cls.env["crm.lifecycle.rule"].create(
            {
                "name": "Scale: tagged customers",
                "filter_domain": f"[('category_id', 'in', [{cls.tag.id}])]",
                "stage_id": cls.target.id,
            }
        )
        Action = cls.env["crm.lifecycle.entry.action"]
        cls.activity = Action.create(
            {
                "name": "Call them",
                "stage_id": cls.target.id,
                "action_type": "activity",
                "activity_type_id": cls.env.ref("mail.mail_activity_data_call").id,
            }
        )
        cls.mail = Action.create(
            {
                "name": "Welcome",
                "stage_id": cls.target.id,
                "action_type": "mail",
                "mail_template_id": cls.env.ref(
                    "crm_lifecycle.mail_template_entry_welcome"
                ).id,
            }
        )

    def _customers(self, count, label, **values):
        # no chatter at creation (not what is measured; faster)
        Partner = self.env["res.partner"].with_context(tracking_disable=True)
        customers = Partner.create(
            [
                {
                    "name": f"{label} {i}",
                    "is_company": True,
                    "email": f"{label.lower()}{i}@example.com",
                    "user_id": self.salesman.id,
                    "category_id": [Command.link(self.tag.id)],
                    "lifecycle_stage_id": self.stages["possible"].id,
                    **values,
                }
                for i in range(count)
            ]
        )
        # a contact each, who gets the company's stage
        Partner.create(
            [
                {"name": f"{customer.name} contact", "parent_id": customer.id}
                for customer in customers
            ]
        )
        return customers

    def _watch_stage(self):
        """An automation rule watching the stage: it fires for every customer
        moved (the move still goes through write()). Created after the
        customers (it would run for each one created with a stage)."""
        # no query of its own (Odoo runs it once per customer): the test notes
        # whom it ran for
        watch_field(self.env, "res.partner", "lifecycle_stage_id", "records")

    def _nightly(self, customers):
        """The nightly job's queries for ``customers`` (only they are due)."""
        Check = self.env["crm.lifecycle.facts.check"]
        everyone = self.env["res.partner"].with_context(active_test=False).search([])
        Check._mark(everyone.ids, fields.Date.context_today(self.env.user))
        Check._mark(customers.ids, False)
        cron = self.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly")
        self.env.flush_all()
        self.env.invalidate_all()
        with ExitStack() as stack:
            for module in (orm_fields, orm_fields_relational, orm_models):
                stack.enter_context(
                    patch.object(module, "PREFETCH_MAX", SMALL_PREFETCH)
                )
            Action = type(self.env["ir.actions.server"])
            run_code = Action._run_action_code_multi

            def noted(action, eval_context):
                if action.name == "Stamp":  # the automation rule's
                    self.fired.extend(eval_context["records"].ids)
                return run_code(action, eval_context)

            stack.enter_context(patch.object(Action, "_run_action_code_multi", noted))
            start = self.cr.sql_log_count
            with self.enter_registry_test_mode():
                cron.method_direct_trigger()
            count = self.cr.sql_log_count - start
        self.env.invalidate_all()
        return count

    def test_queries_do_not_depend_on_the_customers_moved(self):
        """N and 4N customers (a contact each) moved into a stage with an
        activity and an e-mail action and watched by an automation rule: the
        same queries (more than 100 each time, the bulk path of a move). Every
        customer is moved with its contact, the rule runs for each, each gets
        one activity and one e-mail, once; a customer without e-mail fails
        alone."""
        self.fired = []
        warm = self._customers(110, "Warm")
        few_customers = self._customers(110, "Few")
        many_customers = self._customers(439, "Many") | self._customers(
            1, "Nomail", email=False
        )
        self._watch_stage()
        self._nightly(warm)  # caches
        few = self._nightly(few_customers)
        many = self._nightly(many_customers)
        # by 1000 (here 50) records read and 100 rows updated, the moves and
        # the actions cost ~70 queries more here (~170 at 10,000 customers)
        self.assertLessEqual(abs(many - few), 2, f"{few} -> {many} queries")

        self.assertEqual(
            set(many_customers.mapped("lifecycle_stage_id")), {self.target}
        )
        contacts = many_customers.child_ids
        self.assertEqual(len(contacts), 440)
        self.assertEqual(set(contacts.mapped("lifecycle_stage_id")), {self.target})
        self.assertEqual(
            [c.lifecycle_date_stage for c in contacts],
            [c.parent_id.lifecycle_date_stage for c in contacts],
        )
        # the automation rule ran once for every customer moved and for its
        # contact (its stage changed too)
        moved = warm | few_customers | many_customers
        self.assertEqual(sorted(self.fired), sorted((moved | moved.child_ids).ids))
        self.assertEqual(len(many_customers.activity_ids), 440)
        self.assertEqual(many_customers.activity_ids.user_id, self.salesman)
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", many_customers.ids),
                ("message_type", "=", "email_outgoing"),
            ]
        )
        self.assertEqual(len(mails), 439)
        Log = self.env["crm.lifecycle.entry.action.log"]
        failed = Log.search(
            [("partner_id", "in", many_customers.ids), ("state", "=", "failed")]
        )
        self.assertEqual(failed.partner_id.mapped("name"), ["Nomail 0"])
        self.assertEqual(failed.action_id, self.mail)
        # never twice: the entries offered again run nothing
        entries = self.env["crm.lifecycle.history"].search(
            [
                ("partner_id", "in", many_customers.ids),
                ("stage_to_id", "=", self.target.id),
            ]
        )
        self.assertEqual(len(entries), 440)
        entries._lifecycle_entered()
        self.assertEqual(len(many_customers.activity_ids), 440)
        self.assertEqual(
            Log.search_count([("partner_id", "in", many_customers.ids)]), 880
        )
