# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.fields import Command
from odoo.tests import tagged

from .common import SegmentAudienceCommon


@tagged("post_install", "-at_install")
class TestMailingListFollowsSegment(SegmentAudienceCommon):
    """A mailing list following a segment: subscribed on entering, taken off
    on leaving, consent and a customer's own opt-out respected."""

    def _emails(self, mailing_list):
        return set(
            mailing_list.subscription_ids.filtered(lambda s: not s.opt_out).mapped(
                "contact_id.email_normalized"
            )
        )

    def test_list_follows_the_segment(self):
        mailing_list = self.env["mailing.list"].create(
            {"name": "Spain", "segment_cell_ids": [Command.set(self.cell.ids)]}
        )
        # entering by the recompute
        self.other.country_id = self.env.ref("base.es")
        self.matrix._recompute()
        self.assertEqual(self._emails(mailing_list), {"info@paris.example.com"})
        # leaving it (another country): off the list
        self.other.country_id = self.env.ref("base.fr")
        self.matrix._recompute()
        self.assertFalse(self._emails(mailing_list))
        # back in: subscribed again
        self.other.country_id = self.env.ref("base.es")
        self.matrix._recompute()
        self.assertEqual(self._emails(mailing_list), {"info@paris.example.com"})
        # a customer who unsubscribed by themselves stays unsubscribed
        mailing_list.subscription_ids.opt_out = True
        self.other.country_id = self.env.ref("base.fr")
        self.matrix._recompute()
        self.other.country_id = self.env.ref("base.es")
        self.matrix._recompute()
        self.assertFalse(self._emails(mailing_list))
        self.assertEqual(len(mailing_list.subscription_ids), 1)

    def test_refused_consent_is_not_subscribed(self):
        mailing_list = self.env["mailing.list"].create(
            {"name": "Spain", "segment_cell_ids": [Command.set(self.cell.ids)]}
        )
        self.refused.country_id = self.env.ref("base.fr")
        self.matrix._recompute()
        self.refused.country_id = self.env.ref("base.es")
        self.matrix._recompute()
        self.assertFalse(self._emails(mailing_list))
