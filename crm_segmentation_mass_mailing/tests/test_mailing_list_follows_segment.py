# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

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
        # the customer already in it (the one who refused marketing is not)
        madrid = "info@madrid.example.com"
        self.assertEqual(self._emails(mailing_list), {madrid})
        # entering by the recompute
        self.other.country_id = self.env.ref("base.es")
        self.matrix._recompute()
        self.assertEqual(self._emails(mailing_list), {madrid, "info@paris.example.com"})
        # leaving it (another country): off the list
        self.other.country_id = self.env.ref("base.fr")
        self.matrix._recompute()
        self.assertEqual(self._emails(mailing_list), {madrid})
        # back in: subscribed again
        self.other.country_id = self.env.ref("base.es")
        self.matrix._recompute()
        self.assertEqual(self._emails(mailing_list), {madrid, "info@paris.example.com"})
        # a customer who unsubscribed by themselves stays unsubscribed
        mailing_list.subscription_ids.filtered(
            lambda s: s.contact_id.email_normalized == "info@paris.example.com"
        ).opt_out = True
        self.other.country_id = self.env.ref("base.fr")
        self.matrix._recompute()
        self.other.country_id = self.env.ref("base.es")
        self.matrix._recompute()
        self.assertEqual(self._emails(mailing_list), {madrid})
        self.assertEqual(len(mailing_list.subscription_ids), 2)

    def test_refused_consent_is_not_subscribed(self):
        mailing_list = self.env["mailing.list"].create(
            {"name": "Spain", "segment_cell_ids": [Command.set(self.cell.ids)]}
        )
        self.refused.country_id = self.env.ref("base.fr")
        self.matrix._recompute()
        self.refused.country_id = self.env.ref("base.es")
        self.matrix._recompute()
        self.assertEqual(self._emails(mailing_list), {"info@madrid.example.com"})

    def test_list_starting_to_follow_adds_the_customers_already_in(self):
        """The customers in the segment when the list starts following it are
        subscribed at once, with the same checks as those entering later: no
        address, refused consent, blacklisted address or an address that left
        the list are skipped."""
        spain = self.env.ref("base.es")
        Partner = self.env["res.partner"]
        no_email, black, left = Partner.create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "email": email,
                    "country_id": spain.id,
                    "lifecycle_stage_id": self.stage.id,
                }
                for name, email in (
                    ("No e-mail", False),
                    ("Black", "black@example.com"),
                    ("Left", "left@example.com"),
                )
            ]
        )
        self.env["mail.blacklist"]._add("black@example.com")
        self.matrix._recompute()
        self.assertEqual(
            (
                no_email | black | left | self.company | self.refused
            ).segment_membership_ids.cell_id,
            self.cell,
        )
        marketer = new_test_user(
            self.env,
            "follow_marketer",
            groups="sales_team.group_sale_salesman,"
            "mass_mailing.group_mass_mailing_user",
        )
        Lists = self.env["mailing.list"].with_user(marketer)
        # created following the segment
        followed = Lists.create(
            {"name": "Spain", "segment_cell_ids": [Command.set(self.cell.ids)]}
        )
        self.assertEqual(
            self._emails(followed), {"info@madrid.example.com", "left@example.com"}
        )
        # a list that starts following it later: "left" unsubscribed from it
        # before, and is not subscribed again
        later = Lists.create({"name": "Later"})
        self.env["crm.segment.mailing.list.wizard"]._subscribe(later.sudo(), left)
        later.sudo().subscription_ids.opt_out = True
        self.assertFalse(self._emails(later))
        later.segment_cell_ids = [Command.link(self.cell.id)]
        self.assertEqual(self._emails(later), {"info@madrid.example.com"})
        self.assertEqual(len(later.sudo().subscription_ids), 2)
        # following one more segment adds only its customers; renaming the
        # list or following the same segment again adds nobody
        later.write(
            {"name": "Later list", "segment_cell_ids": [Command.link(self.cell.id)]}
        )
        self.assertEqual(len(later.sudo().subscription_ids), 2)
        # the customers of another segment, France, are not on the list
        self.assertNotIn("info@paris.example.com", self._emails(later))

    def test_following_adds_the_members_in_a_fixed_number_of_queries(self):
        """Subscribing a segment's customers is set-based: as many queries
        for 3 customers as for 30."""
        spain = self.env.ref("base.es")

        def follow(count, start):
            customers = self.env["res.partner"].create(
                [
                    {
                        "name": f"Many {start + i}",
                        "is_company": True,
                        "email": f"many{start + i}@example.com",
                        "country_id": spain.id,
                        "lifecycle_stage_id": self.stage.id,
                    }
                    for i in range(count)
                ]
            )
            self.matrix._recompute()
            mailing_list = self.env["mailing.list"].create({"name": f"L{start}"})
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            mailing_list.segment_cell_ids = [Command.set(self.cell.ids)]
            self.env.flush_all()
            queries = self.cr.sql_log_count - before
            self.assertLessEqual(
                set(customers.mapped("email_normalized")), self._emails(mailing_list)
            )
            return queries

        follow(2, 900)  # warm the caches
        few = follow(3, 100)
        many = follow(30, 200)
        self.assertEqual(few, many)
