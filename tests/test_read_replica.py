# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The suite on a PostgreSQL streaming replica (Odoo's ``db_replica_host``):
a throwaway primary cluster and its hot standby (tools/pg_replica.py), Odoo in
workers mode on both. The read-only pages and calls (the customer's timeline,
the heat map, the Collections list, the portal's complaint and delivery
lists) run on the replica and write nothing on the primary; filing a
complaint writes on the primary, and the page it leads to (read on the
primary) shows it even before the replica has it.

Which cluster ran what is read from their statement logs (``log_statement =
all``, with the application name, ``odoo-<pid>`` for Odoo)."""

import importlib.util
import os
import re
import shutil

import requests

from odoo.tools import config

from .odoo_server import serving
from .odoo_subprocess import DB_PREFIX, ROOT, odoo, shell_result

# on the throwaway cluster; the name keeps its filestore apart from other runs
DB = f"{DB_PREFIX}replica_{os.getpid()}"
PASSWORD = "replica-test-pw"  # noqa: S105  (throwaway users of a throwaway cluster)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

SETUP = f"""
from datetime import timedelta
from odoo import Command, fields

env.ref("base.user_admin").password = {PASSWORD!r}
customer = env["res.partner"].create(
    {{"name": "Replica customer", "is_company": True, "email": "c@replica.example.com"}}
)
portal = env["res.users"].create(
    {{
        "name": "Replica portal",
        "login": "replica_portal",
        "password": {PASSWORD!r},
        "email": "p@replica.example.com",
        "group_ids": [Command.set([env.ref("base.group_portal").id])],
    }}
)
portal.partner_id.parent_id = customer
product = env["product.product"].create(
    {{"name": "Replica product", "type": "consu", "list_price": 50}}
)
order = env["sale.order"].create(
    {{
        "partner_id": customer.id,
        "order_line": [
            Command.create({{"product_id": product.id, "product_uom_qty": 2}})
        ],
    }}
)
order.action_confirm()
picking = order.picking_ids
picking.move_ids.write({{"quantity": 2, "picked": True}})
picking.button_validate()
invoice = order._create_invoices()
invoice.invoice_date = fields.Date.today() - timedelta(days=60)
invoice.action_post()
env["crm.complaint"].create(
    {{"subject": "Replica first complaint", "partner_id": customer.id}}
)
matrix = env["crm.segment.matrix"].search([], limit=1)
matrix.action_recompute()
env.cr.commit()
result({{"customer": customer.id, "matrix": matrix.id, "picking": picking.name}})
"""


def _pg_replica():
    spec = importlib.util.spec_from_file_location(
        "pg_replica", ROOT / "tools" / "pg_replica.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _login_portal(url):
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=60)
    response = session.post(
        f"{url}/web/login",
        data={
            "login": "replica_portal",
            "password": PASSWORD,
            "csrf_token": CSRF.search(page.text).group(1),
            "redirect": "/my",
        },
        timeout=60,
    )
    assert response.status_code == 200
    return session


def _login_admin(url):
    session = requests.Session()
    response = session.post(
        f"{url}/web/session/authenticate",
        json={"params": {"db": DB, "login": "admin", "password": PASSWORD}},
        timeout=60,
    )
    assert response.json().get("result"), response.text
    return session


def _call(session, url, model, method, *args, **kwargs):
    response = session.post(
        f"{url}/web/dataset/call_kw/{model}/{method}",
        json={
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs}
        },
        timeout=60,
    )
    body = response.json()
    assert "error" not in body, body
    return body["result"]


def _writes(statements):
    """The statements that change data (Odoo's device log aside: core records
    the user's device on the primary, at most once per session and hour)."""
    return [
        s
        for s in statements
        if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", s, re.IGNORECASE)
        and "res_device_log" not in s
    ]


def test_read_pages_on_the_replica_writes_on_the_primary():
    pg_replica = _pg_replica()
    try:
        with pg_replica.primary_and_replica() as clusters:
            _run(clusters)
    finally:
        shutil.rmtree(config.filestore(DB), ignore_errors=True)


def _run(clusters):
    odoo(
        DB,
        "-i",
        "crm_complaints,crm_segmentation",
        *clusters.odoo_primary_args,
    )
    data = shell_result(DB, SETUP, args=clusters.odoo_primary_args)
    clusters.wait_replayed()
    with serving(DB, "--workers=2", "--max-cron-threads=0", *clusters.odoo_args) as (
        url,
        _log,
    ):
        portal = _login_portal(url)
        admin = _login_admin(url)
        # warm up (the registry, the assets, the device logs), then measure
        portal.get(f"{url}/my/complaints", timeout=60)
        clusters.wait_replayed()
        mark = clusters.mark()

        # the portal's lists
        page = portal.get(f"{url}/my/complaints", timeout=60)
        assert page.status_code == 200 and "Replica first complaint" in page.text
        page = portal.get(f"{url}/my/deliveries", timeout=60)
        assert page.status_code == 200 and data["picking"] in page.text
        page = portal.get(f"{url}/my/complaints/new", timeout=60)
        assert page.status_code == 200
        # the customer's timeline (its list, grouped by day)
        timeline = _call(
            admin,
            url,
            "crm.interaction",
            "web_read_group",
            [("partner_id", "=", data["customer"])],
            ["date:day"],
            ["__count"],
        )
        assert timeline["length"] >= 1
        # the heat map (a pivot: customers counted per cell)
        cells = _call(
            admin,
            url,
            "crm.segment.membership",
            "formatted_read_group",
            [("matrix_id", "=", data["matrix"])],
            ["row_level_id", "col_level_id"],
            ["__count"],
        )
        assert isinstance(cells, list)
        # the Collections list
        overdue = _call(
            admin,
            url,
            "res.partner",
            "web_search_read",
            [("id", "=", data["customer"])],
            {"display_name": {}, "lifecycle_overdue_amount": {}},
        )
        assert [r["id"] for r in overdue["records"]] == [data["customer"]]

        on_replica = clusters.statements("replica", mark)
        on_primary = clusters.statements("primary", mark)
        assert len(on_replica) > 20
        assert not _writes(on_primary), _writes(on_primary)
        # nothing but the device log and the session checks on the primary
        assert len(on_primary) < len(on_replica) / 4, on_primary

        # filing a complaint writes on the primary; its page (on the primary)
        # shows it at once, whatever the replica's delay
        mark = clusters.mark()
        form = portal.get(f"{url}/my/complaints/new", timeout=60)
        response = portal.post(
            f"{url}/my/complaints/new",
            data={
                "csrf_token": CSRF.search(form.text).group(1),
                "subject": "Filed under replication",
                "description": "Arrived broken",
                "kind": "complaint",
            },
            timeout=60,
        )
        assert response.status_code == 200
        assert "Filed under replication" in response.text
        assert re.search(r"/my/complaints/\d+", response.url)
        written = _writes(clusters.statements("primary", mark))
        assert any('INSERT INTO "crm_complaint"' in s for s in written), written
        assert not _writes(clusters.statements("replica", mark))
        clusters.wait_replayed()
        page = portal.get(f"{url}/my/complaints", timeout=60)
        assert "Filed under replication" in page.text
