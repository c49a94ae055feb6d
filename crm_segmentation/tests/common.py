# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.fields import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


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
    def _invoices(cls, specs, company=None):
        """Post invoices: specs are (partner, days ago, amount[, move type])."""
        company = company or cls.company
        moves = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                [
                    {
                        "move_type": spec[3] if len(spec) > 3 else "out_invoice",
                        "partner_id": spec[0].id,
                        "invoice_date": cls.today - timedelta(days=spec[1]),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Office chairs",
                                    "quantity": 1,
                                    "price_unit": spec[2],
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                    for spec in specs
                ]
            )
        )
        moves.action_post()
        return moves

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
