# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.crm_complaints.facts import COMPLAINTS
from odoo.addons.crm_lifecycle.tests.common import load_migration

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintFacts(ComplaintCommon):
    """crm_complaints adds a group of behaviour facts to the customer lifecycle
    through ``res.partner._lifecycle_fact_groups``: rules, the nightly job and
    the segmentation use it like the facts of crm_lifecycle."""

    def test_addon_adds_its_fact_group(self):
        Partner = self.env["res.partner"]
        groups = Partner._lifecycle_fact_groups()
        self.assertIs(groups["complaints"], COMPLAINTS)
        # the groups of crm_lifecycle are still there (super())
        self.assertLessEqual(
            {"sales", "invoices", "payments", "leads", "interactions"}, set(groups)
        )
        self.assertIn("complaint_recent_count", Partner._lifecycle_fact_fields())
        for code in ("complaint_opened", "complaint_closed"):
            self.assertEqual(
                self.env["crm.lifecycle.event"]._get_by_code(code)._get_fact_groups(),
                ("complaints", "interactions"),
            )
        self.assertEqual(
            self.env["crm.lifecycle.event"]
            ._get_by_code("complaint_sla_breached")
            ._get_fact_groups(),
            ("complaints",),
        )

    def test_complaints_counted_by_the_event(self):
        self.assertEqual(self.customer_a.complaint_recent_count, 0)
        self._create_complaint()
        self._create_complaint(partner_id=self.contact_a.id, kind="claim")
        self._create_complaint(kind="question")
        self.assertEqual(self.customer_a.complaint_recent_count, 2)
        self.assertEqual(self.customer_b.complaint_recent_count, 0)
        # older than 12 months: no longer counted once the facts are read again
        old = self._create_complaint()
        old.date_open = fields.Datetime.now() - timedelta(days=400)
        self.customer_a._lifecycle_refresh_facts()
        self.assertEqual(self.customer_a.complaint_recent_count, 2)

    def test_complaint_event_reads_only_its_groups(self):
        """A complaint event re-reads the complaint and interaction facts, in
        one query, and no other group."""
        customer = self.customer_a.sudo()
        groups = (
            self.env["crm.lifecycle.event"]._get_by_code("complaint_opened")
        )._get_fact_groups()
        self.env.flush_all()
        customer.mapped("complaint_recent_count")  # the values an event has
        with self.assertQueryCount(1):
            changed = customer._lifecycle_refresh_facts(groups, one_query=True)
        self.assertEqual(changed, {})
        # a stale sales fact stays as it is: the complaint did not read it
        self.env.cr.execute(
            "UPDATE res_partner SET lifecycle_order_count ="
            " jsonb_build_object(%s::text, 42) WHERE id = %s",
            (self.env.company.id, customer.id),
        )
        customer.invalidate_recordset(["lifecycle_order_count"])
        self._create_complaint()
        self.assertEqual(customer.complaint_recent_count, 1)
        self.assertEqual(customer.lifecycle_order_count, 42)

    def test_rule_on_the_complaint_fact(self):
        at_risk = self.env.ref("crm_lifecycle.stage_at_risk")
        self.env["crm.lifecycle.rule"].create(
            {
                "name": "At risk: three complaints in a year",
                "sequence": 1,
                "filter_domain": "[('complaint_recent_count', '>=', 3)]",
                "stage_id": at_risk.id,
                "allow_backward": True,
            }
        )
        for _i in range(2):
            self._create_complaint()
        self.assertNotEqual(self.customer_a.lifecycle_stage_id, at_risk)
        complaint = self._create_complaint()
        self.assertEqual(self.customer_a.lifecycle_stage_id, at_risk)
        move = self.env["crm.lifecycle.history"].search(
            [("partner_id", "=", self.customer_a.id)], order="id desc", limit=1
        )
        self.assertIn(complaint.name, move.reason_display)

    def test_complaint_facts_per_company(self):
        """A customer shared by two companies: each company counts its own
        complaints (and those of no company); the upgrade keeps a count
        computed before for the customer's company, else the main company."""
        other = self.env["res.company"].create({"name": "Complaints Two"})
        self.env.user.company_ids |= other
        team = (
            self.env["crm.complaint.team"]
            .with_company(other)
            .search([("company_id", "=", other.id)], limit=1)
        )
        self.assertTrue(team, "every company gets a complaint team")
        self._create_complaint()
        self.env["crm.complaint"].with_company(other).create(
            {
                "subject": "Late delivery",
                "partner_id": self.customer_a.id,
                "team_id": team.id,
                "company_id": other.id,
            }
        )
        self.env["crm.complaint"].with_company(other).create(
            {
                "subject": "Late again",
                "partner_id": self.customer_a.id,
                "team_id": team.id,
                "company_id": other.id,
            }
        )
        customer = self.customer_a
        customer.with_company(other)._lifecycle_refresh_facts(["complaints"])
        customer._lifecycle_refresh_facts(["complaints"])
        self.assertEqual(customer.complaint_recent_count, 1)
        self.assertEqual(customer.with_company(other).complaint_recent_count, 2)
        Partner = self.env["res.partner"]
        two = [("id", "=", customer.id), ("complaint_recent_count", ">=", 2)]
        self.assertFalse(Partner.search(two))
        self.assertEqual(Partner.with_company(other).search(two), customer)
        # the upgrade: a plain count becomes the main company's value
        self.env.flush_all()
        self.env.cr.execute(
            "ALTER TABLE res_partner ALTER COLUMN complaint_recent_count TYPE int4"
            " USING 5"
        )
        load_migration("crm_complaints", "19.0.1.5.0", "pre-migrate").migrate(
            self.env.cr, "19.0.1.4.0"
        )
        main = self.env.ref("base.main_company")
        key = str(customer.company_id.id or main.id)
        self.env.cr.execute(
            "SELECT complaint_recent_count FROM res_partner WHERE id = %s",
            [customer.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], {key: 5})
