"""Bounded load test of the portal complaint form and the JSON-2 API (see
`make bench`).

    .venv/bin/python tools/bench_load.py [--clients 16] [--duration 20]
        [--markdown FILE]

Builds the database crm_bench_load (crm_complaints), starts an Odoo server on
a free loopback port with two HTTP workers, then runs many parallel clients for
a fixed time: half are logged-in portal users filing complaints through the
form (with its CSRF token), half call ``/json/2/crm.complaint/create`` with an
API key, all for one customer company (its people file at the same time: the
worst case for its row). Prints throughput and errors; fails on any 5xx answer,
when the complaints in the database are not exactly the successful requests,
or when the customer's lifecycle facts do not add up once the events deferred
while its row was busy are applied.
"""

import argparse
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

import bench_common as common
import requests

DB = "crm_bench_load"
PASSWORD = "bench-load-pw"  # noqa: S105  (throwaway users of a throwaway database)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(portal_count):
    common.createdb(DB, "crm_complaints")
    with common.odoo_env(DB) as env:
        customer = env["res.partner"].create(
            {"name": "Load customer", "is_company": True}
        )
        # the capacity of the server, not the portal's hourly limit per account
        env.company.complaint_portal_hourly_limit = 0
        portal = env.ref("base.group_portal")
        logins = []
        for i in range(portal_count):
            user = env["res.users"].create(
                {
                    "name": f"Portal {i}",
                    "login": f"load_portal{i}",
                    "password": PASSWORD,
                    "email": f"portal{i}@load.example.com",
                    "group_ids": [(6, 0, portal.ids)],
                }
            )
            user.partner_id.parent_id = customer
            logins.append(user.login)
        agent = env["res.users"].create(
            {
                "name": "API agent",
                "login": "load_api",
                "email": "api@load.example.com",
                "group_ids": [
                    (6, 0, env.ref("crm_complaints.group_complaint_user").ids)
                ],
            }
        )
        key = (
            env["res.users.apikeys"]
            .with_user(agent)
            .sudo()
            ._generate(None, "load test", None)
        )
        env.cr.commit()
        return customer.id, logins, key


def start_server(port):
    log = open(f"/tmp/{DB}_{port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(common.ODOO_BIN),
            "-c",
            str(common.CONF),
            "-d",
            DB,
            f"--db-filter=^{DB}$",
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
            "--workers=2",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(120):
        try:
            # the first page builds the assets: more than 5 s on a busy machine
            if requests.get(f"{url}/web/login", timeout=120).status_code == 200:
                return server, url
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(1)
    server.terminate()
    raise RuntimeError(f"the server did not start (log in {log.name})")


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def portal_client(url, login, stop, stats):
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=30)
    session.post(
        f"{url}/web/login",
        data={
            "login": login,
            "password": PASSWORD,
            "csrf_token": CSRF.search(page.text).group(1),
            "redirect": "/my",
        },
        timeout=30,
    )
    n = 0
    while not stop.is_set():
        n += 1
        try:
            form = session.get(f"{url}/my/complaints/new", timeout=60)
            token = CSRF.search(form.text).group(1)
            response = session.post(
                f"{url}/my/complaints/new",
                data={
                    "csrf_token": token,
                    "subject": f"{login} complaint {n}",
                    "description": "Arrived broken <b>again</b>",
                    "kind": "complaint",
                },
                timeout=60,
                allow_redirects=False,
            )
            ok = response.status_code in (302, 303) and "/my/complaints/" in (
                response.headers.get("Location", "")
            )
            stats.update(["portal_ok" if ok else f"portal_{response.status_code}"])
        except (requests.RequestException, AttributeError) as error:
            stats.update([f"portal_error_{type(error).__name__}"])


def api_client(url, key, customer_id, stop, stats, number):
    session = requests.Session()
    session.headers.update({"Authorization": f"bearer {key}", "X-Odoo-Database": DB})
    n = 0
    while not stop.is_set():
        n += 1
        try:
            response = session.post(
                f"{url}/json/2/crm.complaint/create",
                json={
                    "vals_list": [
                        {
                            "subject": f"API {number} complaint {n}",
                            "partner_id": customer_id,
                            "channel": "web",
                        }
                    ]
                },
                timeout=60,
            )
            ok = response.status_code == 200 and len(response.json()) == 1
            stats.update(["api_ok" if ok else f"api_{response.status_code}"])
        except (requests.RequestException, ValueError) as error:
            stats.update([f"api_error_{type(error).__name__}"])


def run(clients, duration):
    portal_count = max(clients // 2, 1)
    customer_id, logins, key = prepare(portal_count)
    port = free_port()
    server, url = start_server(port)
    stats = Counter()
    stop = threading.Event()
    threads = [
        threading.Thread(target=portal_client, args=(url, login, stop, stats))
        for login in logins
    ] + [
        threading.Thread(
            target=api_client, args=(url, key, customer_id, stop, stats, i)
        )
        for i in range(clients - portal_count)
    ]
    try:
        start = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(duration)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        elapsed = time.monotonic() - start
    finally:
        server.terminate()
        server.wait(timeout=60)
    with common.odoo_env(DB) as env:
        stored = env["crm.complaint"].search_count([])
        # events on the customer while another request held it were queued:
        # the job applies them, and the customer's facts add up
        deferred = env["crm.lifecycle.pending"].search_count([])
        env["crm.lifecycle.pending"]._cron_process()
        customer = env["res.partner"].browse(customer_id)
        interactions = env["crm.interaction"].search_count(
            [("partner_id", "=", customer_id)]
        )
        consistent = customer.lifecycle_interaction_count == interactions and not env[
            "crm.lifecycle.pending"
        ].search_count([])
    return stats, stored, elapsed, deferred, consistent


def main():
    global DB  # noqa: PLW0603
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--db", default=DB, help=f"database name (default {DB})")
    parser.add_argument("--markdown")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    DB = args.db
    try:
        stats, stored, elapsed, deferred, consistent = run(args.clients, args.duration)
    finally:
        if not args.keep:
            common.dropdb(DB)
    ok = stats["portal_ok"] + stats["api_ok"]
    errors = sum(count for name, count in stats.items() if not name.endswith("_ok"))
    server_errors = sum(
        count for name, count in stats.items() if re.search(r"_5\d\d$", name)
    )
    section = f"load ({args.clients} clients, {args.duration} s)"
    common.record(section, "portal complaints filed", stats["portal_ok"])
    common.record(section, "JSON-2 complaints created", stats["api_ok"])
    common.record(section, "throughput", f"{ok / elapsed:.1f}", "requests/s")
    common.record(
        section,
        "errors",
        errors,
        "",
        ", ".join(sorted(name for name in stats if not name.endswith("_ok"))),
    )
    common.record(section, "5xx answers", server_errors)
    common.record(section, "complaints stored", stored, "", "must equal the successes")
    common.record(
        section,
        "lifecycle events deferred (customer busy), then applied",
        deferred,
        "",
        "customer facts add up" if consistent else "CUSTOMER FACTS WRONG",
    )
    for name, count in sorted(stats.items()):
        print(f"{name}: {count}")
    print(f"throughput {ok / elapsed:.1f} req/s, errors {errors}, stored {stored}")
    if args.markdown:
        common.write_markdown(args.markdown, title="Load: portal form and JSON-2 API")
    if server_errors or stored != ok or not consistent:
        sys.exit(1)


if __name__ == "__main__":
    main()
