"""Scale-out benchmarks (see `make bench` and docs/deployment.md).

    .venv/bin/python tools/bench_scale.py [--only cron,load] [--customers 20000]
        [--clients 4] [--duration 20] [--http-workers 4] [--db crm_bench_scale]
        [--keep] [--markdown FILE]

- cron: the nightly lifecycle job run by a real Odoo server in workers mode,
  once with one cron worker (``--max-cron-threads=1``), once with two: wall
  time of each, the ratio, and how the customers split between the worker
  processes (from the job's log of each batch); a trigger counts the writes
  of each customer's "done today" mark: none may be done twice.
- load: the daily work of many people at once on the loopback, in workers
  mode (``--workers=<--http-workers>``) and in one process (``--workers=0``),
  same clients, same duration: salespeople confirming orders and logging
  calls, accountants registering payments, customers filing and reading
  complaints in the portal. p50 / p95 latency per kind of request (after a
  few seconds of warm-up), throughput, errors, and every record accounted for
  afterwards.
"""

import argparse
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from datetime import datetime, timedelta

import requests
from bench_common import (
    clock,
    createdb,
    dropdb,
    log,
    odoo_env,
    record,
    server,
    write_markdown,
)

PASSWORD = "bench-scale-pw"  # noqa: S105  (throwaway users of a throwaway database)
WARMUP = 5  # seconds of load before the measures


# ---------------------------------------------------------------------------
# Parallel cron
# ---------------------------------------------------------------------------

TRIGGER = """
CREATE TABLE IF NOT EXISTS bench_nightly_log (partner_id int, backend int,
                                              at timestamptz);
CREATE OR REPLACE FUNCTION bench_nightly_log() RETURNS trigger AS $$
BEGIN
    INSERT INTO bench_nightly_log
         VALUES (NEW.partner_id, pg_backend_pid(), clock_timestamp());
    RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS bench_nightly_log ON crm_lifecycle_facts_check;
CREATE TRIGGER bench_nightly_log AFTER INSERT OR UPDATE
    ON crm_lifecycle_facts_check FOR EACH ROW EXECUTE FUNCTION bench_nightly_log();
"""


def _nightly_due(env):
    """Yesterday's state for every customer the job reads, only the nightly
    job's scheduled actions active and due now, an empty log."""
    nightly = env.ref("crm_lifecycle.ir_cron_lifecycle_nightly") | env.ref(
        "crm_lifecycle.ir_cron_lifecycle_nightly_2"
    )
    env.cr.execute(
        "UPDATE crm_lifecycle_facts_check SET date = current_date - 1"
        " WHERE date >= current_date"
    )
    env.cr.execute("UPDATE ir_cron SET active = id = ANY(%s)", [nightly.ids])
    env.cr.execute(
        "UPDATE ir_cron SET nextcall = now() at time zone 'UTC' - interval '1 minute'"
        " WHERE id = ANY(%s)",
        [nightly.ids],
    )
    env.cr.execute("DELETE FROM ir_cron_progress")
    env.cr.execute("TRUNCATE bench_nightly_log")
    env.cr.commit()


# a batch of the nightly job in the server's log: process id, size
BATCH = re.compile(
    r"^\S+ \S+ (\d+) INFO \S+ "
    r"odoo\.addons\.crm_lifecycle\.models\.res_partner_nightly: "
    r"Lifecycle nightly, share \d+ of \d+: (\d+) customers",
    re.MULTILINE,
)


# a run of a scheduled action in the server's log (Odoo stops a run after
# 10 seconds and 10 calls, and runs it again while it reports work left)
RUN = re.compile(r"ir_cron: Job '[^']*' \(\d+\) (?:fully|partially) done")


def _run_nightly(dbname, workers):
    """Serve with ``workers`` cron workers until the job is done; returns
    (seconds from the first job start to the last customer written, {process
    id: customers done}, customers done more than once, customers to do,
    customers done, runs of the scheduled actions).

    The server wakes its cron workers when a run ends with work left
    (``ODOO_NOTIFY_CRON_CHANGES``, see docs/deployment.md): without it, a
    job longer than Odoo's 10 seconds per run waits for the next poll of
    the cron workers (up to a minute) between runs, and the wall time
    measures that wait."""
    from odoo import fields

    def left(env):
        env.cr.rollback()
        env.invalidate_all()
        partners = env["res.partner"]
        return partners.search_count(
            partners._lifecycle_cron_domain(fields.Date.context_today(partners))
        )

    with odoo_env(dbname) as env:
        _nightly_due(env)
        todo = left(env)
    log_path = f"/tmp/{dbname}_cron{workers}.log"
    with (
        server(
            dbname,
            "--workers=1",
            f"--max-cron-threads={workers}",
            "--log-handler=odoo.addons.crm_lifecycle.models.res_partner_nightly:INFO",
            "--log-handler=odoo.addons.base.models.ir_cron:INFO",
            log_path=log_path,
            environ={"ODOO_NOTIFY_CRON_CHANGES": "1"},
        ),
        odoo_env(dbname) as env,
    ):
        deadline = time.monotonic() + 3600
        while time.monotonic() < deadline:
            if not left(env):
                break
            time.sleep(0.5)
        else:
            raise RuntimeError("the nightly job did not finish")
        env.cr.rollback()
        env.cr.execute(
            """
            SELECT EXTRACT(EPOCH FROM (SELECT max(at) FROM bench_nightly_log)
                   - (SELECT min(create_date) FROM ir_cron_progress)
                     AT TIME ZONE 'UTC')
            """
        )
        (seconds,) = env.cr.fetchone()
        env.cr.execute(
            "SELECT count(*) FROM (SELECT partner_id FROM bench_nightly_log"
            " GROUP BY partner_id HAVING count(*) > 1) twice"
        )
        (twice,) = env.cr.fetchone()
        env.cr.execute("SELECT count(DISTINCT partner_id) FROM bench_nightly_log")
        (done,) = env.cr.fetchone()
        env.cr.rollback()
    per_process = defaultdict(int)
    with open(log_path) as log:
        text = log.read()
    for pid, size in BATCH.findall(text):
        per_process[pid] += int(size)
    runs = len(RUN.findall(text))
    return float(seconds), dict(per_process), twice, todo, done, runs


def bench_cron(dbname, customers, keep):
    from bench_lifecycle import generate
    from freezegun import freeze_time

    createdb(dbname, "crm_lifecycle")
    today = datetime.now().replace(hour=2, minute=0, second=0, microsecond=0)
    with odoo_env(dbname) as env:
        seconds = generate(env, customers, 4, today.date())
        log(f"{customers} customers generated in {seconds:.0f} s")
        partners = env["res.partner"].search([("name", "like", "Bench customer")])
        with freeze_time(today - timedelta(days=1)):
            partners._lifecycle_refresh_facts()
            env["res.partner"]._lifecycle_initial_evaluation()
        env.cr.execute(TRIGGER)
        env.cr.commit()
    section = "cron"
    results = {}
    for workers in (1, 2):
        seconds, per_process, twice, todo, done, runs = _run_nightly(dbname, workers)
        results[workers] = seconds
        split = " / ".join(str(n) for n in sorted(per_process.values(), reverse=True))
        record(
            section,
            f"nightly job, {todo} customers, {workers} cron worker(s)",
            f"{seconds:.1f}",
            "s",
            ("target < 30 s (100,000 customers); " if workers == 1 else "")
            + f"customers per worker: {split}; done twice: {twice}; {runs} runs "
            "of the scheduled actions (Odoo ends a run after 10 s)",
        )
        if twice or done != todo:
            record(section, "DOUBLE OR MISSED WORK", twice, "", "")
    record(
        section,
        "2 cron workers vs 1 (wall time)",
        f"{results[2] / results[1]:.2f}",
        "x",
        "target < 0.75x (2 cores shared with the database)",
    )
    if not keep:
        dropdb(dbname)
    return results


# ---------------------------------------------------------------------------
# Load: the daily work of many people at once
# ---------------------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def prepare_load(dbname, people, invoices):
    """Customers with a portal user each, salespeople, accountants, a product
    and ``invoices`` posted invoices to pay."""
    from odoo.fields import Command

    createdb(dbname, "crm_lifecycle,crm_complaints")
    with odoo_env(dbname) as env:
        env.company.complaint_portal_hourly_limit = 0
        customers = env["res.partner"].create(
            [
                {"name": f"Load customer {i}", "is_company": True}
                for i in range(people * 4)
            ]
        )
        portal_group = env.ref("base.group_portal")
        users = {"portal": [], "sales": [], "accounting": []}
        for i in range(people):
            user = env["res.users"].create(
                {
                    "name": f"Portal {i}",
                    "login": f"scale_portal{i}",
                    "password": PASSWORD,
                    "email": f"portal{i}@scale.example.com",
                    "group_ids": [Command.set(portal_group.ids)],
                }
            )
            user.partner_id.parent_id = customers[i]
            users["portal"].append(user.login)
        groups = {
            "sales": ["sales_team.group_sale_salesman_all_leads"],
            "accounting": ["account.group_account_invoice", "base.group_user"],
        }
        for kind, xmlids in groups.items():
            for i in range(people):
                user = env["res.users"].create(
                    {
                        "name": f"{kind} {i}",
                        "login": f"scale_{kind}{i}",
                        "password": PASSWORD,
                        "group_ids": [Command.set([env.ref(x).id for x in xmlids])],
                    }
                )
                users[kind].append(user.login)
        product = env["product.product"].create(
            {"name": "Load product", "type": "service", "list_price": 100}
        )
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customers[i % len(customers)].id,
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "price_unit": 100})
                    ],
                }
                for i in range(invoices)
            ]
        )
        moves.action_post()
        env.cr.commit()
        return {
            "users": users,
            "customers": customers.ids,
            "product": product.id,
            "invoices": moves.ids,
        }


class Client:
    """One person's HTTP session, timing each request by kind."""

    def __init__(self, url, db, stats):
        self.url, self.db, self.stats = url, db, stats
        self.session = requests.Session()

    def timed(self, kind, method, path, ok=None, **kwargs):
        start = time.monotonic()
        try:
            response = self.session.request(
                method, f"{self.url}{path}", timeout=120, **kwargs
            )
            good = response.status_code == 200 and (ok is None or ok(response))
            why = None if good else f"{response.status_code} {response.text[:300]}"
        except (requests.RequestException, ValueError) as error:
            response, good, why = None, False, repr(error)
        self.stats.add(kind, time.monotonic() - start, good, why)
        return response if good else None

    def login_portal(self, login):
        page = self.session.get(f"{self.url}/web/login", timeout=120)
        self.session.post(
            f"{self.url}/web/login",
            data={
                "login": login,
                "password": PASSWORD,
                "csrf_token": CSRF.search(page.text).group(1),
                "redirect": "/my",
            },
            timeout=120,
        )

    def login_rpc(self, login):
        response = self.session.post(
            f"{self.url}/web/session/authenticate",
            json={"params": {"db": self.db, "login": login, "password": PASSWORD}},
            timeout=120,
        )
        assert response.json().get("result"), response.text

    def call(self, kind, model, method, *args, **kwargs):
        response = self.timed(
            kind,
            "POST",
            f"/web/dataset/call_kw/{model}/{method}",
            ok=lambda r: "error" not in r.json(),
            json={
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                }
            },
        )
        return response and response.json()["result"]


class Stats:
    """Latencies and errors per kind of request; latencies only once
    ``recording`` (after the warm-up), errors always."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.recording = False

    def add(self, kind, seconds, good, why=None):
        with self.lock:
            if good:
                if self.recording:
                    self.times[kind].append(seconds)
            else:
                self.errors[kind] += 1
                log(f"error: {kind}: {why}")


def salesperson(client, data, label, stop, done):
    rnd = random.Random(label)
    while not stop.is_set():
        customer = rnd.choice(data["customers"])
        order_id = client.call(
            "salesperson: create order",
            "sale.order",
            "create",
            {
                "partner_id": customer,
                "client_order_ref": label,
                "order_line": [
                    [0, 0, {"product_id": data["product"], "product_uom_qty": 1}]
                ],
            },
        )
        if order_id and client.call(
            "salesperson: confirm order", "sale.order", "action_confirm", [order_id]
        ):
            done["orders"] += 1
        if client.call(
            "salesperson: log a call",
            "crm.interaction",
            "create",
            {
                "name": f"{label} call",
                "partner_id": customer,
                "interaction_type": "call",
                "direction": "outbound",
                "channel": "phone",
            },
        ):
            done["calls"] += 1


def accountant(client, invoices, stop, done):
    while not stop.is_set():
        try:
            invoice = invoices.pop()  # atomic: each invoice paid once
        except IndexError:
            return
        context = {"active_model": "account.move", "active_ids": [invoice]}
        wizard = client.call(
            "accountant: payment wizard",
            "account.payment.register",
            "create",
            {},
            context=context,
        )
        if wizard and client.call(
            "accountant: register payment",
            "account.payment.register",
            "action_create_payments",
            [wizard],
            context=context,
        ):
            done["payments"].append(invoice)


def customer(client, label, stop, done):
    n = 0
    while not stop.is_set():
        n += 1
        form = client.timed("customer: complaint form", "GET", "/my/complaints/new")
        if not form:
            continue
        filed = client.timed(
            "customer: file a complaint",
            "POST",
            "/my/complaints/new",
            ok=lambda r: "/my/complaints/" in r.url,
            data={
                "csrf_token": CSRF.search(form.text).group(1),
                "subject": f"{label} complaint {n}",
                "description": "Arrived broken",
                "kind": "complaint",
            },
        )
        if filed:
            done["complaints"] += 1
        client.timed("customer: my complaints", "GET", "/my/complaints")


def run_load(dbname, data, mode_args, label, clients, duration):
    """One run: ``clients`` people of each kind for ``duration`` seconds.
    Each thread counts what it did in its own dict; they are added up after."""
    stats = Stats()
    invoices = list(data["invoices_" + label])
    stop = threading.Event()
    tallies = []
    with server(dbname, "--max-cron-threads=0", *mode_args) as url:
        threads = []
        users = data["users"]
        for i in range(clients):
            sales = Client(url, dbname, stats)
            sales.login_rpc(users["sales"][i % len(users["sales"])])
            acc = Client(url, dbname, stats)
            acc.login_rpc(users["accounting"][i % len(users["accounting"])])
            cust = Client(url, dbname, stats)
            cust.login_portal(users["portal"][i % len(users["portal"])])
            tally = {"orders": 0, "calls": 0, "payments": [], "complaints": 0}
            tallies += [tally, dict(tally, payments=[]), dict(tally, payments=[])]
            threads += [
                threading.Thread(
                    target=salesperson,
                    args=(sales, data, f"{label}-{i}", stop, tallies[-3]),
                ),
                threading.Thread(
                    target=accountant, args=(acc, invoices, stop, tallies[-2])
                ),
                threading.Thread(
                    target=customer, args=(cust, f"{label}-{i}", stop, tallies[-1])
                ),
            ]
        for thread in threads:
            thread.start()
        # a few seconds of the same work first: the workers load their caches
        time.sleep(WARMUP)
        stats.recording = True
        start = clock()
        time.sleep(duration)
        stats.recording = False
        elapsed = clock() - start
        stop.set()
        for thread in threads:
            thread.join(timeout=300)
    done = {
        "orders": sum(t["orders"] for t in tallies),
        "calls": sum(t["calls"] for t in tallies),
        "complaints": sum(t["complaints"] for t in tallies),
        "payments": [p for t in tallies for p in t["payments"]],
    }
    return stats, done, elapsed


def check_load(dbname, data, label, done):
    """What the database holds for this run: {what: (expected, stored)}."""
    with odoo_env(dbname) as env:
        orders = env["sale.order"].search_count(
            [("client_order_ref", "like", f"{label}-%"), ("state", "=", "sale")]
        )
        calls = env["crm.interaction"].search_count(
            [("name", "like", f"{label}-%"), ("interaction_type", "=", "call")]
        )
        paid = env["account.move"].search_count(
            [
                ("id", "in", done["payments"]),
                ("payment_state", "in", ("paid", "in_payment")),
            ]
        )
        payments = env["account.payment"].search_count(
            [("reconciled_invoice_ids", "in", data["invoices_" + label])]
        )
        complaints = env["crm.complaint"].search_count(
            [("subject", "like", f"{label}-%")]
        )
    return {
        "orders confirmed": (done["orders"], orders),
        "calls logged": (done["calls"], calls),
        "invoices paid": (len(done["payments"]), paid),
        "payments stored": (len(done["payments"]), payments),
        "complaints filed": (done["complaints"], complaints),
    }


def bench_load(dbname, clients, duration, keep, http_workers=4):
    invoices_per_run = clients * duration * 2
    data = prepare_load(dbname, clients, invoices_per_run * 2)
    data["invoices_workers"] = data["invoices"][:invoices_per_run]
    data["invoices_single"] = data["invoices"][invoices_per_run:]
    section = f"load ({clients} x 3 people, {duration} s)"
    throughput = {}
    failed = False
    for label, mode_args in (
        ("single", ["--workers=0"]),
        ("workers", [f"--workers={http_workers}"]),
    ):
        stats, done, elapsed = run_load(
            dbname, data, mode_args, label, clients, duration
        )
        total = sum(len(t) for t in stats.times.values())
        errors = sum(stats.errors.values())
        throughput[label] = total / elapsed
        mode = "1 process" if label == "single" else f"workers={http_workers}"
        for kind in sorted(set(stats.times) | set(stats.errors)):
            times = sorted(stats.times[kind])
            if times:
                p50 = statistics.median(times) * 1000
                p95 = times[min(len(times) - 1, int(len(times) * 0.95))] * 1000
            else:
                p50 = p95 = float("nan")
            record(
                section,
                f"{mode}: {kind}",
                f"{p50:.0f} / {p95:.0f}",
                "ms p50/p95",
                f"{len(times)} requests, {stats.errors[kind]} errors",
            )
        record(section, f"{mode}: throughput", f"{throughput[label]:.1f}", "requests/s")
        record(section, f"{mode}: errors", errors, "", "target 0")
        accounted = check_load(dbname, data, label, done)
        wrong = {k: v for k, v in accounted.items() if v[0] != v[1]}
        record(
            section,
            f"{mode}: records accounted for",
            "all" if not wrong else "MISMATCH",
            "",
            "; ".join(f"{k} {v[1]}" for k, v in accounted.items())
            + (f"; expected {wrong}" if wrong else ""),
        )
        failed = failed or errors or wrong
    record(
        section,
        f"throughput, workers={http_workers} vs 1 process",
        f"{throughput['workers'] / throughput['single']:.2f}",
        "x",
        "2 cores shared with PostgreSQL and the clients",
    )
    if not keep:
        dropdb(dbname)
    return not failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="cron,load")
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--http-workers", type=int, default=4)
    parser.add_argument("--db", default="crm_bench_scale")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    ok = True
    try:
        if "cron" in parts:
            bench_cron(f"{args.db}_cron", args.customers, args.keep)
        if "load" in parts:
            ok = bench_load(
                f"{args.db}_load",
                args.clients,
                args.duration,
                args.keep,
                args.http_workers,
            )
    finally:
        if args.markdown:
            write_markdown(args.markdown, title="Scale-out: cron workers and load")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
