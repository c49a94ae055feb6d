"""Benchmarks of crm_lifecycle's hot paths (see `make bench`).

    .venv/bin/python tools/bench_lifecycle.py [--customers 100000] [--docs 1000]
        [--only daily,cron,views] [--keep] [--markdown FILE]

- daily:  confirming, delivering and invoicing N orders one by one in a database with
          Odoo alone and in one with the suite (same data, same run): time and ratio.
- cron:   the nightly lifecycle job over many customers, generated with bulk SQL
          (orders, invoices, receivable items, interactions); 1% of them cross the
          "at risk" threshold that night.
- views:  the customer list, kanban and form (the RPC each view makes) with many
          customers and interactions: queries and time per request, with and without
          the suite, and at two data sizes (queries must not grow with data).

Prints a table and, with --markdown, writes it.
"""

import argparse
import sys
from datetime import datetime, timedelta

from bench_common import (
    bulk_done,
    clock,
    create_customers,
    createdb,
    dropdb,
    insert_customers,
    insert_invoices,
    log,
    measure,
    odoo_env,
    record,
    write_markdown,
)

CORE = "crm,sale_management,account,sale_stock"
SUITE = "crm_lifecycle"


# ---------------------------------------------------------------------------
# Daily work: orders, deliveries, invoices, with and without the suite
# ---------------------------------------------------------------------------


def daily_prepare(env, count):
    from odoo.fields import Command

    partners = create_customers(env, "Daily customer", count // 10)
    product = env["product.product"].create(
        {"name": "Bench chair", "type": "consu", "list_price": 100.0}
    )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partners[i % len(partners)].id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": 2, "tax_ids": []}
                    )
                ],
            }
            for i in range(count)
        ]
    )
    env.cr.commit()
    return orders


def confirm(env, orders):
    for order in orders:
        order.action_confirm()
        env.flush_all()


def deliver(env, orders):
    for picking in orders.picking_ids:
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        env.flush_all()


def email(env, orders):
    """A customer-facing e-mail on each order, from the chatter; the commit is
    measured too (the suite logs the e-mails then). Queued, not sent: the same
    on both sides, and no mail server is needed."""
    from markupsafe import Markup

    for order in orders:
        order.with_context(mail_notify_force_send=False).message_post(
            body=Markup("<p>Your order is confirmed.</p>"),
            partner_ids=order.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        env.flush_all()
    env.cr.commit()


def post(env, orders):
    for invoice in orders.invoice_ids.filtered(lambda move: move.state == "draft"):
        invoice.action_post()
        env.flush_all()


def bench_daily(count, keep, chunk=50):
    """Same work in both databases, interleaved by chunks so that the load of
    the machine weighs the same on both sides."""
    createdb("crm_bench_core", CORE)
    createdb("crm_bench_suite", SUITE)
    totals = {db: {} for db in ("crm_bench_core", "crm_bench_suite")}
    with (
        odoo_env("crm_bench_core") as core_env,
        odoo_env("crm_bench_suite") as suite_env,
    ):
        envs = {"crm_bench_core": core_env, "crm_bench_suite": suite_env}
        orders = {db: daily_prepare(env, count) for db, env in envs.items()}
        steps = (
            ("confirm", confirm),
            ("email", email),
            ("deliver", deliver),
            ("post", post),
        )
        for step, func in steps:
            if step == "post":
                for db, env in envs.items():
                    orders[db]._create_invoices(grouped=True)
                    env.cr.commit()
            for start in range(0, count, chunk):
                for db, env in envs.items():
                    batch = orders[db][start : start + chunk]
                    with measure(env.cr) as m:
                        func(env, batch)
                    env.cr.commit()
                    total = totals[db].setdefault(step, {"seconds": 0.0, "queries": 0})
                    total["seconds"] += m["seconds"]
                    total["queries"] += m["queries"]
    core, suite = totals["crm_bench_core"], totals["crm_bench_suite"]
    for key, label in (
        ("confirm", f"confirm {count} orders"),
        ("email", f"send {count} customer e-mails from the chatter"),
        ("deliver", f"validate {count} deliveries"),
        ("post", f"post {count} invoices"),
    ):
        ratio = suite[key]["seconds"] / core[key]["seconds"]
        record(
            "daily",
            f"{label}: Odoo alone / with the suite",
            f"{core[key]['seconds']:.1f} / {suite[key]['seconds']:.1f}",
            "s",
            f"ratio {ratio:.2f}x (target <= 1.15x); queries "
            f"{core[key]['queries']} / {suite[key]['queries']}",
        )
    if not keep:
        for name in ("crm_bench_core", "crm_bench_suite"):
            dropdb(name)


# ---------------------------------------------------------------------------
# Bulk data for the nightly job and the views
# ---------------------------------------------------------------------------


def generate(env, customers, interactions_per_customer, today):
    """Customers with 4 confirmed orders, 4 posted invoices, 1 open receivable item
    and N interactions each, with bulk SQL (a few seconds for 100k customers).
    1% of the customers bought last exactly 181 days before `today`."""
    from odoo.tools import SQL

    cr = env.cr
    company = env.company
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable")], limit=1
    )
    currency = company.currency_id.id
    t0 = clock()
    first_id = insert_customers(env, customers)
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_customer AS
            SELECT id, row_number() OVER (ORDER BY id) AS n
              FROM res_partner
             WHERE id > %s AND name LIKE 'Bench customer %%'
            """,
            first_id,
        )
    )
    # 4 orders per customer; the last one 181 days ago for 1% of them
    cr.execute(
        SQL(
            """
            INSERT INTO sale_order (name, partner_id, partner_invoice_id,
                                    partner_shipping_id, company_id, date_order,
                                    state, picking_policy, currency_id,
                                    amount_untaxed, amount_total,
                                    create_date, write_date)
            SELECT 'BS' || c.id || '-' || k, c.id, c.id, c.id, %(company)s,
                   CASE WHEN c.n %% 100 = 0
                        THEN %(today)s::timestamp - interval '181 days'
                             - (k - 1) * interval '30 days'
                        ELSE %(today)s::timestamp - ((c.n * 7 + k * 13) %% 170)
                             * interval '1 day' - k * interval '1 hour'
                   END,
                   'sale', 'direct', %(currency)s, 100 * k, 121 * k, now(), now()
              FROM bench_customer c, generate_series(1, 4) k
            """,
            company=company.id,
            today=today,
            currency=currency,
        )
    )
    insert_invoices(
        env,
        SQL(
            """
            SELECT 'BINV/' || so.id, so.partner_id, so.date_order::date,
                   so.amount_untaxed, so.amount_total
              FROM sale_order so
             WHERE so.partner_id > %s AND so.name LIKE 'BS%%'
            """,
            first_id,
        ),
    )
    # one open receivable item per customer, overdue for half of them
    cr.execute(
        SQL(
            """
            INSERT INTO account_move_line (move_id, partner_id, company_id,
                                           account_id, journal_id, currency_id,
                                           date, date_maturity, display_type,
                                           parent_state, debit, credit, balance,
                                           amount_currency, amount_residual,
                                           amount_residual_currency, reconciled,
                                           no_followup, name, create_date,
                                           write_date)
            SELECT DISTINCT ON (m.partner_id) m.id, m.partner_id, m.company_id,
                   %(account)s, m.journal_id, m.currency_id, m.date,
                   CASE WHEN m.partner_id %% 2 = 0 THEN %(today)s::date - 10
                        ELSE %(today)s::date + 20 END,
                   'payment_term', 'posted', m.amount_total_signed, 0,
                   m.amount_total_signed, m.amount_total_signed,
                   m.amount_total_signed, m.amount_total_signed, FALSE, FALSE,
                   'bench', now(), now()
              FROM account_move m
             WHERE m.partner_id > %(first_id)s AND m.name LIKE 'BINV/%%'
          ORDER BY m.partner_id, m.date DESC
            """,
            first_id=first_id,
            account=receivable.id,
            today=today,
        )
    )
    if interactions_per_customer:
        cr.execute(
            SQL(
                """
                INSERT INTO crm_interaction (name, partner_id, company_id, date,
                                             interaction_type, direction, channel,
                                             is_automatic, create_date, write_date)
                SELECT 'Bench call ' || k, c.id, %(company)s,
                       %(today)s::timestamp - ((c.n + k * 17) %% 400)
                       * interval '1 day', 'call', 'outbound', 'phone', FALSE,
                       now(), now()
                  FROM bench_customer c, generate_series(1, %(count)s) k
                """,
                company=company.id,
                today=today,
                count=interactions_per_customer,
            )
        )
    cr.execute("DROP TABLE bench_customer")
    bulk_done(env)
    return clock() - t0


def bench_cron(customers, keep):
    from freezegun import freeze_time

    dbname = "crm_bench_cron"
    createdb(dbname, SUITE)
    today = datetime.now().replace(hour=2, minute=0, second=0, microsecond=0)
    yesterday = today - timedelta(days=1)
    with odoo_env(dbname) as env:
        seconds = generate(env, customers, 10, today.date())
        record(
            "cron",
            f"generate {customers} customers, {customers * 8} documents, "
            f"{customers * 10} interactions (SQL)",
            f"{seconds:.1f}",
            "s",
        )
        partners = env["res.partner"].search([("name", "like", "Bench customer")])
        with freeze_time(yesterday):
            t0 = clock()
            partners._lifecycle_refresh_facts()
            env["res.partner"]._lifecycle_initial_evaluation()
            env.cr.commit()
            record(
                "cron",
                "facts and placement at installation (yesterday)",
                f"{clock() - t0:.1f}",
                "s",
            )
        env.invalidate_all()
        with freeze_time(today):
            with measure(env.cr) as m:
                env["res.partner"]._cron_lifecycle_nightly()
            moved = env["crm.lifecycle.history"].search_count(
                [("date", ">=", today - timedelta(minutes=1))]
            )
        record(
            "cron",
            f"nightly lifecycle job over {customers} customers",
            f"{m['seconds']:.1f}",
            "s",
            f"target < 60 s; {m['queries']} queries; {moved} customers moved",
        )
    if not keep:
        dropdb(dbname)


# ---------------------------------------------------------------------------
# Views: list, kanban and form requests
# ---------------------------------------------------------------------------


def view_requests(env):
    """The field specification of the web_search_read / web_read calls the
    partner list, kanban and form views make (fields of the arch, as the web
    client asks for them: many2one with their display name)."""
    from lxml import etree

    Partner = env["res.partner"]
    requests = {}
    for view_type, view_ref in (
        ("list", "base.view_partner_tree"),
        ("kanban", "base.res_partner_kanban_view"),
        ("form", "base.view_partner_form"),
    ):
        view = env.ref(view_ref)
        arch = Partner.get_views([(view.id, view_type)])["views"][view_type]["arch"]
        spec = {}
        for node in etree.fromstring(arch).iter("field"):
            field = Partner._fields.get(node.get("name"))
            if not field or field.type in ("one2many", "many2many", "properties"):
                continue
            if field.type == "many2one":
                spec[field.name] = {"fields": {"display_name": {}}}
            else:
                spec[field.name] = {}
        requests[view_type] = spec
    return requests


def time_views(env, partner_domain):
    Partner = env["res.partner"]
    specs = view_requests(env)
    out = {}
    for view_type in ("list", "kanban"):
        env.invalidate_all()
        with measure(env.cr) as m:
            Partner.web_search_read(
                partner_domain, specs[view_type], limit=80, count_limit=10001
            )
        out[view_type] = m
    record_id = Partner.search(partner_domain, limit=1, order="id desc").id
    env.invalidate_all()
    with measure(env.cr) as m:
        Partner.browse(record_id).web_read(specs["form"])
    out["form"] = m
    return out


def bench_views(customers, keep):
    results_by_db = {}
    today = datetime.now().date()
    for dbname, modules, interactions in (
        ("crm_bench_views_core", CORE, 0),
        ("crm_bench_views_suite", SUITE, 10),
    ):
        createdb(dbname, modules)
        with odoo_env(dbname) as env:
            small = generate(env, customers // 10, interactions, today)
            log(f"{dbname}: {customers // 10} customers in {small:.1f}s")
            domain = [("is_company", "=", True)]
            first = time_views(env, domain)
            generate(env, customers - customers // 10, interactions, today)
            if SUITE in modules:
                env["res.partner"].search(domain)._lifecycle_refresh_facts()
                env.cr.commit()
            second = time_views(env, domain)
            results_by_db[dbname] = (first, second)
        if not keep:
            dropdb(dbname)
    core_small, core_big = results_by_db["crm_bench_views_core"]
    suite_small, suite_big = results_by_db["crm_bench_views_suite"]
    for view_type in ("list", "kanban", "form"):
        record(
            "views",
            f"customer {view_type}: queries at {customers // 10} / {customers} "
            "customers",
            f"{suite_small[view_type]['queries']} / {suite_big[view_type]['queries']}",
            "queries",
            f"Odoo alone {core_small[view_type]['queries']} / "
            f"{core_big[view_type]['queries']}",
        )
        record(
            "views",
            f"customer {view_type}: time with {customers} customers, "
            f"{customers * 10} interactions",
            f"{suite_big[view_type]['seconds'] * 1000:.0f}",
            "ms",
            f"Odoo alone {core_big[view_type]['seconds'] * 1000:.0f} ms",
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--only", default="daily,cron,views")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    sections = set(args.only.split(","))
    if "daily" in sections:
        bench_daily(args.docs, args.keep)
    if "cron" in sections:
        bench_cron(args.customers, args.keep)
    if "views" in sections:
        bench_views(args.customers, args.keep)
    if args.markdown:
        write_markdown(args.markdown, title="crm_lifecycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
