# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The nightly job in a real run of its scheduled action (issue 19): Odoo
calls the job again and again in one run, with one cursor, and once the run's
first ten seconds are spent each call does one batch. The night (promises,
customers due, documents written, full checks) is prepared once per run, not
once per call: on 100,000 customers that preparation took seconds, and a run
of ten calls spent most of its time in it."""

import time
from datetime import timedelta
from unittest.mock import patch

from odoo import api, fields
from odoo.tests import tagged
from odoo.tools import config

from .common import LifecycleCommon

# a query of each step of the preparation of the night
PREPARATION = {
    "promises": "\"promise_state\" IN ('open') ORDER BY",
    "customers due": "check_.partner_id",
    "oldest check": "MIN(date) FROM crm_lifecycle_facts_check",
    "full checks": "full_date >",
}


@tagged("post_install", "-at_install")
class TestNightlyRun(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly")
        cls.cron.code = "model._cron_lifecycle_nightly(batch_size=2)"
        # one share: the second scheduled action is off
        cls.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly_2").active = False
        cls.customers = cls._customers_with_orders(cls, 5, "Night customer")
        # every other partner is done tonight: the job has these five to do
        Check = cls.env["crm.lifecycle.facts.check"]
        everyone = cls.env["res.partner"].with_context(active_test=False).search([])
        cls.today = fields.Date.context_today(cls.env.user)
        Check._mark(everyone.ids, cls.today)
        Check._mark(cls.customers.ids, False)

    def _call(self, cr, end_time):
        """One call of the job in a run of its scheduled action, as
        ``ir.cron._run_job`` makes it (the run's context, a progress record
        per call, the server action run by ``_callback``): its progress as
        ``(done, remaining)``, its queries, and the customers checked tonight
        after it."""
        env = api.Environment(
            cr,
            self.cron.user_id.id,
            {"lastcall": False, "cron_id": self.cron.id, "cron_end_time": end_time},
        )
        cron, progress = env["ir.cron"].browse(self.cron.id)._add_progress()
        with self.assertLogs("odoo.sql_db", "DEBUG") as queries:
            cron._callback(self.cron.cron_name, self.cron.ir_actions_server_id.id)
        cr.execute(
            "SELECT partner_id FROM crm_lifecycle_facts_check"
            " WHERE date = %s AND partner_id = ANY(%s)",
            [self.today, self.customers.ids],
        )
        checked = self.customers.browse(sorted(id_ for (id_,) in cr.fetchall()))
        return (
            (progress.done, progress.remaining),
            "\n".join(queries.output),
            checked,
        )

    def _assert_prepared(self, queries, prepared=True):
        for step, query in PREPARATION.items():
            if prepared:
                self.assertTrue(query in queries, f"{step} not prepared")
            else:
                self.assertFalse(query in queries, f"{step} prepared again")

    def test_the_night_is_prepared_once_per_run(self):
        customers = self.customers.sorted("id")
        self.env.flush_all()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            # the run's first ten seconds are spent: one batch per call
            end_time = time.monotonic() - 1
            progress, queries, checked = self._call(cr, end_time)
            self._assert_prepared(queries)
            self.assertEqual(progress, (2, 3))
            self.assertEqual(checked, customers[:2])
            # the next calls of the run go on after the last batch done
            for progress_after, done in (((2, 1), 4), ((1, 0), 5)):
                progress, queries, checked = self._call(cr, end_time)
                self._assert_prepared(queries, prepared=False)
                self.assertEqual(progress, progress_after)
                self.assertEqual(checked, customers[:done])
        self.env.invalidate_all()
        self.assertEqual(
            set(self.customers.mapped("lifecycle_facts_date")), {self.today}
        )
        self.assertEqual(
            set(self.customers.mapped("lifecycle_stage_id.code")), {"new_customer"}
        )

    def test_a_new_run_prepares_the_night_again(self):
        customers = self.customers.sorted("id")
        self.env.flush_all()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            self._call(cr, time.monotonic() - 1)
        # the next run of the scheduled action (its own cursor and end time):
        # the customers still due, a customer a user added since included
        late = self._customers_with_orders(1, "Late customer")
        self.env["crm.lifecycle.facts.check"]._mark(late.ids, False)
        self.env.flush_all()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            progress, queries, checked = self._call(cr, time.monotonic() + 600)
        self.env.invalidate_all()
        self._assert_prepared(queries)
        self.assertEqual(progress, (4, 0))
        self.assertEqual(checked, customers)
        self.assertEqual(late.lifecycle_facts_date, self.today)

    @patch.dict(config.options, {"max_cron_threads": 2})
    def test_a_run_wakes_the_other_shares(self):
        """Odoo's cron workers each look for due jobs once a minute at their
        own second: the first share to start triggers the others due now
        (a trigger, notified to the idle workers at its first commit),
        before it prepares its night; not those done tonight already."""
        second = self.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly_2")
        second.active = True
        now = self.env.cr.now()
        (self.cron | second).nextcall = now - timedelta(minutes=1)
        Trigger = self.env["ir.cron.trigger"].sudo()
        self.env.flush_all()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            self._call(cr, time.monotonic() + 600)
        self.env.invalidate_all()
        woken = Trigger.search([("cron_id", "=", second.id)])
        self.assertEqual(len(woken), 1)
        self.assertLessEqual(woken.call_at, fields.Datetime.now())
        # the running share does not wake itself
        self.assertFalse(Trigger.search([("cron_id", "=", self.cron.id)]))
        woken.unlink()
        # the second share started tonight (it recorded its progress since
        # its next call): not woken, it would run again once done
        self.env["ir.cron.progress"].sudo().create({"cron_id": second.id})
        self.env.flush_all()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            self._call(cr, time.monotonic() + 600)
        self.env.invalidate_all()
        self.assertFalse(Trigger.search([("cron_id", "=", second.id)]))
        # the second share ran tonight (its next call tomorrow): not woken
        second.nextcall = now + timedelta(days=1)
        self.env.flush_all()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            self._call(cr, time.monotonic() + 600)
        self.env.invalidate_all()
        self.assertFalse(Trigger.search([("cron_id", "=", second.id)]))
