# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The nightly job's shares (issue 19, item 3): each scheduled action of the
job takes its own share of the customers, the shares never overlap and cover
them all; with one cron worker the first action does everything. Two real cron
workers running the shares: tests/test_parallel_cron.py."""

from odoo.fields import Domain
from odoo.tests import tagged

from ..batches import cron_shard, shard_domain
from .common import LifecycleCommon

METHOD = "_cron_lifecycle_nightly"


@tagged("post_install", "-at_install")
class TestNightlyShares(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Share customer {i}", "is_company": True} for i in range(9)]
        )
        cls.crons = cls.env.ref(
            "crm_lifecycle.ir_cron_lifecycle_nightly"
        ) | cls.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly_2")

    def _share(self, cron, workers):
        return cron_shard(self.env(context={"cron_id": cron.id}), METHOD, workers)

    def test_shares_partition_the_customers(self):
        Partner = self.env["res.partner"]
        mine = Domain("id", "in", self.customers.ids)
        for count in (2, 3):
            shares = [
                Partner.search(mine & shard_domain(i, count)) for i in range(count)
            ]
            self.assertEqual(sum(len(share) for share in shares), len(self.customers))
            self.assertEqual(Partner.union(*shares), self.customers)
            # the same shares in memory
            for i, share in enumerate(shares):
                self.assertEqual(
                    self.customers.filtered_domain(shard_domain(i, count)), share
                )
        self.assertEqual(shard_domain(0, 1), Domain.TRUE)

    def test_promises_shared_by_their_customer(self):
        contact = self.env["res.partner"].create(
            {"name": "Share contact", "parent_id": self.customers[0].id}
        )
        index = self.customers[0].id % 2
        on_customer = shard_domain(index, 2, "commercial_partner_id")
        self.assertIn(contact, self.env["res.partner"].search(on_customer))
        self.assertNotIn(
            contact,
            self.env["res.partner"].search(
                shard_domain(1 - index, 2, "commercial_partner_id")
            ),
        )

    def test_each_scheduled_action_its_share(self):
        first, second = self.crons.sorted("id")
        # two cron workers: one share each
        self.assertEqual(self._share(first, 2), (0, 2))
        self.assertEqual(self._share(second, 2), (1, 2))
        # one cron worker: the first action does everything, the second nothing
        self.assertEqual(self._share(first, 1), (0, 1))
        self.assertIsNone(self._share(second, 1))
        # a copy for a third worker: three shares
        third = first.copy({"name": "Third share"})
        self.assertEqual(self._share(third, 3), (2, 3))
        self.assertEqual(self._share(third, 2), None)
        # an archived action has no share; outside a scheduled action: all
        second.active = False
        self.assertEqual(self._share(third, 3), (1, 2))
        self.assertEqual(cron_shard(self.env, METHOD, 2), (0, 1))
        other = self.env.ref("crm_lifecycle.ir_cron_lifecycle_pending")
        self.assertEqual(self._share(other, 2), (0, 1))
