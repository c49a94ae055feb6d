# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from itertools import count

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged

from .access_matrix import AccessMatrixMixin

_seq = count()


def _customer(test, company, user=None):
    return test.env["res.partner"].create(
        {
            "name": f"Matrix customer {next(_seq)}",
            "is_company": True,
            "user_id": (user or test.matrix_users["salesman"]).id,
            "company_id": False,
        }
    )


def _stage(test, company):
    return test.env["crm.lifecycle.stage"].create(
        {
            "name": "Matrix stage",
            "code": f"matrix_{next(_seq)}",
            "sequence": 500,
            "company_id": company.id,
        }
    )


def _interaction(test, company, user=None):
    return (
        test.env["crm.interaction"]
        .with_company(company)
        .create(
            {
                "name": "Matrix call",
                "partner_id": _customer(test, company, user).id,
                "company_id": company.id,
            }
        )
    )


def _history(test, company):
    return test.env["crm.lifecycle.history"].create(
        {
            "partner_id": _customer(test, company).id,
            "company_id": company.id,
            "stage_to_id": test.stage_new.id,
        }
    )


def _pending(test, company):
    return test.env["crm.lifecycle.pending"].create(
        {
            "partner_id": _customer(test, company).id,
            "event_id": test.env.ref("crm_lifecycle.event_interaction_logged").id,
        }
    )


def _entry_action(test, company):
    return test.env["crm.lifecycle.entry.action"].create(
        {
            "name": "Matrix action",
            "stage_id": _stage(test, company).id,
            "action_type": "activity",
            "activity_type_id": test.env.ref("mail.mail_activity_data_call").id,
        }
    )


def _entry_action_log(test, company):
    history = _history(test, company)
    return test.env["crm.lifecycle.entry.action.log"].create(
        {
            "action_id": _entry_action(test, company).id,
            "partner_id": history.partner_id.id,
            "entry_model": history._name,
            "entry_id": history.id,
        }
    )


def _transfer(test, company):
    # transient: only its creator sees it (the sales manager's own wizard)
    manager = test.matrix_users["sales_manager"]
    return (
        test.env["crm.portfolio.transfer"]
        .with_user(manager)
        .create(
            {
                "from_user_id": test.matrix_users["salesman"].id,
                "to_user_id": manager.id,
            }
        )
        .sudo()
    )


# Rights of each profile on a record it is meant to see (read, write, create,
# unlink); a profile not listed has none.
LIFECYCLE_MATRIX = {
    "crm.lifecycle.stage": {
        "employee": "r",
        "salesman": "r",
        "accountant": "r",
        "stock": "r",
        "sales_manager": "rwcu",
    },
    "crm.lifecycle.event": {
        "employee": "r",
        "salesman": "r",
        "accountant": "r",
        "stock": "r",
        "sales_manager": "rwc",
    },
    "crm.lifecycle.rule": {"salesman": "r", "sales_manager": "rwcu"},
    "crm.lifecycle.history": {
        "salesman": "r",
        "accountant": "r",
        "sales_manager": "rwu",
    },
    # accountants log collection calls and payment promises without sales rights
    "crm.interaction": {
        "salesman": "rwc",
        "accountant": "rwc",
        "sales_manager": "rwcu",
    },
    "crm.interaction.reason": {
        "employee": "r",
        "salesman": "r",
        "accountant": "r",
        "stock": "r",
        "sales_manager": "rwcu",
    },
    "crm.portfolio.transfer": {"sales_manager": "rwcu"},
    # the deferred-events queue is the job's alone (it runs as superuser)
    "crm.lifecycle.pending": {},
    "crm.lifecycle.entry.action": {"salesman": "r", "sales_manager": "rwcu"},
    # written by the actions alone (as superuser): read by the managers
    "crm.lifecycle.entry.action.log": {"sales_manager": "r"},
}

LIFECYCLE_SPECS = {
    "crm.lifecycle.stage": {
        "record": _stage,
        "write": {"name": "Renamed"},
        "create": lambda t: {"name": "New", "code": f"new_{next(_seq)}"},
        "company": True,
    },
    "crm.lifecycle.event": {
        "record": lambda t, c: t.env["crm.lifecycle.event"].create(
            {"name": "Matrix event", "code": f"matrix_{next(_seq)}"}
        ),
        "write": {"name": "Renamed"},
        "create": lambda t: {"name": "New", "code": f"new_{next(_seq)}"},
    },
    "crm.lifecycle.rule": {
        "record": lambda t, c: t.env["crm.lifecycle.rule"].create(
            {
                "name": "Matrix rule",
                "stage_id": t.stage_new.id,
                "filter_domain": "[('id', '<', 0)]",
                "company_id": c.id,
            }
        ),
        "write": {"name": "Renamed"},
        "create": lambda t: {
            "name": "New",
            "stage_id": t.stage_new.id,
            "filter_domain": "[('id', '<', 0)]",
        },
        "company": True,
    },
    "crm.lifecycle.history": {
        "record": _history,
        "write": {"reason": "Corrected"},
        "create": lambda t: {
            "partner_id": _customer(t, t.company_a).id,
            "company_id": t.company_a.id,
            "stage_to_id": t.stage_new.id,
        },
        "company": True,
    },
    "crm.interaction": {
        "record": _interaction,
        "write": {"name": "Renamed"},
        "create": lambda t: {
            "name": "Promised to pay next week",
            "partner_id": _customer(t, t.company_a).id,
            "interaction_type": "payment_promise",
            "promise_date": fields.Date.today() + timedelta(days=7),
            "promise_amount": 100.0,
        },
        "company": True,
    },
    "crm.interaction.reason": {
        "record": lambda t, c: t.env["crm.interaction.reason"].create(
            {"name": "Matrix reason"}
        ),
        "write": {"name": "Renamed"},
        "create": lambda t: {"name": "New"},
    },
    "crm.portfolio.transfer": {
        "record": _transfer,
        "write": {"note": "Holidays"},
        "create": lambda t: {
            "from_user_id": t.matrix_users["salesman"].id,
            "to_user_id": t.matrix_users["sales_manager"].id,
        },
        "read_field": "note",
    },
    "crm.lifecycle.pending": {
        "record": _pending,
        "write": {"source_model": "sale.order"},
        "create": lambda t: {
            "partner_id": _customer(t, t.company_a).id,
            "event_id": t.env.ref("crm_lifecycle.event_interaction_logged").id,
        },
        "read_field": "source_model",
    },
    "crm.lifecycle.entry.action": {
        "record": _entry_action,
        "write": {"name": "Renamed"},
        "create": lambda t: {
            "name": "New",
            "stage_id": t.stage_new.id,
            "action_type": "activity",
            "activity_type_id": t.env.ref("mail.mail_activity_data_call").id,
        },
        "company": True,
    },
    "crm.lifecycle.entry.action.log": {
        "record": _entry_action_log,
        "write": {"message": "Rewritten"},
        "create": lambda t: {
            "action_id": _entry_action(t, t.company_a).id,
            "partner_id": _customer(t, t.company_a).id,
            "entry_model": "crm.lifecycle.history",
            "entry_id": 1,
        },
        "read_field": "message",
        "company": True,
    },
}


@tagged("post_install", "-at_install")
class TestLifecycleAccessMatrix(AccessMatrixMixin, TransactionCase):
    """Every model of crm_lifecycle against every profile, from the table."""

    MATRIX = LIFECYCLE_MATRIX
    SPECS = LIFECYCLE_SPECS
    LOGIN_PREFIX = "lcm"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_access_matrix()
        cls.stage_new = cls.env.ref("crm_lifecycle.stage_new_customer")
        cls.other_salesman = new_test_user(
            cls.env, "lcm_other_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.HIDDEN = (
            (
                "crm.interaction",
                "salesman",
                lambda t: _interaction(t, t.company_a, t.other_salesman),
            ),
        )

    def test_access_matrix(self):
        self.check_access_matrix()

    def test_multi_company(self):
        self.check_multi_company()

    def test_record_rules(self):
        self.check_record_rules()
