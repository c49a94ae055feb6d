# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""RFM per company (issue 23): a customer shared by two companies (no company
of its own) has its own RFM figures and score in each company, whichever
company is computed last; the matrices, searches, groupings and heat maps of
each company read that company's figures, in its currency, converted at the
documents' dates."""

from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.crm_lifecycle.company_values import main_company_id
from odoo.addons.crm_lifecycle.tests.common import SecondCurrencyMixin, load_migration

from .common import SegmentationCommon

RFM_TYPES = {
    "rfm_last_purchase_date": "date",
    "rfm_frequency": "int4",
    "rfm_monetary": "numeric",
    "rfm_recency_score": "int4",
    "rfm_frequency_score": "int4",
    "rfm_monetary_score": "int4",
    "rfm_score": "varchar",
}


@tagged("post_install", "-at_install")
class TestRfmPerCompany(SecondCurrencyMixin, SegmentationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # company A: the test company, in USD; EUR per USD 2 from 60 days ago,
        # 4 from 10 days ago (in company A)
        cls._setup_second_currency()
        cls.company_a = cls.company
        cls.usd = cls.company_a.currency_id
        # company B: in EUR; USD per EUR 0.5 from 60 days ago, 0.25 from 10
        # days ago (in company B)
        cls.company_b = cls.setup_other_company(
            name="RFM Company B", currency_id=cls.eur.id
        )["company"]
        cls.env["res.currency.rate"].sudo().create(
            [
                {
                    "name": cls.today - timedelta(days=days),
                    "rate": rate,
                    "currency_id": cls.usd.id,
                    "company_id": cls.company_b.id,
                }
                for days, rate in ((60, 0.5), (10, 0.25))
            ]
        )
        # the user works in both companies (the customer of A is read in B)
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                allowed_company_ids=(cls.company_a + cls.company_b).ids,
            )
        )
        cls.Partner = cls.env["res.partner"]
        cls.Dimension = cls.env["crm.segment.dimension"]
        cls.Matrix = cls.env["crm.segment.matrix"]
        cls.Membership = cls.env["crm.segment.membership"]
        # shared customers (no company of their own)
        cls.shared, cls.small_a, cls.big_b = cls._customers(
            ["Shared Buyer", "Small Buyer of A", "Big Buyer of B"]
        )
        cls.own_a = cls._customers(["Own Customer of A"], company_id=cls.company_a.id)
        # in A the shared customer buys a lot: 1000 USD 5 and 20 days ago,
        # 100 EUR 40 days ago (50 USD at 2) and 200 EUR 5 days ago (50 USD at 4)
        cls._invoices(
            [
                (cls.shared, 5, 1000.0),
                (cls.shared, 20, 1000.0),
                (cls.small_a, 30, 100.0),
                (cls.own_a, 45, 10.0),
            ],
            company=cls.company_a,
        )
        cls._invoices(
            [(cls.shared, 40, 100.0), (cls.shared, 5, 200.0)],
            company=cls.company_a,
            currency=cls.eur,
        )
        # in B it buys little: 100 USD 30 days ago (200 EUR at 0.5) and 50 USD
        # 8 days ago (200 EUR at 0.25)
        cls._invoices(
            [(cls.shared, 30, 100.0), (cls.shared, 8, 50.0)],
            company=cls.company_b,
            currency=cls.usd,
        )
        cls._invoices(
            [(cls.big_b, 3, 5000.0), (cls.big_b, 15, 5000.0), (cls.big_b, 45, 5000.0)],
            company=cls.company_b,
        )
        cls.customers = cls.shared + cls.small_a + cls.big_b + cls.own_a
        # days since the last purchase, frequency, monetary (company currency),
        # score
        cls.expected = {
            cls.company_a: {
                cls.shared: (5, 3, 2100.0, "555"),
                cls.small_a: (30, 1, 100.0, "313"),
                cls.own_a: (45, 1, 10.0, "111"),
                cls.big_b: (0, 0, 0.0, False),
            },
            cls.company_b: {
                cls.shared: (8, 2, 400.0, "111"),
                cls.big_b: (3, 3, 15000.0, "555"),
                cls.small_a: (0, 0, 0.0, False),
                cls.own_a: (0, 0, 0.0, False),
            },
        }

    def _compute(self, *companies):
        for company in companies:
            self.Partner._rfm_compute(company)

    def _figures(self, company):
        return {
            partner: (
                partner.rfm_recency_days,
                partner.rfm_frequency,
                partner.rfm_monetary,
                partner.rfm_score,
            )
            for partner in self.customers.with_company(company)
        }

    def assertCompanyFigures(self, company):
        self.assertEqual(self._figures(company), self.expected[company], company.name)

    def test_each_company_reads_its_figures_whatever_the_order(self):
        for companies in (
            (self.company_a, self.company_b),
            (self.company_b, self.company_a),
        ):
            with self.subTest(order=[company.name for company in companies]):
                self.env.cr.execute(
                    SQL(
                        "UPDATE res_partner SET %s WHERE id = ANY(%s)",
                        SQL(", ").join(
                            SQL("%s = NULL", SQL.identifier(fname))
                            for fname in RFM_TYPES
                        ),
                        self.customers.ids,
                    )
                )
                self.env.invalidate_all()
                self._compute(*companies)
                self.assertCompanyFigures(self.company_a)
                self.assertCompanyFigures(self.company_b)
        shared_a = self.shared.with_company(self.company_a)
        shared_b = self.shared.with_company(self.company_b)
        self.assertEqual(
            (
                shared_a.rfm_recency_score,
                shared_a.rfm_frequency_score,
                shared_a.rfm_monetary_score,
            ),
            (5, 5, 5),
        )
        self.assertEqual(
            (
                shared_b.rfm_recency_score,
                shared_b.rfm_frequency_score,
                shared_b.rfm_monetary_score,
            ),
            (1, 1, 1),
        )
        self.assertEqual(
            shared_a.rfm_last_purchase_date, self.today - timedelta(days=5)
        )
        self.assertEqual(
            shared_b.rfm_last_purchase_date, self.today - timedelta(days=8)
        )
        # one jsonb per partner, a value per company
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT rfm_score FROM res_partner WHERE id = %s", [self.shared.id]
        )
        self.assertEqual(
            self.env.cr.fetchone()[0],
            {str(self.company_a.id): "555", str(self.company_b.id): "111"},
        )

    def test_recompute_writes_the_rows_whose_company_figures_change(self):
        self._compute(self.company_a, self.company_b)
        # nothing changed: nothing written, in either company
        self.assertEqual(self.Partner._rfm_compute(self.company_a)["updated"], 0)
        self.assertEqual(self.Partner._rfm_compute(self.company_b)["updated"], 0)
        self.expected = {company: dict(rows) for company, rows in self.expected.items()}
        # a purchase in B changes the shared customer's figures in B only
        self._invoices([(self.shared, 1, 50.0)], company=self.company_b)
        result = self.Partner._rfm_compute(self.company_b)
        # the shared customer, and the customer of B whose scores it moved
        self.assertEqual(result["updated"], 2)
        self.expected[self.company_b][self.shared] = (1, 3, 450.0, "511")
        self.expected[self.company_b][self.big_b] = (3, 3, 15000.0, "115")
        self.assertCompanyFigures(self.company_b)
        self.assertCompanyFigures(self.company_a)

    def test_search_group_and_order_per_company(self):
        self._compute(self.company_b, self.company_a)
        domain = [("id", "in", self.customers.ids)]
        for company, champion, scores in (
            (
                self.company_a,
                self.shared,
                {"555": 1, "313": 1, "111": 1, False: 1},
            ),
            (self.company_b, self.big_b, {"555": 1, "111": 1, False: 2}),
        ):
            Partner = self.Partner.with_company(company)
            self.assertEqual(
                Partner.search(domain + [("rfm_score", "=", "555")]), champion
            )
            self.assertEqual(
                Partner.search(domain + [("rfm_monetary_score", ">=", 4)]), champion
            )
            self.assertEqual(
                Partner.search(
                    domain
                    + [("rfm_recency_days", "<=", 6), ("rfm_recency_days", ">", 0)]
                ),
                champion,
            )
            self.assertEqual(
                Partner.search(domain, order="rfm_monetary desc, id", limit=1),
                champion,
            )
            self.assertEqual(
                dict(Partner._read_group(domain, ["rfm_score"], ["__count"])),
                scores,
            )
            self.assertEqual(
                dict(
                    Partner._read_group(
                        domain + [("rfm_frequency", ">", 0)],
                        ["rfm_score"],
                        ["rfm_monetary:sum"],
                    )
                ),
                {
                    score: figures[2]
                    for figures in self.expected[company].values()
                    for score in [figures[3]]
                    if score
                },
            )

    def _matrices(self):
        """A matrix per company crossing a rule on the RFM score with the
        monetary value (thresholds in the company's currency)."""
        champions = self._rule_dimension(
            "Champions (per company)",
            [("Champion", "[('rfm_score', '=', '555')]"), ("Other", "[]")],
        )
        value = self._metric_dimension(
            "Value (per company)",
            "monetary",
            "threshold",
            [("Low", 0.0), ("High", 1000.0)],
        )
        (champions | value).company_id = False
        return {
            company: self.Matrix.with_company(company).create(
                {
                    "name": f"Champions x value {company.name}",
                    "company_id": company.id,
                    "row_dimension_id": champions.id,
                    "col_dimension_id": value.id,
                }
            )
            for company in (self.company_a, self.company_b)
        }

    def _cell_names(self, matrix):
        memberships = self.Membership.search([("matrix_id", "=", matrix.id)])
        return {m.partner_id: (m.cell_id.name, m.monetary) for m in memberships}

    def test_matrices_and_heat_maps_per_company(self):
        self._compute(self.company_a, self.company_b)
        matrices = self._matrices()
        # recomputed together, as the nightly job does, in company A's
        # environment: each matrix reads its own company's figures
        self.Matrix.browse([m.id for m in matrices.values()]).action_recompute()
        self.assertEqual(
            self._cell_names(matrices[self.company_a]),
            {
                self.shared: ("Champion / High", 2100.0),
                self.small_a: ("Other / Low", 100.0),
                self.own_a: ("Other / Low", 10.0),
            },
        )
        self.assertEqual(
            self._cell_names(matrices[self.company_b]),
            {
                self.shared: ("Other / Low", 400.0),
                self.big_b: ("Champion / High", 15000.0),
            },
        )
        # the shipped RFM matrix of each company (R score x FM score)
        # (the shipped one is the main company's)
        rfm = self.env.ref("crm_segmentation.crm_segment_matrix_rfm").sudo()
        for company, cell in (
            (self.company_a, ("5", "5")),
            (self.company_b, ("1", "1")),
        ):
            matrix = self.Matrix.search(
                [
                    ("company_id", "=", company.id),
                    ("row_dimension_id", "=", rfm.row_dimension_id.id),
                    ("col_dimension_id", "=", rfm.col_dimension_id.id),
                ]
            )
            matrix.action_recompute()
            membership = self._membership(matrix, self.shared)
            self.assertEqual(
                (
                    membership.row_level_id.threshold,
                    membership.col_level_id.threshold,
                ),
                tuple(float(score) for score in cell),
                company.name,
            )
        # the heat maps: the revenue of each cell in the company's currency
        for company, revenues in (
            (
                self.company_a,
                {("Champion", "High"): 2100.0, ("Other", "Low"): 110.0},
            ),
            (
                self.company_b,
                {("Champion", "High"): 15000.0, ("Other", "Low"): 400.0},
            ),
        ):
            data = matrices[company].with_company(company).heat_map_data()
            rows = {row["id"]: row["name"] for row in data["rows"]}
            cols = {col["id"]: col["name"] for col in data["cols"]}
            self.assertEqual(
                {
                    (rows[cell["row"]], cols[cell["col"]]): cell["revenue"]
                    for cell in data["cells"]
                    if cell["customers"]
                },
                revenues,
                company.name,
            )

    def test_migration_keeps_the_figures_and_computes_the_other_companies(self):
        """19.0.1.6.0: the plain columns of a database before the upgrade
        (one figure per partner: the last company computed, here B) become
        company-dependent: the value is kept for the partner's own company,
        else the main company, then every other company is computed."""
        self._compute(self.company_a, self.company_b)
        self.env.flush_all()
        main = main_company_id(self.env.cr)
        # as before the upgrade: plain columns, B's figures of the shared
        # customers, A's figures of A's own customer
        self.env.cr.execute(
            SQL(
                "ALTER TABLE res_partner %s",
                SQL(", ").join(
                    SQL(
                        "ALTER COLUMN %s TYPE %s USING "
                        "COALESCE(%s->>company_id::text, %s->>%s)::%s",
                        SQL.identifier(fname),
                        SQL(column_type),
                        SQL.identifier(fname),
                        SQL.identifier(fname),
                        str(self.company_b.id),
                        SQL(column_type),
                    )
                    for fname, column_type in RFM_TYPES.items()
                ),
            )
        )
        load_migration("crm_segmentation", "19.0.1.6.0", "pre-migrate").migrate(
            self.env.cr, "19.0.1.5.0"
        )
        self.env.cr.execute(
            "SELECT id, rfm_score, rfm_monetary FROM res_partner WHERE id = ANY(%s)",
            [self.customers.ids],
        )
        stored = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.assertEqual(
            stored[self.shared.id], ({str(main): "111"}, {str(main): 400.0})
        )
        self.assertEqual(
            stored[self.own_a.id],
            ({str(self.company_a.id): "111"}, {str(self.company_a.id): 10.0}),
        )
        self.assertEqual(stored[self.small_a.id], (None, None))
        self.env.invalidate_all()
        load_migration("crm_segmentation", "19.0.1.6.0").migrate(
            self.env.cr, "19.0.1.5.0"
        )
        self.env.invalidate_all()
        self.assertCompanyFigures(self.company_a)
        self.assertCompanyFigures(self.company_b)
