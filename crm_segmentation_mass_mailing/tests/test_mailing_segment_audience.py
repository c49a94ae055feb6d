# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import SegmentAudienceCommon


@tagged("post_install", "-at_install")
class TestMailingSegmentAudience(SegmentAudienceCommon):
    """A mailing to the customers of segments and lifecycle stages, resolved
    when it is sent; the contacts of company customers reachable; consent and
    blacklist respected."""

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

    def test_stages_of_the_mailing_company(self):
        """A customer shared by the companies has a stage in each: the
        audience by stage reads the stages of the mailing's company, whoever
        sends it and from whichever company."""
        company_b = self.env["res.company"].create({"name": "Company B"})
        lost = self.env.ref("crm_lifecycle.stage_lost")
        self.mailing.write(
            {
                "segment_cell_ids": False,
                "segment_lifecycle_stage_ids": lost.ids,
                "segment_company_id": company_b.id,
            }
        )
        self.assertFalse(self._recipients(), "nobody is lost for company B yet")
        self.other.with_company(company_b)._lifecycle_move(lost)
        self.assertEqual(self._recipients(), self.other)
        # company A's stage of the customer is another: a mailing of company
        # A sent from company B's environment still reads A's stages
        self.assertNotEqual(self.other.lifecycle_stage_id, lost)
        self.mailing.segment_company_id = self.env.company
        mailing_from_b = self.mailing.with_company(company_b)
        self.assertFalse(mailing_from_b._get_recipients())
