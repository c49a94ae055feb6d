# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

import numpy as np

from odoo import fields
from odoo.fields import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_lifecycle.tests.common import post_invoices

from .. import clv_simulation

START = date(2025, 1, 1)
END = date(2025, 12, 31)


class SegmentationCommon(AccountTestInvoicingCommon):
    """Customers with real posted invoices and credit notes in a company of
    their own (the test company), plus helpers to build dimensions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # the accountant of the test company also manages the segmentation
        cls.env.user.group_ids += cls.env.ref(
            "crm_segmentation.group_segmentation_manager"
        )
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.Partner = cls.env["res.partner"]
        cls.Dimension = cls.env["crm.segment.dimension"]
        cls.Matrix = cls.env["crm.segment.matrix"]
        cls.Membership = cls.env["crm.segment.membership"]
        cls.History = cls.env["crm.segment.history"]

    @classmethod
    def _customers(cls, names, **values):
        return cls.Partner.create(
            [{"name": name, "is_company": True, **values} for name in names]
        )

    @classmethod
    def _invoices(cls, specs, company=None, currency=None):
        """Post invoices: specs are (partner, days ago, amount[, move type])."""
        return post_invoices(
            cls.env, cls.today, specs, currency, company or cls.company
        )

    @classmethod
    def _metric_dimension(cls, name, metric, binning, levels):
        """levels: (name, threshold) in sequence order."""
        return cls.Dimension.create(
            {
                "name": name,
                "dimension_type": "metric",
                "metric": metric,
                "binning": binning,
                "level_ids": [
                    Command.create(
                        {"name": level, "threshold": threshold, "sequence": seq}
                    )
                    for seq, (level, threshold) in enumerate(levels, start=1)
                ],
            }
        )

    @classmethod
    def _rule_dimension(cls, name, levels):
        """levels: (name, domain string) in sequence order."""
        return cls.Dimension.create(
            {
                "name": name,
                "dimension_type": "rule",
                "level_ids": [
                    Command.create({"name": level, "domain": domain, "sequence": seq})
                    for seq, (level, domain) in enumerate(levels, start=1)
                ],
            }
        )

    def _level(self, dimension, name):
        return dimension.level_ids.filtered(lambda level: level.name == name)

    def _cell(self, matrix, row, col):
        return matrix.cell_ids.filtered(
            lambda c: c.row_level_id == row and c.col_level_id == col
        )

    def _membership(self, matrix, partner):
        return self.Membership.search(
            [("matrix_id", "=", matrix.id), ("partner_id", "=", partner.id)]
        )


class ClvCommon(AccountTestInvoicingCommon):
    """Customers simulated from BG/NBD and Gamma-Gamma, made real posted
    invoices (see ``_simulate_customers``)."""

    @classmethod
    def _invoice_vals(cls, partner, day, amount, company_data=None, **values):
        company_data = company_data or cls.company_data
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": day,
            "date": day,
            "journal_id": company_data["default_journal_sale"].id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": cls.product_a.id,
                        "quantity": 1.0,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
            **values,
        }

    @classmethod
    def _post(cls, vals_list):
        moves = cls.env["account.move"].create(vals_list)
        moves.action_post()
        return moves

    @classmethod
    def _simulate_customers(cls):
        """Customers simulated from BG/NBD and Gamma-Gamma, made real invoices.
        Keeps the expected (x, t_x, T, m_x) at END, in days."""
        rng = np.random.default_rng(7)
        count = 120
        ages = rng.integers(120, 360, size=count)
        x, t_x = clv_simulation.simulate_bgnbd((0.9, 25.0, 0.6, 3.0), ages, seed=8)
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Customer {i}", "is_company": True} for i in range(count)]
        )
        vals_list = []
        cls.expected = {}
        for partner, age, repeat, last in zip(cls.customers, ages, x, t_x, strict=True):
            last = int(last)
            repeat = min(int(repeat), last)  # at most one purchase a day
            offsets = [0]
            if repeat:
                middle = rng.choice(np.arange(1, last), size=repeat - 1, replace=False)
                offsets += sorted(middle.tolist()) + [last]
            first = END - timedelta(days=int(age))
            amounts = np.round(rng.gamma(4.0, 25.0, size=len(offsets)), 2)
            for offset, amount in zip(offsets, amounts, strict=True):
                day = first + timedelta(days=offset)
                vals_list.append(cls._invoice_vals(partner, day, float(amount)))
            repeat_mean = float(np.mean(amounts[1:])) if repeat else 0.0
            cls.expected[partner.id] = (
                repeat,
                offsets[-1],
                int(age),
                repeat_mean,
                [first + timedelta(days=offset) for offset in offsets],
            )
        cls._post(vals_list)

    def _model(self, **values):
        # every company has its model from its creation
        model = self.Model._for_company(self.company)
        model.write(
            {
                "time_unit": "days",
                "horizon": 90,
                "discount_rate": 0.0,
                "date_history": END,
                "min_repeat_customers": 20,
                **values,
            }
        )
        return model

    def _expected_arrays(self, partners):
        rows = [self.expected[partner.id] for partner in partners]
        return [np.array([row[i] for row in rows], dtype=float) for i in range(4)]
