# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMailingSegmentAudience(TransactionCase):
    """A mailing to the customers of segments and lifecycle stages, resolved
    when it is sent; the contacts of company customers reachable; consent and
    blacklist respected."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage = cls.env["crm.lifecycle.stage"].search(
            [("kind", "=", "customer")], limit=1
        )
        Dimension = cls.env["crm.segment.dimension"]
        region = Dimension.create(
            {
                "name": "Region",
                "level_ids": [
                    Command.create(
                        {"name": "Spain", "domain": "[('country_id.code', '=', 'ES')]"}
                    )
                ],
            }
        )
        everyone = Dimension.create(
            {"name": "Everyone", "level_ids": [Command.create({"name": "All"})]}
        )
        cls.matrix = cls.env["crm.segment.matrix"].create(
            {
                "name": "Region x everyone",
                "row_dimension_id": region.id,
                "col_dimension_id": everyone.id,
            }
        )
        cls.matrix.action_generate_cells()
        cls.cell = cls.matrix.cell_ids.filtered(
            lambda c: c.row_level_id.name == "Spain" and c.col_level_id.name == "All"
        )
        spain = cls.env.ref("base.es")
        Partner = cls.env["res.partner"]
        cls.company = Partner.create(
            {
                "name": "Madrid Chairs",
                "is_company": True,
                "email": "info@madrid.example.com",
                "country_id": spain.id,
                "lifecycle_stage_id": cls.stage.id,
            }
        )
        cls.person = Partner.create(
            {
                "name": "Ana Buyer",
                "parent_id": cls.company.id,
                "email": "ana@madrid.example.com",
            }
        )
        cls.refused = Partner.create(
            {
                "name": "Refused",
                "is_company": True,
                "email": "refused@example.com",
                "country_id": spain.id,
                "lifecycle_stage_id": cls.stage.id,
            }
        )
        cls.refused.lifecycle_marketing_consent = "refused"
        cls.other = Partner.create(
            {
                "name": "Paris Desks",
                "is_company": True,
                "email": "info@paris.example.com",
                "country_id": cls.env.ref("base.fr").id,
                "lifecycle_stage_id": cls.stage.id,
            }
        )
        cls.matrix._recompute()
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Spring offer",
                "mailing_model_id": cls.env.ref("base.model_res_partner").id,
                "body_html": "<p>Hello</p>",
                "segment_cell_ids": [Command.set(cls.cell.ids)],
            }
        )

    def _recipients(self):
        return self.env["res.partner"].browse(self.mailing._get_recipients())

    def test_audience_resolved_when_sent(self):
        self.assertEqual(self._recipients(), self.company)
        self.assertEqual(self.mailing.total, 1)
        # the contacts of the company customers, on request
        self.mailing.segment_include_contacts = True
        self.assertEqual(self._recipients(), self.company | self.person)
        # a customer entering the segment after the mailing was prepared
        self.other.country_id = self.env.ref("base.es")
        self.matrix._recompute()
        self.assertEqual(self._recipients(), self.company | self.person | self.other)
        # segments and stages together: both must hold
        lost = self.env.ref("crm_lifecycle.stage_lost")
        self.mailing.segment_lifecycle_stage_ids = lost
        self.assertFalse(self._recipients())
        self.other._lifecycle_move(lost)
        self.assertEqual(self._recipients(), self.other)

    def test_blacklist_respected_when_sending(self):
        self.mailing.segment_include_contacts = True
        self.env["mail.blacklist"]._add("ana@madrid.example.com")
        self.mailing.action_send_mail()
        traces = self.mailing.mailing_trace_ids
        sent = traces.filtered(lambda t: t.trace_status != "cancel")
        self.assertEqual(sent.mapped("email"), ["info@madrid.example.com"])
        self.assertEqual(
            traces.filtered(lambda t: t.trace_status == "cancel").mapped("email"),
            ["ana@madrid.example.com"],
        )

    def test_no_audience_keeps_the_mailing_domain(self):
        self.mailing.segment_cell_ids = False
        self.assertIn(self.other, self._recipients())
