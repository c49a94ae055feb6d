# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two real cron workers share the nightly lifecycle job: an Odoo server in
workers mode with ``--max-cron-threads=2`` runs the job's two scheduled
actions at the same time, each on its share of the customers; the customers
are shared by two companies, each of which has its own stage of them: every
customer is done exactly once for each company and both workers did batches.

A trigger on ``crm_lifecycle_facts_check`` records every write of the
customer's check date for a company (the job's "done today" mark) with the
PostgreSQL backend of the connection: the test reads how many times each
customer was done for each company, and by which connection; the job logs
each batch with its share, and Odoo's log lines carry the process id: which
process did which share."""

import re

from .odoo_server import query, serving, wait_for
from .odoo_subprocess import odoo, shell, throwaway_db

CUSTOMERS = 240
# a batch of the nightly job in the server's log: process id, share, shares, size
BATCH = re.compile(
    r"^\S+ \S+ (\d+) INFO \S+ "
    r"odoo\.addons\.crm_lifecycle\.models\.res_partner_nightly: "
    r"Lifecycle nightly, share (\d+) of (\d+): (\d+) customers",
    re.MULTILINE,
)
BUYERS = 12  # customers with a confirmed order the job must count again

SETUP = f"""
import json

from odoo import Command

company_b = env["res.company"].create({{"name": "Nightly company B"}})
stage = env["crm.lifecycle.stage"].search([("code", "=", "possible")], limit=1)
customers = env["res.partner"].create(
    [
        {{"name": f"Nightly customer {{i}}", "is_company": True}}
        for i in range({CUSTOMERS})
    ]
)
env["res.partner"].create(
    [
        {{"name": f"Contact {{i}}", "parent_id": customer.id}}
        for i, customer in enumerate(customers[:40])
    ]
)
product = env["product.product"].create({{"name": "Nightly product", "list_price": 10}})
for customer in customers[:{BUYERS}]:
    env["sale.order"].create(
        {{
            "partner_id": customer.id,
            "order_line": [Command.create({{"product_id": product.id}})],
        }}
    ).action_confirm()
env.flush_all()
# yesterday's state, with stale facts the job must correct: a stage in both
# companies (each its own), nothing checked today
staged = {{str(company.id): stage.id for company in env.company | company_b}}
env.cr.execute(
    "UPDATE res_partner SET lifecycle_stage_id = %s::jsonb,"
    " lifecycle_order_count = NULL WHERE id = ANY(%s) OR parent_id = ANY(%s)",
    [json.dumps(staged), customers.ids, customers.ids],
)
for company in env.company | company_b:
    env["crm.lifecycle.facts.check"].with_company(company)._mark(customers.ids, False)
nightly = env.ref("crm_lifecycle.ir_cron_lifecycle_nightly") | env.ref(
    "crm_lifecycle.ir_cron_lifecycle_nightly_2"
)
# only the nightly job runs, in small batches, now: a share (120 customers in
# each of the two companies) in 8 batches, which one run of its scheduled
# action does (Odoo runs an action 10 times, then lets the next worker free
# pick it up again: with more batches, the worker done with its share would
# go on with the other's)
(env["ir.cron"].search([]) - nightly).active = False
nightly.write({{"code": "model._cron_lifecycle_nightly(batch_size=30)"}})
env.cr.execute(
    "UPDATE ir_cron SET nextcall = now() at time zone 'UTC' - interval '1 minute'"
    " WHERE id = ANY(%s)",
    [nightly.ids],
)
env.cr.execute(
    '''
    CREATE TABLE scale_nightly_log (partner_id int, company_id int, backend int);
    CREATE FUNCTION scale_nightly_log() RETURNS trigger AS $$
    BEGIN
        INSERT INTO scale_nightly_log
             VALUES (NEW.partner_id, NEW.company_id, pg_backend_pid());
        -- a customer's work takes a moment, as it does with real documents:
        -- a share lasts longer than the up to ten seconds between the first
        -- wake-ups of two cron workers (Odoo's 60 s + pid % 10), so the
        -- second worker finds the other share waiting rather than the first
        -- worker doing both one after the other
        PERFORM pg_sleep(0.12);
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER scale_nightly_log AFTER INSERT OR UPDATE
        ON crm_lifecycle_facts_check
        FOR EACH ROW EXECUTE FUNCTION scale_nightly_log();
    '''
)
env.cr.commit()
"""


def test_two_cron_workers_share_the_nightly_job_without_overlap():
    with throwaway_db("parallel_cron") as db:
        odoo(db, "-i", "crm_lifecycle")
        shell(db, SETUP)
        customers = [
            row[0]
            for row in query(
                db, "SELECT id FROM res_partner WHERE name LIKE 'Nightly customer %'"
            )
        ]
        assert len(customers) == CUSTOMERS

        companies = [row[0] for row in query(db, "SELECT id FROM res_company")]
        assert len(companies) == 2

        def left():
            return query(
                db,
                "SELECT count(*) FROM res_partner p, res_company company"
                " WHERE p.id = ANY(%s)"
                " AND NOT EXISTS (SELECT 1 FROM crm_lifecycle_facts_check c"
                " WHERE c.partner_id = p.id AND c.company_id = company.id"
                " AND c.date = current_date)",
                [customers],
            )[0][0]

        with serving(db, "--workers=1", "--max-cron-threads=2") as (_url, log_path):
            wait_for(lambda: not left(), 300, "the nightly job did not finish")
            with open(log_path) as lines:
                batches = BATCH.findall(lines.read())

        log = query(db, "SELECT partner_id, company_id, backend FROM scale_nightly_log")
        # every customer exactly once for each company, nothing else
        assert sorted((partner, company) for partner, company, _backend in log) == (
            sorted((partner, company) for partner in customers for company in companies)
        )
        # each connection wrote one share only, and both shares were written
        by_backend = {}
        for partner, _company, backend in log:
            by_backend.setdefault(backend, set()).add(partner % 2)
        assert all(len(shares) == 1 for shares in by_backend.values()), (
            by_backend,
            batches,
        )
        assert set().union(*by_backend.values()) == {0, 1}
        # two processes did batches, each its own share, all the customers
        by_process = {}
        for pid, share, count, _size in batches:
            assert count == "2"
            by_process.setdefault(pid, set()).add(share)
        assert len(by_process) == 2, batches
        assert sorted(sorted(shares) for shares in by_process.values()) == [
            ["1"],
            ["2"],
        ]
        assert sum(int(done) for *_rest, done in batches) == CUSTOMERS * 2
        # the job did its work: facts counted again (the orders are the main
        # company's), the stage kept in sync
        buyers = query(
            db,
            "SELECT count(*) FROM res_partner WHERE id = ANY(%s)"
            " AND (lifecycle_order_count ->> %s)::int = 1",
            [customers, str(min(companies))],
        )[0][0]
        assert buyers == BUYERS
        unsynced = query(
            db,
            "SELECT count(*) FROM res_partner c"
            " JOIN res_partner p ON p.id = c.parent_id WHERE p.id = ANY(%s)"
            " AND c.lifecycle_stage_id IS DISTINCT FROM p.lifecycle_stage_id",
            [customers],
        )[0][0]
        assert unsynced == 0
