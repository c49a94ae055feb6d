# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

import numpy as np
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import BaseCase, new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .. import churn_math, clv_math, clv_value
from .common import ClvCommon

BGNBD = (0.243, 4.414, 0.793, 2.426)
PARETO = (0.553, 10.578, 0.606, 11.669)
MBGNBD = (0.525, 6.183, 1.6, 2.0)
GAMMA = (6.25, 3.74, 15.44)
PARAMS = {"bgnbd": BGNBD, "pareto": PARETO, "mbgnbd": MBGNBD}


@tagged("post_install", "-at_install")
class TestChurnMath(BaseCase):
    """The churn figures of churn_math, against the model functions."""

    def test_value_at_risk_definition(self):
        x = np.array([0, 0, 2, 5, 5])
        t_x = np.array([0, 0, 10, 30, 30])
        T = np.array([5, 60, 40, 32, 60])
        m_x = np.array([0, 0, 40, 25, 25])
        common = {"horizon": 52, "period": 4.35, "annual_rate": 0.1, "unit_days": 7}
        for kind, params in PARAMS.items():
            figures = churn_math.churn_predictions(
                kind, params, GAMMA, x, t_x, T, m_x, window=13, **common
            )
            functions = clv_math.MODELS[kind]
            alive = functions["probability_alive"](params, x, t_x, T)
            purchases, value = clv_value.discounted_value(
                params,
                GAMMA,
                x,
                t_x,
                T,
                m_x,
                expected_purchases=functions["expected_purchases"],
                **common,
            )
            np.testing.assert_allclose(figures["alive"], alive)
            np.testing.assert_allclose(figures["purchases"], purchases)
            np.testing.assert_allclose(figures["value"], value)
            # value at risk: the value while active times P(left)
            np.testing.assert_allclose(
                figures["value_at_risk"], value / alive * (1 - alive)
            )
            np.testing.assert_allclose(
                figures["no_purchase"],
                clv_math.probability_no_purchase(kind, params, 13, x, t_x, T),
            )
            self.assertTrue(np.all(figures["no_purchase"] < 1))
            # a customer silent longer is more at risk
            self.assertGreater(figures["value_at_risk"][4], figures["value_at_risk"][3])
            if kind == "bgnbd":
                # BG/NBD: a one-time buyer is alive, nothing at risk
                self.assertEqual(figures["alive"][:2].tolist(), [1.0, 1.0])
                self.assertEqual(figures["value_at_risk"][:2].tolist(), [0.0, 0.0])
            else:
                # Pareto/NBD and MBG/NBD: one-time buyers may have left
                self.assertTrue(np.all(figures["alive"][:2] < 1))
                self.assertGreater(figures["value_at_risk"][1], 0)
                self.assertLess(figures["alive"][1], figures["alive"][0])

    def test_pareto_predictions_where_scipy_overflows(self):
        """scipy's 2F1 overflows for large s and beta near z = 1, where the
        value is finite: the predictions sum Euler's series instead."""
        params = (1.488171, 47.758251, 168.136206, 28180.73756)
        a = np.full(3, params[0] + params[2] + 1)
        b = np.full(3, params[0] + 1)
        z = np.array([0.9975265432707874, 0.9745811853703638, 0.5])
        exact = clv_math._log_hyp2f1_next(a, b, z, exact=True)
        self.assertTrue(np.all(np.isfinite(exact)))
        # where scipy is finite, both agree
        np.testing.assert_allclose(exact[1:], clv_math._log_hyp2f1_next(a, b, z)[1:])
        self.assertFalse(np.isfinite(clv_math._log_hyp2f1_next(a, b, z)[0]))
        # the series against scipy on a point scipy computes (forced)
        ai, bi, zi = a[1], b[1], z[1]
        k = np.arange(20000)
        terms = np.cumprod(np.r_[1.0, (1 + ai - bi + k[:-1]) / (ai + 1 + k[:-1]) * zi])
        self.assertAlmostEqual(
            (1 - bi) * np.log1p(-zi) + np.log(terms.sum()), exact[1], places=8
        )
        alive = clv_math.pareto_nbd_probability_alive(
            params, [1, 1, 0], [22, 0, 0], [686, 600, 700]
        )
        self.assertTrue(np.all((alive > 0) & (alive < 0.01)))

    def test_purchase_rhythm(self):
        cut = 1000
        # A: every 30 days from 400 to 220 days ago; B: every 30 days up to 10
        # days ago; C: one purchase 50 days ago; D: nothing
        a_days = [cut - d for d in range(400, 219, -30)]
        b_days = [cut - d for d in range(400, 9, -30)]
        partners = np.array([1] * len(a_days) + [2] * len(b_days) + [3])
        days = np.array(a_days + b_days + [cut - 50])
        ids = np.array([1, 2, 3, 4])
        rhythm = churn_math.purchase_rhythm(ids, partners, days, cut, 90)
        self.assertEqual(rhythm["days_since"].tolist(), [220, 10, 50, 0])
        self.assertEqual(rhythm["interval"].tolist(), [30.0, 30.0, 0.0, 0.0])
        self.assertEqual(rhythm["recent"].tolist(), [0, 3, 1, 0])
        # A: 7 purchases in the 310 days before the window: 7 * 90 / 310
        # B: 11 purchases in those 310 days; C is too young to tell
        np.testing.assert_allclose(rhythm["usual"], [630 / 310, 990 / 310, 0, 0])
        late, falling = churn_math.risk_flags(rhythm)
        self.assertEqual(late.tolist(), [True, False, False, False])
        self.assertEqual(falling.tolist(), [True, False, False, False])


@tagged("post_install", "-at_install")
class TestClvChurn(ClvCommon):
    """Churn, value at risk, the customers worth saving and the early warning,
    on real posted invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.env.user.group_ids += cls.env.ref(
            "crm_segmentation.group_segmentation_manager"
        )
        cls.Model = cls.env["crm.clv.model"]
        cls.Partner = cls.env["res.partner"]
        cls.today = fields.Date.context_today(cls.Partner)
        cls.salesman = new_test_user(
            cls.env,
            "churn_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.other_salesman = new_test_user(
            cls.env,
            "churn_other_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.stock_user = new_test_user(
            cls.env,
            "churn_stock_user",
            groups="stock.group_stock_user",
            company_id=cls.company.id,
        )
        cls._simulate_customers()
        cls.company.clv_churn_days = 90
        # Late: every 30 days from 400 to 220 days ago; Steady: up to 10 days ago
        cls.late, cls.steady = cls.Partner.create(
            [
                {"name": "Late Ltd", "is_company": True, "user_id": cls.salesman.id},
                {
                    "name": "Steady Ltd",
                    "is_company": True,
                    "user_id": cls.salesman.id,
                },
            ]
        )
        cls.late_invoices = cls._post(
            [
                cls._invoice_vals(
                    cls.late,
                    cls.today - timedelta(days=ago),
                    2000.0,
                    invoice_payment_term_id=False,
                    invoice_date_due=cls.today - timedelta(days=ago - 30),
                )
                for ago in range(400, 219, -30)
            ]
        )
        cls._post(
            [
                cls._invoice_vals(cls.steady, cls.today - timedelta(days=ago), 2000.0)
                for ago in range(400, 9, -30)
            ]
        )

    def _fitted(self, kind="mbgnbd"):
        model = self._model(model_choice=kind, date_history=False)
        model.action_fit()
        self.assertEqual(model.model_used, kind)
        return model

    def test_predictions_of_every_customer(self):
        """Every figure stored is the chosen model's, for every customer."""
        for kind in ("bgnbd", "pareto", "mbgnbd"):
            model = self.Model.search([("company_id", "=", self.company.id)])
            model.unlink()
            model = self._fitted(kind)
            history = model._purchase_history(self.company, self.today)
            ids, x, t_x, T, m_x = model._summarise(
                *history, self.today.toordinal(), model._unit_days()
            )
            figures = model._churn_arrays(x, t_x, T, m_x)
            partners = self.Partner.browse(ids.tolist())
            stored = {
                "alive": "clv_probability_alive",
                "no_purchase": "clv_probability_no_purchase",
                "purchases": "clv_expected_purchases",
                "value": "clv_value",
                "value_at_risk": "clv_value_at_risk",
            }
            for key, fname in stored.items():
                np.testing.assert_allclose(
                    partners.mapped(fname), figures[key], atol=0.01, err_msg=fname
                )
            single = partners.filtered(lambda p: p.clv_purchase_interval == 0)
            self.assertTrue(single)
            if kind == "bgnbd":
                self.assertEqual(set(single.mapped("clv_probability_alive")), {1.0})
                self.assertEqual(set(single.mapped("clv_value_at_risk")), {0.0})
            else:
                self.assertTrue(
                    all(p < 1 for p in single.mapped("clv_probability_alive"))
                )
                self.assertTrue(all(v > 0 for v in single.mapped("clv_value_at_risk")))
        # the rhythm of the two hand-made customers
        self.assertEqual(self.late.clv_days_since_purchase, 220)
        self.assertEqual(self.late.clv_purchase_interval, 30.0)
        self.assertEqual(self.late.clv_recent_purchases, 0)
        self.assertAlmostEqual(self.late.clv_usual_purchases, 2.0)
        self.assertTrue(self.late.clv_is_late)
        self.assertTrue(self.late.clv_frequency_falling)
        self.assertEqual(self.steady.clv_days_since_purchase, 10)
        self.assertFalse(self.steady.clv_is_late)
        self.assertFalse(self.steady.clv_frequency_falling)
        self.assertGreater(self.late.clv_value_at_risk, self.steady.clv_value_at_risk)
        self.assertGreater(
            self.steady.clv_probability_alive, self.late.clv_probability_alive
        )

    def test_customers_worth_saving(self):
        """The list: ordered by value at risk, with the reasons, on a phone."""
        self._fitted()
        # the nightly lifecycle job sees the invoices past their due date
        (self.late | self.steady)._lifecycle_refresh_facts()
        self.assertGreater(self.late.lifecycle_overdue_amount, 0)
        action = self.env.ref("crm_segmentation.res_partner_churn_action")
        self.assertEqual(action.mobile_view_mode, "kanban")
        domain = safe_eval(action.domain)
        views = self.Partner.with_user(self.salesman).get_views(
            [(view.view_id.id, view.view_mode) for view in action.view_ids]
        )["views"]
        list_arch = etree.fromstring(views["list"]["arch"])
        self.assertEqual(list_arch.get("default_order"), "clv_value_at_risk desc")
        kanban_arch = etree.fromstring(views["kanban"]["arch"])
        self.assertIn("o_kanban_mobile", kanban_arch.get("class"))
        self.assertTrue(kanban_arch.xpath("//field[@name='clv_risk_reason']"))
        # what the salesperson's list shows (its own customers by default)
        rows = self.Partner.with_user(self.salesman).web_search_read(
            domain + [("user_id", "=", self.salesman.id)],
            {"display_name": {}, "clv_value_at_risk": {}, "clv_risk_reason": {}},
            order=list_arch.get("default_order"),
        )["records"]
        self.assertEqual([row["id"] for row in rows][0], self.late.id)
        reason = rows[0]["clv_risk_reason"]
        self.assertIn(
            "No purchase for 220 days; it usually buys every 30 days.", reason
        )
        self.assertIn(
            "0 purchases in the last 90 days; its usual rate gives 2.0.", reason
        )
        # unpaid invoices past their due date
        self.assertIn("Overdue invoices:", reason)
        # the whole list, ordered by value at risk
        partners = self.Partner.search(domain, order="clv_value_at_risk desc")
        values = partners.mapped("clv_value_at_risk")
        self.assertEqual(values, sorted(values, reverse=True))
        self.assertTrue(all(value > 0 for value in values))
        # one-time buyers are in it (MBG/NBD gives them a real churn)
        self.assertTrue(partners.filtered(lambda p: p.clv_purchase_interval == 0))
        if "crm.complaint" in self.env:
            self.env["crm.complaint"].sudo().create(
                {"subject": "Wobbly chair", "partner_id": self.late.id}
            )
            self.late.invalidate_recordset()
            self.assertIn("Open complaints: 1.", self.late.clv_risk_reason)

    def test_early_warning_once(self):
        model = self._fitted()
        Activity = self.env["mail.activity"]

        def warnings(partner):
            return Activity.search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref(
                            "crm_segmentation.mail_activity_type_churn_warning"
                        ).id,
                    ),
                ]
            )

        # off by default
        self.assertFalse(warnings(self.late))
        self.company.clv_warning_probability_alive = 0.3
        model._predict_partners()
        self.assertLess(self.late.clv_probability_alive, 0.3)
        self.assertGreater(self.steady.clv_probability_alive, 0.3)
        activity = warnings(self.late)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesman)
        self.assertIn("No purchase for 220 days", activity.note)
        self.assertIn("value at risk", activity.note)
        self.assertTrue(self.late.clv_warning_sent)
        self.assertFalse(warnings(self.steady))
        # customers without salesperson: nobody to warn, not marked
        nobody = self.customers.filtered(lambda p: p.clv_probability_alive < 0.3)
        self.assertTrue(nobody)
        self.assertFalse(any(nobody.mapped("clv_warning_sent")))
        # the next night: still at risk, not warned again
        model._predict_partners()
        self.assertEqual(len(warnings(self.late)), 1)
        # it buys again: recovered, the warning is re-armed
        self._post([self._invoice_vals(self.late, self.today, 2000.0)])
        model._predict_partners()
        self.assertGreater(self.late.clv_probability_alive, 0.3)
        self.assertFalse(self.late.clv_warning_sent)
        self.assertEqual(len(warnings(self.late)), 1)
        # at risk again (a stricter threshold here): warned again, once
        self.company.clv_warning_probability_alive = 0.9999
        model._predict_partners()
        self.assertEqual(len(warnings(self.late)), 2)
        self.assertEqual(len(warnings(self.steady)), 1)
        # the value at risk threshold alone warns too
        self.company.clv_warning_probability_alive = 0.0
        model._predict_partners()  # nobody at risk: both re-armed
        self.assertFalse(self.steady.clv_warning_sent)
        self.company.clv_warning_value_at_risk = self.steady.clv_value_at_risk / 2
        model._predict_partners()
        self.assertEqual(len(warnings(self.steady)), 2)

    def test_rules_and_dimensions_read_predictions(self):
        stage = self.env.ref("crm_lifecycle.stage_at_risk")
        # a sales manager's rule on the predicted facts
        self.env["crm.lifecycle.rule"].sudo().create(
            {
                "name": "Valuable and probably gone",
                "sequence": 1,
                "filter_domain": "[('clv_probability_alive', '<', 0.3), "
                "('clv_value_at_risk', '>', 1000)]",
                "stage_id": stage.id,
                "allow_backward": True,
            }
        )
        self._fitted()
        # the predictions moved the customers the rule reads, tonight
        self.assertEqual(self.late.lifecycle_stage_id, stage)
        self.assertNotEqual(self.steady.lifecycle_stage_id, stage)
        dimension = self.env["crm.segment.dimension"].create(
            {
                "name": "Value at risk",
                "dimension_type": "metric",
                "metric": "clv_value_at_risk",
                "binning": "threshold",
                "level_ids": [
                    fields.Command.create({"name": "Low", "threshold": 0}),
                    fields.Command.create({"name": "High", "threshold": 1000}),
                ],
            }
        )
        customers = SQL(
            "SELECT id FROM res_partner WHERE id = ANY(%s)",
            [self.late.id, self.steady.id],
        )
        levels = dict(
            self.env.execute_query(dimension._level_query(customers, self.company))
        )
        names = {level.id: level.name for level in dimension.level_ids}
        self.assertEqual(names[levels[self.late.id]], "High")
        self.assertEqual(names[levels[self.steady.id]], "Low")

    def test_staff_only(self):
        self._fitted()
        # money: a warehouse user cannot read the value at risk
        with self.assertRaises(AccessError):
            _value = self.late.with_user(self.stock_user).clv_value_at_risk
        # need to know: another salesperson's customer reads as empty
        other = self.late.with_user(self.other_salesman).read(
            ["clv_value_at_risk", "clv_probability_no_purchase", "clv_risk_reason"]
        )[0]
        self.assertFalse(other["clv_value_at_risk"])
        self.assertFalse(other["clv_risk_reason"])
        mine = self.late.with_user(self.salesman).read(["clv_value_at_risk"])[0]
        self.assertGreater(mine["clv_value_at_risk"], 0)

    def test_all_refunded_is_no_purchase(self):
        """A customer whose purchases are all refunded has none: its
        predictions are cleared and it leaves the list."""
        model = self._fitted()
        self.assertGreater(self.late.clv_value_at_risk, 0)
        self._post(
            [
                self._invoice_vals(
                    self.late,
                    invoice.invoice_date + timedelta(days=1),
                    2000.0,
                    move_type="out_refund",
                    reversed_entry_id=invoice.id,
                )
                for invoice in self.late_invoices
            ]
        )
        model._predict_partners()
        self.assertEqual(self.late.clv_probability_alive, 0)
        self.assertEqual(self.late.clv_value_at_risk, 0)
        self.assertEqual(self.late.clv_value, 0)
        self.assertFalse(self.late.clv_is_late)
        action = self.env.ref("crm_segmentation.res_partner_churn_action")
        self.assertNotIn(self.late, self.Partner.search(safe_eval(action.domain)))

    def test_future_invoices_ignored_with_warning(self):
        """An invoice dated in the future (a typing error) changes nothing
        and is reported."""
        model = self._fitted()
        before = self.steady.read(
            ["clv_probability_alive", "clv_value", "clv_days_since_purchase"]
        )[0]
        self.assertFalse(model.future_invoice_count)
        self._post(
            [self._invoice_vals(self.steady, self.today + timedelta(days=20), 5000.0)]
        )
        with self.assertLogs(
            "odoo.addons.crm_segmentation.models.crm_clv_model", level="WARNING"
        ) as logs:
            model.action_fit()
        self.assertIn("1 invoices dated in the future are ignored", logs.output[0])
        self.assertEqual(model.future_invoice_count, 1)
        self.assertEqual(
            self.steady.read(
                ["clv_probability_alive", "clv_value", "clv_days_since_purchase"]
            )[0],
            before,
        )

    def test_customers_worth_saving_queries(self):
        """The predictions live in their own table, a row per customer and
        company: the list of customers worth saving searches, orders and sums
        the value at risk of the current company in SQL (a join), in as many
        queries for 5 more customers as for 20; another company's
        predictions are not the current one's."""
        self._fitted()
        domain = safe_eval(
            self.env.ref("crm_segmentation.res_partner_churn_action").domain
        )
        reader = new_test_user(
            self.env,
            "churn_all_docs",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=self.company.id,
        )
        Partner = self.Partner.with_user(reader)
        spec = {
            "display_name": {},
            "clv_value_at_risk": {},
            "clv_probability_alive": {},
            "clv_days_since_purchase": {},
        }

        def count(newcomers):
            partners = self.Partner.create(
                [
                    {"name": f"Worth saving {i}", "is_company": True}
                    for i in range(newcomers)
                ]
            )
            # set by hand: the current company's row
            for i, partner in enumerate(partners):
                partner.write(
                    {"clv_value_at_risk": 1e6 + i, "clv_probability_alive": 0.5}
                )
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            rows = Partner.web_search_read(
                domain, spec, order="clv_value_at_risk desc", limit=80
            )["records"]
            groups = Partner._read_group(
                domain, ["lifecycle_stage_id"], ["clv_value_at_risk:sum", "__count"]
            )
            queries = self.env.cr.sql_log_count - start
            values = [row["clv_value_at_risk"] for row in rows]
            self.assertEqual(values, sorted(values, reverse=True))
            self.assertTrue(all(value > 0 for value in values))
            self.assertAlmostEqual(
                sum(total for _stage, total, _count in groups),
                sum(self.Partner.search(domain).mapped("clv_value_at_risk")),
                places=2,
            )
            self.assertTrue(set(partners.ids) <= {row["id"] for row in rows})
            return queries

        count(2)  # warm the caches
        self.assertEqual(count(5), count(20))
        # another company's prediction of a customer is not the current one's
        other = self.env["res.company"].create({"name": "Other Saving Co"})
        customer = self.Partner.create({"name": "Two companies", "is_company": True})
        customer.with_company(other).write({"clv_value_at_risk": 99.0})
        self.assertEqual(customer.clv_value_at_risk, 0.0)
        self.assertEqual(customer.with_company(other).clv_value_at_risk, 99.0)
        self.assertNotIn(customer, self.Partner.search(domain))
        self.assertIn(customer, self.Partner.with_company(other).search(domain))
