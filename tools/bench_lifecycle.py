"""Benchmarks of crm_lifecycle's hot paths (see `make bench`).

    .venv/bin/python tools/bench_lifecycle.py [--customers 100000] [--docs 1000]
        [--only daily,cron,views] [--keep] [--db-prefix crm_bench_] [--markdown FILE]

- daily:  confirming N orders, e-mailing the customer from each, validating their
          deliveries, posting and paying their invoices, one by one (each in its own
          transaction, as a request) in a database with Odoo alone, one with the
          suite updating the customers at once and one with the suite updating them
          in the background (same data, same run): time, CPU time, queries and
          ratio; and the background job's cost per document.
- cron:   the nightly lifecycle job (in a process of its own: time, queries,
          peak memory) over many customers, generated with bulk SQL
          (orders, invoices, receivable items, interactions); 1% of them cross the
          "at risk" threshold that night.
- views:  the customer list, kanban and form (the RPC each view makes) with many
          customers and interactions: queries and time per request, with and without
          the suite, and at two data sizes (queries must not grow with data).

Prints a table and, with --markdown, writes it.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
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
# the daily work is measured with the three addons a company installs
DAILY_SUITE = "crm_lifecycle,crm_segmentation,crm_complaints"
# names of the databases built here: <prefix>core, <prefix>suite, <prefix>cron...
DB_PREFIX = "crm_bench_"


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


def confirm(env, order):
    order.action_confirm()


def deliver(env, order):
    for picking in order.picking_ids:
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()


def email(env, order):
    """A customer-facing e-mail on the order, from the chatter (the suite logs
    it in the customer's timeline when the transaction commits). Queued, not
    sent: the same on both sides, and no mail server is needed."""
    from markupsafe import Markup

    order.with_context(mail_notify_force_send=False).message_post(
        body=Markup("<p>Your order is confirmed.</p>"),
        partner_ids=order.partner_id.ids,
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
    )


def post(env, order):
    order.invoice_ids.filtered(lambda move: move.state == "draft").action_post()


def pay(env, order):
    """The accountant registers the payment of the order's invoice (the
    register-payment wizard, as from the invoice's button)."""
    invoices = order.invoice_ids.filtered(lambda move: move.state == "posted")
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=invoices.ids
    ).create({})._create_payments()


DAILY_STEPS = (
    ("confirm", confirm, "confirm {count} orders"),
    ("email", email, "send {count} customer e-mails from the chatter"),
    ("deliver", deliver, "validate {count} deliveries"),
    ("post", post, "post {count} invoices"),
    ("pay", pay, "register {count} payments"),
)
DAILY_TARGET = 1.05


def bench_daily(count, keep, chunk=25):
    """Same work in three databases, each document in its own transaction as
    a user's request is (the commit is measured: what the suite does at
    commit counts), interleaved by chunks so that the load of the machine
    weighs the same on every side: Odoo alone, the suite updating the
    customers at once, and the suite updating them in the background (its
    job runs after each chunk, as every minute on a busy day, and is
    measured apart: the work moved out of the users' requests); each side
    goes first in one chunk out of three. Wall time
    and the CPU time of this process (Odoo's Python, which the load of other
    processes disturbs less) are both reported."""
    core_db, suite_db, background_db = (
        f"{DB_PREFIX}core",
        f"{DB_PREFIX}suite",
        f"{DB_PREFIX}background",
    )
    dbs = (core_db, suite_db, background_db)
    createdb(core_db, CORE)
    createdb(suite_db, DAILY_SUITE)
    createdb(background_db, DAILY_SUITE)
    totals = {db: {} for db in dbs}
    job = {}
    with (
        odoo_env(core_db) as core_env,
        odoo_env(suite_db) as suite_env,
        odoo_env(background_db) as background_env,
    ):
        background_env.company.lifecycle_event_processing = "background"
        background_env.cr.commit()
        envs = {core_db: core_env, suite_db: suite_env, background_db: background_env}
        orders = {db: daily_prepare(env, count) for db, env in envs.items()}
        background_job(background_env, {})  # the events of the preparation
        for step, func, _label in DAILY_STEPS:
            if step == "post":
                for db, env in envs.items():
                    orders[db]._create_invoices(grouped=True)
                    env.cr.commit()
                background_job(background_env, {})
            for start in range(0, count, chunk):
                # each side in turn first, second and last (the one right after
                # the background job, or before it, is not always the same)
                turn = (start // chunk) % len(dbs)
                for db in dbs[turn:] + dbs[:turn]:
                    env = envs[db]
                    total = totals[db].setdefault(
                        step, {"seconds": 0.0, "cpu": 0.0, "queries": 0}
                    )
                    for order in orders[db][start : start + chunk]:
                        cpu = time.process_time()
                        with measure(env.cr) as m:
                            func(env, order)
                            env.cr.commit()
                        total["cpu"] += time.process_time() - cpu
                        total["seconds"] += m["seconds"]
                        total["queries"] += m["queries"]
                background_job(background_env, job.setdefault(step, {}))
        same, customers = compare_customers(suite_env, background_env)
    record(
        "daily",
        "customers with the same stage and facts in the background as at once",
        f"{same} / {customers}",
        "",
        "after the last run of the job; stage, orders, invoiced and paid amounts, "
        "amounts due, interactions",
    )
    core = totals[core_db]
    for key, _func, label in DAILY_STEPS:
        for side, db, target in (
            ("with the suite", suite_db, ""),
            ("with the suite in the background", background_db, DAILY_TARGET),
        ):
            suite = totals[db]
            ratio = suite[key]["seconds"] / core[key]["seconds"]
            cpu_ratio = suite[key]["cpu"] / core[key]["cpu"]
            record(
                "daily",
                f"{label.format(count=count)}: Odoo alone / {side}",
                f"{core[key]['seconds']:.1f} / {suite[key]['seconds']:.1f}",
                "s",
                f"ratio {ratio:.2f}x"
                + (f" (target <= {target}x)" if target else "")
                + f"; CPU {core[key]['cpu']:.1f} / {suite[key]['cpu']:.1f} s, "
                f"{cpu_ratio:.2f}x; queries per document "
                f"{core[key]['queries'] / count:.1f} / "
                f"{suite[key]['queries'] / count:.1f}",
            )
        done = job[key]
        at_once = totals[suite_db][key]["seconds"] - core[key]["seconds"]
        record(
            "daily",
            f"{label.format(count=count)}: the background job, per document",
            f"{1000 * done['seconds'] / count:.1f}",
            "ms",
            f"CPU {1000 * done['cpu'] / count:.1f} ms, queries "
            f"{done['queries'] / count:.1f}, in {done['runs']} runs (one per "
            f"{chunk} documents); the same work at once costs "
            f"{1000 * at_once / count:.1f} ms per request",
        )
    if not keep:
        for name in dbs:
            dropdb(name)


def compare_customers(env, other_env):
    """(customers with the same stage and facts in both databases, customers):
    the daily customers, matched by name; their dates and times aside (the
    documents of the two databases are not made at the same second)."""

    def facts(env):
        partners = env["res.partner"].search([("name", "like", "Daily customer %")])
        fnames = [
            fname
            for fname in partners._lifecycle_prefetch_fields()
            if partners._fields[fname].type not in ("date", "datetime")
        ]
        rows = partners.read(fnames + ["name"])
        return {row.pop("name"): (row.pop("id"), row)[1] for row in rows}

    ours, theirs = facts(env), facts(other_env)
    same = sum(1 for name, row in ours.items() if theirs.get(name) == row)
    return same, len(ours)


def background_job(env, total):
    """Run the background job of the deferred lifecycle events (as the
    scheduler would) and add its time, CPU time and queries to ``total``."""
    cpu = time.process_time()
    with measure(env.cr) as m:
        env["crm.lifecycle.pending"]._cron_process()
        env.cr.commit()
    for key, value in (
        ("cpu", time.process_time() - cpu),
        ("seconds", m["seconds"]),
        ("queries", m["queries"]),
        ("runs", 1),
    ):
        total[key] = total.get(key, 0) + value
    left = env["crm.lifecycle.pending"].search_count([])
    if left:
        raise RuntimeError(f"the background job left {left} events")


# ---------------------------------------------------------------------------
# Bulk data for the nightly job and the views
# ---------------------------------------------------------------------------


def generate(env, customers, interactions_per_customer, today):
    """Customers with 4 confirmed orders, 4 posted invoices, 1 open receivable item
    and N interactions each, with bulk SQL (a few seconds for 100k customers).
    1% of the customers bought last exactly 181 days before `today`."""
    t0 = clock()
    first_id = insert_customers(env, customers)
    generate_documents(env, first_id, interactions_per_customer, today)
    bulk_done(env)
    return clock() - t0


def generate_documents(env, first_id, interactions_per_customer, today):
    """The documents of ``generate`` in the current company (in its currency)
    for the customers above ``first_id``, without ``bulk_done``: a customer
    shared by companies gets them in each company this is called for."""
    from odoo.tools import SQL

    cr = env.cr
    company = env.company
    receivable = env["account.account"].search(
        [
            ("account_type", "=", "asset_receivable"),
            ("company_ids", "in", company.id),
        ],
        limit=1,
    )
    currency = company.currency_id.id
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
               AND so.company_id = %s
            """,
            first_id,
            company.id,
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
               AND m.company_id = %(company)s
          ORDER BY m.partner_id, m.date DESC
            """,
            first_id=first_id,
            company=company.id,
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


NIGHTLY_TARGET = 30
NIGHTLY_RUNS = 3


def process_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def backend_cpu(cr):
    """CPU seconds of the PostgreSQL backend serving ``cr`` (a local server:
    read from /proc; None when it cannot be read)."""
    import os

    cr.execute("SELECT pg_backend_pid()")
    try:
        with open(f"/proc/{cr.fetchone()[0]}/stat", encoding="ascii") as stat:
            ticks = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(ticks[11]) + int(ticks[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak_memory():
    """Start the peak memory (VmHWM) of this process from its current size:
    a process started by a big one inherits its parent's peak (the 100,000
    customers the benchmark generated: ~900 MB measured as the job's)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
        clear_refs.write("5")


def memory_kb(key):
    """VmRSS (now) or VmHWM (peak) of this process, in kB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def nightly_job(dbname, today, full_check_days=None):
    """Run the nightly lifecycle job once, "today", and print its figures as
    JSON (called by bench_cron in a process of its own); with
    ``full_check_days``, that setting first (1: every fact of every customer
    re-read, as the first night after the installation)."""
    from freezegun import freeze_time

    today = datetime.fromisoformat(today)
    if full_check_days:
        with odoo_env(dbname) as env:
            env["ir.config_parameter"].sudo().set_param(
                "crm_lifecycle.full_check_days", full_check_days
            )
            env.cr.commit()
    with odoo_env(dbname) as env, freeze_time(today):
        before = memory_kb("VmRSS")
        reset_peak_memory()
        cpu = process_cpu()
        db_cpu = backend_cpu(env.cr)
        with measure(env.cr) as m:
            env["res.partner"]._cron_lifecycle_nightly()
        cpu = process_cpu() - cpu
        if db_cpu is not None:
            db_cpu = backend_cpu(env.cr) - db_cpu
        peak = memory_kb("VmHWM")
        after = memory_kb("VmRSS")
        moved = env["crm.lifecycle.history"].search_count(
            [("date", ">=", today - timedelta(minutes=1))]
        )
        env.cr.commit()
    print(
        json.dumps(
            {
                "seconds": m["seconds"],
                "cpu_seconds": cpu,
                "db_cpu_seconds": db_cpu,
                "queries": m["queries"],
                "moved": moved,
                "peak_mb": peak / 1024,
                "before_mb": before / 1024,
                "after_mb": after / 1024,
            }
        )
    )


def as_written_before(env, installed, since):
    """The write dates a normal night finds: each order and invoice last
    written on its own date, the customers when the suite was installed
    (``installed``), not all of them at the second the benchmark made them.
    The nightly job re-reads the facts only documents change for the
    customers whose documents were written since the day before their last
    check (``since``) and once a week for each customer; written all at once,
    they would all be."""
    cr = env.cr
    cr.execute("UPDATE sale_order SET write_date = date_order")
    cr.execute("UPDATE account_move SET write_date = date")
    cr.execute("UPDATE res_partner SET write_date = %s", [installed])
    cr.execute(
        "SELECT COUNT(DISTINCT partner_id) FROM sale_order WHERE write_date >= %s",
        [since],
    )
    log(f"customers with orders written since {since:%Y-%m-%d}: {cr.fetchone()[0]}")
    env.cr.commit()


def bench_cron(customers, keep):
    from freezegun import freeze_time

    dbname = f"{DB_PREFIX}cron"
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
        as_written_before(
            env, yesterday - timedelta(days=7), yesterday - timedelta(days=1)
        )
    import odoo.sql_db

    odoo.sql_db.close_db(dbname)
    # the rows the installation rewrote cleaned up before the night, as
    # autovacuum would (this machine's PostgreSQL runs without it)
    subprocess.run(["psql", "-qd", dbname, "-c", "VACUUM ANALYZE"], check=True)
    if keep:
        # a copy before the first night, to compare versions of the job on
        # the same data: `createdb -T <prefix>cron_night0 COPY` then
        # `bench_lifecycle.py --nightly-job COPY <today>`
        dropdb(f"{dbname}_night0")
        subprocess.run(["createdb", "-T", dbname, f"{dbname}_night0"], check=True)
        log(f"kept {dbname}_night0 (before the night of {today.isoformat()})")

    # the job runs in its own process, as in a cron worker: its peak memory
    # is its own; NIGHTLY_RUNS times, each on a copy of the same night, and
    # the median run is recorded (a shared machine's speed varies by a
    # quarter from one minute to the next)
    def night(run_index, *extra):
        copy = f"{dbname}_run{run_index}"
        dropdb(copy)
        subprocess.run(["createdb", "-T", dbname, copy], check=True)
        run = subprocess.run(
            [sys.executable, __file__, "--nightly-job", copy, today.isoformat()]
            + list(extra),
            check=True,
            capture_output=True,
            text=True,
        )
        dropdb(copy)
        job = json.loads(run.stdout.strip().splitlines()[-1])
        setting = f" (full_check_days {extra[0]})" if extra else ""
        log(f"nightly job, run {run_index + 1}{setting}: {job['seconds']:.1f} s")
        return job

    def figures(job):
        return (
            f"CPU {job['cpu_seconds']:.1f} s + "
            f"PostgreSQL {job['db_cpu_seconds'] or 0:.1f} s; "
            f"peak memory {job['peak_mb']:.0f} MB "
            f"(target < 1024 MB); {job['queries']} queries; "
            f"{job['moved']} customers moved"
        )

    jobs = sorted(
        (night(run_index) for run_index in range(NIGHTLY_RUNS)),
        key=lambda job: job["seconds"],
    )
    job = jobs[len(jobs) // 2]
    record(
        "cron",
        f"nightly lifecycle job over {customers} customers",
        f"{job['seconds']:.1f}",
        "s",
        f"target < {NIGHTLY_TARGET} s; a normal night (each customer's orders "
        "and invoices re-read on its night of the week or when written since);"
        f" median of {len(jobs)} runs "
        f"({jobs[0]['seconds']:.1f} to {jobs[-1]['seconds']:.1f} s); " + figures(job),
    )
    full = night(NIGHTLY_RUNS, "1")
    record(
        "cron",
        f"the same night, every fact of all {customers} customers re-read",
        f"{full['seconds']:.1f}",
        "s",
        "the first night after the installation, or crm_lifecycle."
        "full_check_days = 1; one run; " + figures(full),
    )
    if not keep:
        dropdb(dbname)


# ---------------------------------------------------------------------------
# Views: list, kanban and form requests
# ---------------------------------------------------------------------------


def view_requests(env):
    """The field specification of the web_search_read / web_read calls the
    partner list, kanban and form views make (fields of the arch, as the web
    client asks for them: many2one with their display name unless always
    invisible)."""
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
                # as the web client asks: no display name for a field always
                # invisible (a monetary column's currency)
                hidden = {node.get("invisible"), node.get("column_invisible")}
                spec[field.name] = {
                    "fields": {} if hidden & {"1", "True"} else {"display_name": {}}
                }
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
        (f"{DB_PREFIX}views_core", CORE, 0),
        (f"{DB_PREFIX}views_suite", SUITE, 10),
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
    core_small, core_big = results_by_db[f"{DB_PREFIX}views_core"]
    suite_small, suite_big = results_by_db[f"{DB_PREFIX}views_suite"]
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
    global DB_PREFIX  # noqa: PLW0603
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--only", default="daily,cron,views")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--db-prefix", default=DB_PREFIX, help="prefix of the databases' names"
    )
    parser.add_argument("--markdown")
    parser.add_argument("--nightly-job", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    DB_PREFIX = args.db_prefix
    if args.nightly_job:
        nightly_job(*args.nightly_job)
        return 0
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
