# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import models


class CrmSegmentHistory(models.Model):
    """Keep the mailing lists following segments in step with the moves."""

    _inherit = "crm.segment.history"

    def _segment_follow_lists(self, cell_field):
        """{mailing list: customers} of the lists following the cells named
        by ``cell_field`` of these moves, in one search."""
        cells = self[cell_field]
        result = defaultdict(lambda: self.env["res.partner"])
        if not cells:
            return result
        lists = (
            self.env["mailing.list"]
            .sudo()
            .search([("segment_cell_ids", "in", cells.ids)])
        )
        for mailing_list in lists:
            followed = mailing_list.segment_cell_ids
            for move in self:
                if move[cell_field] in followed and not (
                    # moving between two cells the list follows: stays
                    move.cell_from_id in followed and move.cell_to_id in followed
                ):
                    result[mailing_list] |= move.partner_id
        return result

    def _segment_left(self):
        res = super()._segment_left()
        left = self._segment_follow_lists("cell_from_id")
        if left:
            self.env["mailing.list"]._segment_follow({}, left)
        return res

    def _segment_entered(self):
        res = super()._segment_entered()
        entered = self.filtered("cell_to_id")._segment_follow_lists("cell_to_id")
        if entered:
            self.env["mailing.list"]._segment_follow(entered, {})
        return res
