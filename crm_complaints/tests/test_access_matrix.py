# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from itertools import count

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.access_matrix import (
    BASE_PROFILES,
    AccessMatrixMixin,
)
from odoo.addons.crm_lifecycle.tests.test_access_matrix import (
    LIFECYCLE_MATRIX,
    LIFECYCLE_SPECS,
)

_seq = count()

COMPLAINT_PROFILES = {
    **BASE_PROFILES,
    "complaint_user": "crm_complaints.group_complaint_user",
    "complaint_manager": "crm_complaints.group_complaint_manager",
}


def _complaint(test, company, customer=None, owner=None, with_delivery=True):
    """A complaint of the matrix customer about its delivery, owned by the
    matrix complaint user (in company B: no documents, they live in A)."""
    values = {
        "subject": f"Matrix complaint {next(_seq)}",
        "partner_id": (customer or test.customer).id,
        "team_id": False,
        "user_id": (owner or test.matrix_users["complaint_user"]).id,
        "company_id": company.id,
    }
    if with_delivery and company == test.company_a and not customer:
        values["picking_id"] = test.picking.id
    return test.env["crm.complaint"].with_company(company).create(values)


def _report_line(test, company, **kwargs):
    complaint = _complaint(test, company, **kwargs)
    test.env.flush_all()
    return test.env["crm.complaint.report"].search(
        [("complaint_id", "=", complaint.id)]
    )


INTERNAL_READ = dict.fromkeys(
    (
        "employee",
        "salesman",
        "sales_manager",
        "accountant",
        "stock",
        "complaint_user",
    ),
    "r",
)

# Rights of each profile on a record it is meant to see (read, write, create,
# unlink); a profile not listed has none.
COMPLAINT_MATRIX = {
    "crm.complaint": {
        "portal": "r",  # their company's, through the portal
        "salesman": "r",  # their customers'
        "sales_manager": "r",
        "accountant": "r",
        "stock": "r",  # the ones about deliveries
        "complaint_user": "rwc",  # own, team's and unassigned
        "complaint_manager": "rwcu",
    },
    "crm.complaint.stage": {
        **INTERNAL_READ,
        "portal": "r",
        "complaint_manager": "rwcu",
    },
    "crm.complaint.category": {
        **INTERNAL_READ,
        "portal": "r",
        "complaint_manager": "rwcu",
    },
    "crm.complaint.team": {**INTERNAL_READ, "complaint_manager": "rwcu"},
    "crm.complaint.sla.policy": {**INTERNAL_READ, "complaint_manager": "rwcu"},
    "crm.complaint.report": {
        "salesman": "r",
        "sales_manager": "r",
        "complaint_user": "r",
        "complaint_manager": "r",
    },
}

COMPLAINT_SPECS = {
    "crm.complaint": {
        "record": _complaint,
        "write": {"priority": "2"},
        "create": lambda t: {"subject": "New", "partner_id": t.customer.id},
        "read_field": "subject",
        "company": True,
    },
    "crm.complaint.stage": {
        "record": lambda t, c: t.env["crm.complaint.stage"].create(
            {"name": "Matrix stage", "sequence": 900}
        ),
        "write": {"name": "Renamed"},
        "create": lambda t: {"name": "New", "sequence": 901},
    },
    "crm.complaint.category": {
        "record": lambda t, c: t.env["crm.complaint.category"].create(
            {"name": f"Matrix category {next(_seq)}", "company_id": c.id}
        ),
        "write": {"name": "Renamed"},
        "create": lambda t: {"name": "New"},
        "company": True,
    },
    "crm.complaint.team": {
        "record": lambda t, c: t.env["crm.complaint.team"].create(
            {"name": "Matrix team", "company_id": c.id}
        ),
        "write": {"name": "Renamed"},
        "create": lambda t: {"name": "New"},
        "company": True,
    },
    "crm.complaint.sla.policy": {
        "record": lambda t, c: t.env["crm.complaint.sla.policy"].create(
            {
                "name": "Matrix policy",
                "company_id": c.id,
                "active": False,
                "response_hours": 1,
                "resolution_hours": 2,
            }
        ),
        "write": {"name": "Renamed"},
        "create": lambda t: {"name": "New", "active": False},
        "company": True,
    },
    # a view in SQL: read only, for everybody
    "crm.complaint.report": {
        "record": _report_line,
        "ops": "r",
        "read_field": "name",
        "company": True,
    },
}


class ComplaintMatrixMixin(AccessMatrixMixin):
    @classmethod
    def _setup_matrix_documents(cls):
        env = cls.env
        cls.customer = env["res.partner"].create(
            {
                "name": "Matrix Customer",
                "is_company": True,
                "user_id": cls.matrix_users["salesman"].id,
            }
        )
        cls.matrix_users["portal"].partner_id.parent_id = cls.customer
        cls.other_customer = env["res.partner"].create(
            {"name": "Other Customer", "is_company": True}
        )
        product = env["product.product"].create(
            {"name": "Matrix Chair", "type": "consu", "list_price": 10.0}
        )
        order = env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        cls.picking = order.picking_ids
        order._create_invoices().action_post()


@tagged("post_install", "-at_install")
class TestComplaintAccessMatrix(ComplaintMatrixMixin, TransactionCase):
    """Every model of crm_complaints against every profile, from the table."""

    PROFILES = COMPLAINT_PROFILES
    MATRIX = COMPLAINT_MATRIX
    SPECS = COMPLAINT_SPECS
    LOGIN_PREFIX = "cmpm"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_access_matrix()
        cls._setup_matrix_documents()
        other_agent = new_test_user(
            cls.env,
            "cmpm_other_agent",
            groups="crm_complaints.group_complaint_user",
        )
        other_team = cls.env["crm.complaint.team"].create(
            {"name": "Other team", "user_id": other_agent.id}
        )

        def other_team_complaint(test):
            complaint = _complaint(test, test.company_a, owner=other_agent)
            complaint.team_id = other_team
            return complaint

        cls.HIDDEN = (
            ("crm.complaint", "complaint_user", other_team_complaint),
            (
                "crm.complaint",
                "portal",
                lambda t: _complaint(t, t.company_a, customer=t.other_customer),
            ),
            (
                "crm.complaint",
                "salesman",
                lambda t: _complaint(t, t.company_a, customer=t.other_customer),
            ),
            (
                "crm.complaint",
                "stock",
                lambda t: _complaint(t, t.company_a, with_delivery=False),
            ),
            (
                "crm.complaint.report",
                "salesman",
                lambda t: _report_line(t, t.company_a, customer=t.other_customer),
            ),
            (
                "crm.complaint.report",
                "complaint_user",
                lambda t: _report_line(t, t.company_a, owner=other_agent),
            ),
        )

    def test_access_matrix(self):
        self.check_access_matrix()

    def test_multi_company(self):
        self.check_multi_company()

    def test_record_rules(self):
        self.check_record_rules()

    def test_portal_reads_no_internal_field(self):
        """The internal analysis of a complaint is for employees, even when a
        portal user reads their own complaint over RPC."""
        complaint = _complaint(self, self.company_a)
        complaint.root_cause = "<p>Supplier batch 42</p>"
        portal = complaint.with_user(self.matrix_users["portal"])
        self.assertTrue(portal.read(["subject"]))
        for fname in ("root_cause", "corrective_action", "preventive_action"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                portal.read([fname])


@tagged("post_install", "-at_install")
class TestLifecycleMatrixForComplaintProfiles(AccessMatrixMixin, TransactionCase):
    """The complaint groups get the lifecycle rights of a salesperson (their
    implied group), no more. (The interactions follow the salesperson's record
    rule, proven in crm_lifecycle: the matrix record is another salesperson's.)"""

    PROFILES = {
        key: COMPLAINT_PROFILES[key]
        for key in ("salesman", "sales_manager", "complaint_user", "complaint_manager")
    }
    MATRIX = {
        model: dict(
            rights,
            complaint_user=rights.get("salesman", ""),
            complaint_manager=rights.get("salesman", ""),
        )
        for model, rights in LIFECYCLE_MATRIX.items()
        if model != "crm.interaction"
    }
    SPECS = LIFECYCLE_SPECS
    LOGIN_PREFIX = "cmplc"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_access_matrix()
        cls.stage_new = cls.env.ref("crm_lifecycle.stage_new_customer")

    def test_access_matrix(self):
        self.check_access_matrix()
