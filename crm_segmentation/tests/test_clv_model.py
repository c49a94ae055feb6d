# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

import numpy as np
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.sql import column_exists

from odoo.addons.crm_lifecycle.tests.common import load_migration

from .. import clv_math, clv_value
from .common import END, START, ClvCommon


@tagged("post_install", "-at_install")
class TestClvModel(ClvCommon):
    """The customer value model on real posted invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.env.user.group_ids += cls.env.ref(
            "crm_segmentation.group_segmentation_manager"
        )
        cls.other_company_data = cls.setup_other_company()
        cls.Model = cls.env["crm.clv.model"]
        cls.manager = new_test_user(
            cls.env,
            "clv_manager",
            groups="crm_segmentation.group_segmentation_manager",
            company_id=cls.company.id,
        )
        cls.salesman = new_test_user(
            cls.env,
            "clv_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.accountant = new_test_user(
            cls.env,
            "clv_accountant",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls._simulate_customers()

    def test_purchase_history_extraction(self):
        partner_a, partner_b = self.env["res.partner"].create(
            [{"name": "Alpha", "is_company": True}, {"name": "Beta"}]
        )
        contact = self.env["res.partner"].create(
            {"name": "Alpha buyer", "parent_id": partner_a.id}
        )
        day = date(2026, 3, 1)
        invoices = self._post(
            [
                self._invoice_vals(partner_a, day, 100.0),
                # Same day, through a contact: the same purchase.
                self._invoice_vals(contact, day, 50.0),
                self._invoice_vals(partner_a, day + timedelta(days=9), 200.0),
                self._invoice_vals(partner_a, day + timedelta(days=29), 300.0),
                self._invoice_vals(partner_b, day + timedelta(days=4), 80.0),
                # Refunded in full below: no purchase.
                self._invoice_vals(partner_b, day + timedelta(days=12), 60.0),
                # After the cut: ignored.
                self._invoice_vals(partner_b, day + timedelta(days=60), 80.0),
                # Another company: ignored.
                self._invoice_vals(
                    partner_b,
                    day + timedelta(days=10),
                    999.0,
                    company_data=self.other_company_data,
                ),
            ]
        )
        # A draft invoice is not a purchase.
        self.env["account.move"].create(
            self._invoice_vals(partner_a, day + timedelta(days=20), 70.0)
        )
        # A credit note of 100 on the last invoice reduces that purchase.
        refund_vals = self._invoice_vals(
            partner_a,
            day + timedelta(days=35),
            100.0,
            move_type="out_refund",
            reversed_entry_id=invoices[3].id,
        )
        full_refund_vals = self._invoice_vals(
            partner_b,
            day + timedelta(days=13),
            60.0,
            move_type="out_refund",
            reversed_entry_id=invoices[5].id,
        )
        # A credit note on its own, on a day without purchase: not a purchase.
        free_refund = self._invoice_vals(
            partner_b, day + timedelta(days=15), 30.0, move_type="out_refund"
        )
        self._post([refund_vals, full_refund_vals, free_refund])
        cut = day + timedelta(days=40)
        partners, days, values = self.Model._purchase_history(self.company, cut)
        mine = np.isin(partners, [partner_a.id, partner_b.id])
        rows = list(
            zip(
                partners[mine].tolist(),
                [date.fromordinal(d) for d in days[mine]],
                values[mine].tolist(),
                strict=True,
            )
        )
        self.assertEqual(
            rows,
            [
                (partner_a.id, day, 150.0),
                (partner_a.id, day + timedelta(days=9), 200.0),
                (partner_a.id, day + timedelta(days=29), 200.0),
                (partner_b.id, day + timedelta(days=4), 80.0),
            ],
        )
        ids, x, t_x, T, m_x = self.Model._summarise(
            partners[mine], days[mine], values[mine], cut.toordinal(), 7.0
        )
        self.assertEqual(ids.tolist(), sorted([partner_a.id, partner_b.id]))
        by_id = dict(zip(ids.tolist(), zip(x, t_x, T, m_x, strict=True), strict=True))
        # Alpha: 3 purchase days, 2 repeats, 29 days from first to last, age 40 days;
        # the mean of the repeat purchases excludes the first one.
        np.testing.assert_allclose(by_id[partner_a.id], (2, 29 / 7, 40 / 7, 200.0))
        np.testing.assert_allclose(by_id[partner_b.id], (0, 0, 36 / 7, 0.0))

    def test_fit_and_predict(self):
        model = self._model(model_choice="bgnbd").with_user(self.manager)
        model.action_fit()
        x, t_x, T, m_x = self._expected_arrays(self.customers)
        # Same data, same estimates as the direct numpy fit.
        bgnbd, log_likelihood = clv_math.fit_bgnbd(x, t_x, T)
        gamma, _gg_ll = clv_value.fit_gamma_gamma(x, m_x)
        stored_bgnbd, stored_gamma = model._params()
        np.testing.assert_allclose(stored_bgnbd, bgnbd, rtol=1e-5)
        # q and v are weakly identified along their ridge (the mean value
        # p v / (q - 1) is not): optimiser tolerance for them, tight for the mean
        np.testing.assert_allclose(stored_gamma, gamma, rtol=1e-4)
        self.assertAlmostEqual(
            model.average_value, gamma[0] * gamma[2] / (gamma[1] - 1), delta=0.01
        )
        self.assertAlmostEqual(model.log_likelihood, log_likelihood, places=3)
        self.assertEqual(model.state, "fitted")
        self.assertEqual(model.date_fit, END)
        self.assertEqual(model.customer_count, len(self.customers))
        self.assertEqual(model.repeat_customer_count, int(np.sum(x > 0)))
        # Predictions are computed today: the age grows by the days since END.
        today = date.today()
        alive, purchases, value = model._predict_arrays(
            x, t_x, T + (today - END).days, m_x
        )
        self.assertEqual(model.predicted_partner_count, len(self.customers))
        np.testing.assert_allclose(
            self.customers.mapped("clv_probability_alive"), alive, atol=1e-4
        )
        np.testing.assert_allclose(
            self.customers.mapped("clv_expected_purchases"), purchases, atol=0.01
        )
        np.testing.assert_allclose(self.customers.mapped("clv_value"), value, atol=0.01)
        single = self.customers.filtered(lambda p: p.id in self._ids_with(0))
        self.assertTrue(all(p == 1.0 for p in single.mapped("clv_probability_alive")))
        # Everyone can read the model, only the manager fits it.
        self.assertEqual(model.with_user(self.salesman).bgnbd_r, model.bgnbd_r)
        self.assertEqual(model.with_user(self.accountant).gg_q, model.gg_q)
        with self.assertRaises(AccessError):
            model.with_user(self.salesman).action_fit()

    def _ids_with(self, repeat):
        return {pid for pid, row in self.expected.items() if row[0] == repeat}

    def test_discount_lowers_value(self):
        model = self._model()
        model.action_fit()
        undiscounted = self.customers.mapped("clv_value")
        model.write({"discount_rate": 20.0, "horizon": 365})
        model._predict_partners()
        longer = self.customers.mapped("clv_value")
        self.assertGreater(sum(longer), sum(undiscounted))
        model.discount_rate = 0.0
        model._predict_partners()
        self.assertGreater(sum(self.customers.mapped("clv_value")), sum(longer))

    def test_nightly_segmentation_refreshes_predictions(self):
        model = self._model()
        model.action_fit()
        predicted = self.customers.mapped("clv_value")
        alive = self.customers.mapped("clv_probability_alive")
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM crm_clv_partner_prediction WHERE partner_id = ANY(%s)",
            [self.customers.ids],
        )
        self.env.invalidate_all()
        # the nightly segmentation job predicts before it places customers
        self.env["crm.segment.matrix"]._segment_refresh_predictions(model.company_id)
        np.testing.assert_allclose(
            self.customers.mapped("clv_value"), predicted, atol=0.01
        )
        np.testing.assert_allclose(
            self.customers.mapped("clv_probability_alive"), alive, atol=1e-4
        )
        self.assertTrue(any(alive))

    def _row_updates(self, table):
        """(rows updated, of which in place) in ``table`` so far by this
        transaction."""
        self.env.cr.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables"
            " WHERE relname = %s",
            [table],
        )
        return self.env.cr.fetchone()

    def test_nightly_rewrites_only_changed_rows(self):
        """The next night every prediction and every recency moves: the
        predictions, in their own narrow table, are rewritten; no partner row
        is, their RFM figures are the same (the recency is derived from the
        stored date of the last purchase). The same night again, nothing is
        written. (Rewritten in place when their page has room, as every night
        after the autovacuum: see tools/bench_segmentation.py.)"""
        model = self._model()
        model.action_fit()  # predicts as of the end of the history
        company = model.company_id
        Matrix = self.env["crm.segment.matrix"]
        self.env.flush_all()
        predicted = self.env["crm.clv.partner.prediction"].search(
            [("company_id", "=", company.id)]
        )
        self.assertGreater(len(predicted), 100)
        rfm = ["rfm_recency_days", "rfm_frequency", "rfm_monetary", "rfm_score"]
        # every purchase in the RFM window, today and tomorrow
        today = END + timedelta(days=1)
        with freeze_time(today):
            Matrix._segment_refresh_customers(company)
            self.env.flush_all()
            first = {row["id"]: row for row in self.customers.read(rfm)}
        partners = self._row_updates("res_partner")
        updated = self._row_updates("crm_clv_partner_prediction")[0]
        with freeze_time(today + timedelta(days=1)):
            self.env.invalidate_all()
            Matrix._segment_refresh_customers(company)
            self.env.flush_all()
            for row in self.customers.read(rfm):
                before = first[row["id"]]
                if before["rfm_frequency"]:
                    self.assertEqual(
                        row["rfm_recency_days"], before["rfm_recency_days"] + 1
                    )
                for fname in ("rfm_frequency", "rfm_monetary", "rfm_score"):
                    self.assertEqual(row[fname], before[fname])
            self.assertEqual(self._row_updates("res_partner"), partners)
            # every prediction moved (the days since the last purchase, the age)
            written = self._row_updates("crm_clv_partner_prediction")
            self.assertEqual(written[0], updated + len(predicted))
            # the same night again: nothing written
            Matrix._segment_refresh_customers(company)
            self.env.flush_all()
            self.assertEqual(self._row_updates("res_partner"), partners)
            self.assertEqual(self._row_updates("crm_clv_partner_prediction"), written)

    def test_nightly_queries_do_not_grow_with_customers(self):
        """RFM and predictions of the nightly job: as many queries for 30 more
        customers."""
        model = self._model()
        model.action_fit()
        company = model.company_id
        Matrix = self.env["crm.segment.matrix"]

        def count(newcomers):
            """Queries of the job after ``newcomers`` new customers bought."""
            partners = self.env["res.partner"].create(
                [{"name": f"Nightly {i}", "is_company": True} for i in range(newcomers)]
            )
            self._post(
                [
                    self._invoice_vals(partner, today - timedelta(days=days), 100.0)
                    for i, partner in enumerate(partners)
                    for days in (10 + i, 40 + 2 * i)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            Matrix._segment_refresh_customers(company)
            self.env.flush_all()
            self.assertTrue(all(partners.mapped("rfm_score")))
            self.assertTrue(all(partners.mapped("clv_probability_alive")))
            return self.cr.sql_log_count - start

        today = date.today()
        count(2)  # warm the caches
        few = count(5)
        many = count(30)
        self.assertEqual(few, many, "the nightly job must not query per customer")

    def test_too_little_data_keeps_previous(self):
        model = self._model()
        model.action_fit()
        before = model.read(["bgnbd_r", "bgnbd_alpha", "gg_p", "date_fit"])[0]
        predictions = self.customers.mapped("clv_value")
        model.write({"min_repeat_customers": 10000, "date_history": END - timedelta(1)})
        with self.assertRaisesRegex(UserError, "Too little data"):
            model.action_fit()
        self.assertEqual(
            model.read(["bgnbd_r", "bgnbd_alpha", "gg_p", "date_fit"])[0], before
        )
        self.assertEqual(self.customers.mapped("clv_value"), predictions)
        # A company without invoices cannot be fitted either.
        other = self.Model._for_company(self.other_company_data["company"])
        with self.assertRaises(UserError):
            other.action_fit()
        self.assertEqual(other.state, "draft")
        self.assertEqual(other.bgnbd_r, 0.0)

    def test_holdout_check(self):
        cut = END - timedelta(days=90)
        model = self._model(date_holdout=cut)
        model.action_fit()
        lines = model.holdout_line_ids
        self.assertTrue(lines)
        # The calibration customers are those who bought up to the cut.
        calibration = [row for row in self.expected.values() if row[4][0] <= cut]
        self.assertEqual(sum(lines.mapped("customer_count")), len(calibration))
        actual = sum(sum(1 for day in row[4] if day > cut) for row in calibration)
        self.assertAlmostEqual(
            sum(line.customer_count * line.actual_avg for line in lines),
            actual,
            delta=0.01,
        )
        zero = lines.filtered(lambda line: line.bucket == 0)
        expected_zero = [
            row for row in calibration if sum(1 for d in row[4] if d <= cut) == 1
        ]
        self.assertEqual(zero.customer_count, len(expected_zero))
        self.assertTrue(all(line.predicted_avg > 0 for line in lines))
        self.assertLessEqual(max(lines.mapped("bucket")), 7)
        points = self.env["crm.clv.holdout.point"].search([("model_id", "=", model.id)])
        # actual and the prediction of each of the three models
        self.assertEqual(len(points), 4 * len(lines))
        action = model.action_view_holdout_graph()
        self.assertEqual(action["res_model"], "crm.clv.holdout.point")
        self.assertEqual(action["domain"], [("model_id", "=", model.id)])
        self.assertEqual(
            sorted(points.filtered(lambda p: p.series == "actual").mapped("value")),
            sorted(lines.mapped("actual_avg")),
        )

    def test_holdout_too_early(self):
        model = self._model(date_holdout=START)
        with self.assertRaisesRegex(UserError, "holdout check failed"):
            model.action_fit()

    def test_queries_do_not_grow_with_customers(self):
        model = self._model()

        def fit_queries(date_history):
            model.date_history = date_history
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            model._fit()
            predicted = model._predict_partners(date_history)
            self.env.flush_all()
            self.assertEqual(predicted, model.customer_count)
            return self.env.cr.sql_log_count - start, predicted

        fit_queries(END - timedelta(days=220))  # warm-up of the caches
        fit_queries(END)
        small_queries, small_customers = fit_queries(END - timedelta(days=220))
        large_queries, large_customers = fit_queries(END)
        self.assertGreater(large_customers, small_customers + 20)
        self.assertEqual(large_queries, small_queries)
        # the fit also replaces the three rows of its model comparison; the
        # predictions clear the customers without purchase any more and
        # check the early warnings (one query each)
        self.assertLessEqual(large_queries, 22)

    def test_cron_refits(self):
        model = self._model()
        cron = self.env.ref("crm_segmentation.ir_cron_clv_fit")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertEqual(model.state, "fitted")
        self.assertTrue(model.date_last_run)
        self.assertEqual(self.customers[0].clv_probability_alive > 0, True)

    def test_one_model_per_company(self):
        model = self._model()
        self.assertEqual(self.Model._for_company(self.company), model)
        other = self.Model._for_company(self.other_company_data["company"])
        self.assertEqual(other.company_id, self.other_company_data["company"])
        for values in ({"discount_rate": -5}, {"horizon": 0}):
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(IntegrityError),
                self.cr.savepoint(),
            ):
                model.write(values)
                self.env.flush_all()
        with self.assertRaises(ValidationError):
            model.write({"date_holdout": END, "date_history": END})
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            # a second model for the company
            self.Model.create({"company_id": self.company.id})
            self.env.flush_all()

    def test_three_models_compared(self):
        cut = END - timedelta(days=90)
        model = self._model(date_holdout=cut)
        model.action_fit()
        candidates = model.candidate_ids
        self.assertEqual(
            sorted(candidates.mapped("kind")), ["bgnbd", "mbgnbd", "pareto"]
        )
        x, t_x, T, _m_x = self._expected_arrays(self.customers)
        for candidate in candidates:
            params, log_likelihood = clv_math.MODELS[candidate.kind]["fit"](x, t_x, T)
            self.assertAlmostEqual(candidate.log_likelihood, log_likelihood, places=1)
            self.assertAlmostEqual(
                candidate.bic,
                4 * np.log(len(self.customers)) - 2 * candidate.log_likelihood,
                places=1,
            )
            self.assertTrue(candidate.has_holdout)
            self.assertTrue(candidate.parameters)
        # The holdout error of each model, from its column of the holdout lines
        lines = model.holdout_line_ids
        total = sum(lines.mapped("customer_count"))
        columns = {
            "bgnbd": "predicted_avg",
            "pareto": "predicted_pareto_avg",
            "mbgnbd": "predicted_mbgnbd_avg",
        }
        for candidate in candidates:
            error = (
                sum(
                    line.customer_count
                    * abs(line[columns[candidate.kind]] - line.actual_avg)
                    for line in lines
                )
                / total
            )
            self.assertAlmostEqual(candidate.holdout_mae, error, places=3)
        # Automatic: the usable model with the lowest holdout error is in use
        usable = candidates.filtered(lambda c: not c.at_bound)
        best = min(usable, key=lambda c: c.holdout_mae)
        self.assertEqual(model.model_used, best.kind)
        self.assertEqual(candidates.filtered("is_used"), best)
        # the predictions are that model's
        self.assertEqual(model._params()[0], best._params())
        # The user's choice wins over the holdout error
        at_bound = set(candidates.filtered("at_bound").mapped("kind"))
        for kind in ("pareto", "mbgnbd"):
            if kind in at_bound:
                continue
            model.model_choice = kind
            model.action_fit()
            self.assertEqual(model.model_used, kind)
            customer = self.customers[0]
            alive, _purchases, _value = model._predict_arrays(
                *[
                    np.array([value], dtype=float)
                    for value in self.expected[customer.id][:2]
                ],
                np.array([self.expected[customer.id][2] + (date.today() - END).days]),
                np.array([self.expected[customer.id][3]]),
            )
            self.assertAlmostEqual(customer.clv_probability_alive, alive[0], places=4)
        # Without a holdout check, automatic picks the lowest BIC
        model.write({"model_choice": "auto", "date_holdout": False})
        model.action_fit()
        usable = model.candidate_ids.filtered(lambda c: not c.at_bound)
        self.assertEqual(model.model_used, min(usable, key=lambda c: c.bic).kind)
        self.assertFalse(model.holdout_line_ids)

    def test_one_time_buyers_can_be_dead(self):
        """MBG/NBD: a one-time buyer long silent is less likely alive than a
        recent one, where BG/NBD says 1 for both."""
        model = self._model(model_choice="mbgnbd")
        model.action_fit()
        single = self.customers.filtered(lambda p: p.id in self._ids_with(0))
        alive = single.mapped("clv_probability_alive")
        self.assertTrue(all(0 < value < 1 for value in alive))
        ages = [self.expected[p.id][2] for p in single]
        oldest, youngest = np.argmax(ages), np.argmin(ages)
        self.assertLess(alive[oldest], alive[youngest])

    def test_zero_value_invoice_setting(self):
        partner = self.env["res.partner"].create(
            {"name": "Sampler", "is_company": True}
        )
        day = date(2025, 6, 1)
        invoices = self._post(
            [
                self._invoice_vals(partner, day, 100.0),
                # a free sample
                self._invoice_vals(partner, day + timedelta(days=10), 0.0),
                self._invoice_vals(partner, day + timedelta(days=20), 200.0),
                # refunded in full: never a purchase
                self._invoice_vals(partner, day + timedelta(days=25), 40.0),
            ]
        )
        self._post(
            [
                self._invoice_vals(
                    partner,
                    day + timedelta(days=26),
                    40.0,
                    move_type="out_refund",
                    reversed_entry_id=invoices[3].id,
                )
            ]
        )
        cut = day + timedelta(days=30)

        def purchase_days(zero_value):
            partners, days, _values = self.Model._purchase_history(
                self.company, cut, zero_value=zero_value
            )
            return [
                (date.fromordinal(d) - day).days for d in days[partners == partner.id]
            ]

        self.assertEqual(purchase_days(False), [0, 20])
        self.assertEqual(purchase_days(True), [0, 10, 20])
        sampler = self.Model._summarise(
            *self.Model._purchase_history(self.company, cut, zero_value=True),
            cut.toordinal(),
            1.0,
        )
        position = sampler[0].tolist().index(partner.id)
        # two repeat purchases, their mean value counts the free one as 0
        self.assertEqual(sampler[1][position], 2)
        self.assertEqual(sampler[4][position], 100.0)
        # The setting of the model decides what its fit reads: the customers
        # simulated plus the sampler, with one or two repeat purchases
        x, t_x, T, _m_x = self._expected_arrays(self.customers)
        age = (END - day).days
        model = self._model(model_choice="bgnbd")
        for zero_value, repeat in ((True, 2), (False, 1)):
            model.zero_value_purchase = zero_value
            model.action_fit()
            _params, log_likelihood = clv_math.fit_bgnbd(
                np.append(x, repeat), np.append(t_x, 20), np.append(T, age)
            )
            self.assertAlmostEqual(model.log_likelihood, log_likelihood, places=2)

    def test_spend_frequency_correlation(self):
        model = self._model()
        model.action_fit()
        x, _t_x, _T, m_x = self._expected_arrays(self.customers)
        keep = x > 0
        expected = np.corrcoef(x[keep], m_x[keep])[0, 1]
        self.assertAlmostEqual(model.gg_correlation, expected, places=3)
        # simulated spend is independent of frequency: no warning
        self.assertFalse(model.gg_correlation_warning)
        model.gg_correlation = 0.45
        self.assertTrue(model.gg_correlation_warning)
        model.gg_correlation = -0.45
        self.assertTrue(model.gg_correlation_warning)

    def test_fit_refused_keeps_previous(self):
        model = self._model()
        model.action_fit()
        fields_ = ["bgnbd_r", "gg_p", "date_fit", "model_used", "candidate_ids"]
        before = model.read(fields_)[0]
        # too little history
        model.write({"min_history_days": 400})
        with self.assertRaisesRegex(UserError, "Too little history"):
            model.action_fit()
        self.assertEqual(model.read(fields_)[0], before)
        # the chosen model at a parameter bound: customers who never drop out
        model.write({"min_history_days": 90, "model_choice": "bgnbd"})
        rng = np.random.default_rng(4)
        T = rng.uniform(100, 300, size=400)
        x = rng.poisson(T / 20.0).astype(float)
        t_x = np.where(x > 0, T - rng.uniform(0, 1, size=400), 0.0)
        fits, _g, _ll = model._fit_arrays(x, t_x, T, np.where(x > 0, 50.0, 0.0) + x)
        self.assertTrue(fits["bgnbd"]["at_bound"])
        with self.assertRaisesRegex(UserError, "parameter bound"):
            model._choose_model(fits, {})
        # the scheduled fit records why it was refused, and keeps the fit
        model.write({"min_history_days": 400})
        cron = self.env.ref("crm_segmentation.ir_cron_clv_fit")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertIn("Too little history", model.fit_message)
        self.assertEqual(model.read(fields_)[0], before)

    def test_migration_to_prediction_table(self):
        """19.0.1.5.0: the predictions move to their own table and the RFM
        recency is derived from the date of the last purchase: the migration
        computes both again for every company and drops the partner columns
        they replace."""
        model = self._model()
        model.action_fit()
        company = model.company_id
        fnames = [
            "rfm_recency_days",
            "rfm_last_purchase_date",
            "rfm_score",
            "clv_value",
            "clv_probability_alive",
            "clv_days_since_purchase",
            "clv_value_at_risk",
        ]
        with freeze_time(END + timedelta(days=1)):
            self.env["crm.segment.matrix"]._segment_refresh_customers(company)
            self.env.flush_all()
            expected = self.customers.read(fnames)
            self.assertTrue(any(row["clv_value"] for row in expected))
            # as before the upgrade: no prediction row, no date of the last
            # purchase, the old partner columns
            self.env.cr.execute(
                "DELETE FROM crm_clv_partner_prediction;"
                " UPDATE res_partner SET rfm_last_purchase_date = NULL;"
                " ALTER TABLE res_partner ADD COLUMN clv_value numeric,"
                " ADD COLUMN rfm_recency_days int"
            )
            self.env.invalidate_all()
            self.assertFalse(any(self.customers.mapped("clv_value")))
            migration = load_migration("crm_segmentation", "19.0.1.5.0")
            migration.migrate(self.env.cr, "19.0.1.4.0")
            self.env.invalidate_all()
            self.assertEqual(self.customers.read(fnames), expected)
        self.assertFalse(column_exists(self.env.cr, "res_partner", "clv_value"))
        self.assertFalse(column_exists(self.env.cr, "res_partner", "rfm_recency_days"))
