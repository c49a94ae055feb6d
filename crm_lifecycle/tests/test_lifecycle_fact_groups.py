# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.facts import FactGroup
from odoo.addons.crm_lifecycle.models.res_partner_need_to_know import MONEY_GROUPS

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestLifecycleFactGroups(LifecycleCommon):
    """Facts are declared by groups (``res.partner._lifecycle_fact_groups``)
    and each event says which groups it changes."""

    def test_groups_declare_every_fact_once(self):
        Partner = self.env["res.partner"]
        groups = Partner._lifecycle_fact_groups()
        for name in (
            "sales",
            "invoices",
            "payments",
            "leads",
            "interactions",
            "receivables",
            "days_to_pay",
        ):
            self.assertIsInstance(groups[name], FactGroup)
            self.assertEqual(groups[name].name, name)
        fnames = Partner._lifecycle_fact_fields()
        self.assertEqual(len(fnames), len(set(fnames)), "a fact in two groups")
        for fname in fnames:
            field = Partner._fields[fname]
            self.assertTrue(field.store, fname)
            self.assertEqual(field.compute, "_compute_lifecycle_facts", fname)
            # staff only: every employee, or only those who handle money
            self.assertIn(field.groups, ("base.group_user", MONEY_GROUPS), fname)
        for group in groups.values():
            for model, source_fields in group.sources:
                for fname in source_fields:
                    self.assertIn(fname, self.env[model]._fields, (group.name, model))
            for derived, stored in group.derived.items():
                self.assertIn(stored, group.fields)
                self.assertIn(derived, Partner._fields)

    def test_every_shipped_event_names_its_fact_groups(self):
        known = self.env["res.partner"]._lifecycle_fact_groups()
        data = self.env["ir.model.data"].search(
            [("model", "=", "crm.lifecycle.event"), ("module", "=like", "crm_%")]
        )
        events = self.env["crm.lifecycle.event"].browse(data.mapped("res_id"))
        self.assertIn(self.env.ref("crm_lifecycle.event_order_confirmed"), events)
        for event in events.with_context(active_test=False):
            with self.subTest(event=event.code):
                self.assertTrue(event.fact_groups, "every shipped event names them")
                self.assertLessEqual(set(event._get_fact_groups()), set(known))
        # (another addon may add a group of its own after those shipped)
        self.assertEqual(
            self.env.ref("crm_lifecycle.event_payment_received")._get_fact_groups()[:4],
            ("payments", "receivables", "days_to_pay", "interactions"),
        )

    def test_unknown_fact_group_refused(self):
        event = self.env.ref("crm_lifecycle.event_delivery_done")
        with self.assertRaises(ValidationError):
            event.fact_groups = "interactions, no_such_group"
        self.assertEqual(event.fact_groups, "interactions")
        with self.assertRaises(ValidationError):
            self.env["crm.lifecycle.event"].create(
                {"name": "Bad", "code": "bad_event", "fact_groups": "sales,bogus"}
            )
        self.assertFalse(
            self.env["crm.lifecycle.event"].search([("code", "=", "bad_event")])
        )
        # no groups: the event re-reads all of them
        event.fact_groups = False
        self.assertIsNone(event._get_fact_groups())

    def _stale_order_count(self, value):
        """A fact out of date in the database, as if its source changed
        without an event: only a refresh that reads its group corrects it."""
        self.env.flush_all()
        self.env.cr.execute(
            # the company's value of the company-dependent fact
            "UPDATE res_partner SET lifecycle_order_count ="
            " jsonb_build_object(%s::text, %s) WHERE id = %s",
            (self.env.company.id, value, self.customer.id),
        )
        self.customer.invalidate_recordset(["lifecycle_order_count"])

    def test_event_reads_only_its_fact_groups(self):
        self._order()
        self.assertEqual(self.customer.lifecycle_order_count, 1)
        self._stale_order_count(7)
        # a logged call changes the interactions only: the sales facts stay
        self.env["crm.interaction"].create(
            {"name": "Call", "partner_id": self.customer.id}
        )
        self.assertEqual(self.customer.lifecycle_order_count, 7)
        self.assertEqual(self.customer.lifecycle_interaction_count, 2)
        # an order re-reads the sales: the fact is right again
        self._order()
        self.assertEqual(self.customer.lifecycle_order_count, 2)
        # an event without groups re-reads everything
        self._stale_order_count(9)
        self.env.ref("crm_lifecycle.event_interaction_logged").fact_groups = False
        self.env["crm.interaction"].create(
            {"name": "Visit", "partner_id": self.customer.id}
        )
        self.assertEqual(self.customer.lifecycle_order_count, 2)

    def test_event_facts_in_one_query(self):
        self._order()
        customer = self.customer.sudo()
        groups = self.env.ref("crm_lifecycle.event_payment_received")._get_fact_groups()
        self.env.flush_all()
        # four groups (more when another addon adds its own), one round trip
        with self.assertQueryCount(1):
            customer._lifecycle_refresh_facts(groups, one_query=True)
        # else one query per group
        with self.assertQueryCount(len(groups)):
            customer._lifecycle_refresh_facts(groups)

    @contextmanager
    def _capture_queries(self):
        queries = []
        yield from self._patchExecute(queries)

    def test_stage_activities_one_batch_per_user(self):
        """Customers entering a stage with an activity get it for their
        salesperson: one batch of activities per salesperson, not one per
        customer."""
        other = self.salesman.copy({"login": "lc_other_salesman"})
        at_risk = self.stages["at_risk"]
        self.assertTrue(at_risk.activity_type_id)
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"Customer {i}",
                    "is_company": True,
                    "user_id": (self.salesman if i % 2 else other).id,
                }
                for i in range(12)
            ]
        )
        partners.with_context(lifecycle_no_activity=True)._lifecycle_move(at_risk)
        self.assertFalse(partners.activity_ids)
        with self._capture_queries() as queries:
            self.env["crm.lifecycle.stage"]._schedule_entry_activities(partners)
        inserts = [q for q in queries if q.startswith('INSERT INTO "mail_activity"')]
        self.assertEqual(len(inserts), 2, "one batch per salesperson")
        for partner in partners:
            self.assertEqual(partner.activity_ids.user_id, partner.user_id)
            self.assertEqual(
                partner.activity_ids.activity_type_id, at_risk.activity_type_id
            )
