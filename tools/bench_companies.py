"""Benchmark of one database, several companies (issue 23; see `make bench`).

    .venv/bin/python tools/bench_companies.py [--customers 100000]
        [--only views,lifecycle,segmentation] [--keep] [--db-prefix crm_bench_mc_]
        [--templates SUITE_DB,CORE_DB] [--markdown FILE]

The same N customers shared by two companies (no company on the customer):
company A (the main company, its currency) and company B (EUR, with a rate in
company A; its documents in euros). In each company every customer has 4
confirmed orders, 4 posted invoices, 1 open receivable item and 10
interactions (bulk SQL, as tools/bench_lifecycle.py's cron section), hence
its own facts, stage, RFM and predictions in each company.

- views: the customer list, kanban and form requests (as in
  tools/bench_lifecycle.py) on the shared customers by the administrator (a
  user, access rules on) when only company A exists, then once company B and
  its documents exist: the user allowed company A only, and allowed both
  companies (current A). The same in a database with Odoo alone (no
  interactions): Odoo's own form reads more with two companies (the
  customer's pricelist, its invoiced total converted between the allowed
  companies); the queries the suite adds must be equal.
- lifecycle, segmentation: yesterday the facts and placement of both
  companies (lifecycle, views), their customer value models (fitted; known
  parameters stored when the fit is at a bound, as on this data at 100,000
  customers: nobody looks churned), RFM and matrices (segmentation). Then, each on its
  own copy of that database, "today": the nightly lifecycle job
  (``res.partner._cron_lifecycle_nightly``) for company A only (the same
  data, the job's companies, ``_lifecycle_nightly_companies``, restricted to
  A) and for both companies; the nightly segmentation job
  (``crm.segment.matrix._cron_segmentation_nightly``: RFM, predictions,
  matrices) for company A only (company B already done that day: the job
  skips a company and its matrices computed today, as when it resumes) and
  for both. Each job runs in a process of its own: wall time, CPU of Odoo
  and of its PostgreSQL backend, queries, peak memory; the ratio of both to
  one (target at most 2.0, on the wall time and on the CPU time). Three
  rounds, each on fresh copies: the run of median wall time of each side
  is reported, and the ratio of the medians.

Databases: <prefix>gen (the data), <prefix>one and <prefix>two (its copies),
<prefix>core (Odoo alone, views); --templates copies empty databases with the
modules installed instead of installing them. Prints a table and, with --markdown,
appends it to FILE.
"""

import argparse
import json
import subprocess
import sys
from datetime import datetime, timedelta

from bench_common import (
    bulk_done,
    clock,
    createdb,
    dropdb,
    insert_customers,
    log,
    measure,
    odoo_env,
    record,
    write_markdown,
)
from bench_lifecycle import (
    backend_cpu,
    generate_documents,
    memory_kb,
    process_cpu,
    reset_peak_memory,
    time_views,
)

SUITE = "crm_lifecycle,crm_segmentation"
CORE = "crm,sale_management,account,sale_stock"  # as tools/bench_lifecycle.py
DB_PREFIX = "crm_bench_mc_"
TARGET = 2.0  # both companies / one company
# rounds of the jobs, each on fresh copies of the data: the medians are reported
REPEATS = 3
EUR_RATE = 0.9  # euros per unit of company A's currency
# customer value model parameters (weeks) for data whose fit is at a bound:
# every customer bought in the last 170 days, nobody looks churned (the BG/NBD
# parameters of crm_segmentation/scripts/bench_clv_models.py)
KNOWN_PARAMS = {
    "bgnbd_r": 0.25,
    "bgnbd_alpha": 40.0,
    "bgnbd_a": 0.8,
    "bgnbd_b": 2.5,
    "gg_p": 6.0,
    "gg_q": 4.0,
    "gg_v": 15.0,
}


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def add_company_b(env):
    """Company B, in euros (a rate in company A), with the generic chart of
    accounts; the administrator may use both companies."""
    eur = env.ref("base.EUR")
    eur.active = True
    company_a = env.company
    company = env["res.company"].create({"name": "Bench company B"})
    env["account.chart.template"].try_loading("generic_coa", company)
    company.currency_id = eur  # after its chart (in dollars), before any entry
    if company_a.currency_id != eur:
        env["res.currency.rate"].create(
            {
                "currency_id": eur.id,
                "company_id": company_a.id,
                "name": "2000-01-01",
                "rate": EUR_RATE,
            }
        )
    env.ref("base.user_admin").company_ids |= company
    env.cr.commit()
    return company


def place_yesterday(env, company, partners):
    """The facts and placement at installation of ``company``'s customers."""
    Partner = env["res.partner"].with_company(company)
    if company == env.company:
        partners.with_company(company)._lifecycle_refresh_facts()
    else:
        Partner._lifecycle_initial_company_facts(5000)
    Partner._lifecycle_initial_company_evaluation(5000)
    env.cr.commit()


def segment_yesterday(env):
    """Each company's customer value model (the weekly job's fit; when the
    data does not identify the parameters, known ones stored as a fit would:
    the nightly job then predicts every customer all the same), then the
    nightly segmentation job (RFM, predictions, matrices of both)."""
    from odoo import fields
    from odoo.exceptions import UserError

    states = []
    for company in env["res.company"].search([], order="id"):
        model = env["crm.clv.model"].with_company(company)._for_company(company)
        try:
            model._fit()
            states.append("fitted")
        except UserError as error:
            log(f"{company.name}: no fit ({error}); known parameters stored")
            model.write({"state": "fitted", "model_used": "bgnbd", **KNOWN_PARAMS})
            model.date_fit = fields.Date.context_today(model)
            states.append("known parameters")
        env.cr.commit()
    env["crm.segment.matrix"]._cron_segmentation_nightly()
    env.cr.commit()
    return states


def vacuum(dbname):
    subprocess.run(
        ["psql", "-qd", dbname, "-c", "VACUUM ANALYZE"],
        check=True,
    )


# ---------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------


def user_views(env, company_ids):
    """time_views as the administrator (a user: access rules apply) allowed
    ``company_ids``, the first one current; the second run of two (the caches
    of the registry warm, the records' cold)."""
    from odoo import api

    admin = env.ref("base.user_admin")
    user_env = api.Environment(
        env.cr, admin.id, {"lang": "en_US", "allowed_company_ids": company_ids}
    )
    # the shared customers (not the companies' own partners, which would
    # change the page once company B exists)
    domain = [("is_company", "=", True), ("name", "=like", "Bench customer %")]
    time_views(user_env, domain)
    return time_views(user_env, domain)


def core_views(dbname, customers, template, today):
    """The views figures of Odoo alone (no interactions), same steps."""
    if template:
        dropdb(dbname)
        subprocess.run(["createdb", "-T", template, dbname], check=True)
    else:
        createdb(dbname, CORE)
    with odoo_env(dbname) as env:
        company_a = env.company
        first_id = insert_customers(env, customers)
        generate_documents(env, first_id, 0, today.date())
        bulk_done(env)
        single = user_views(env, [company_a.id])
        company_b = add_company_b(env)
        generate_documents(
            env(context=dict(env.context, allowed_company_ids=[company_b.id])),
            first_id,
            0,
            today.date(),
        )
        bulk_done(env)
        only_a = user_views(env, [company_a.id])
        both = user_views(env, [company_a.id, company_b.id])
    return single, only_a, both


def record_views(customers, suite, core):
    """``suite`` and ``core``: the figures of one company, then two
    companies with a user of A, and with a user of A and B."""
    for view_type in ("list", "kanban", "form"):
        counts = [m[view_type]["queries"] for m in suite]
        core_counts = [m[view_type]["queries"] for m in core]
        added = [a - b for a, b in zip(counts, core_counts, strict=True)]
        record(
            "views",
            f"customer {view_type}, {customers} shared customers: queries with "
            "one company / two companies, user of A / user of A and B",
            " / ".join(str(count) for count in counts),
            "queries",
            f"Odoo alone {' / '.join(str(count) for count in core_counts)}; "
            f"the suite adds {' / '.join(str(count) for count in added)}: "
            + ("equal" if len(set(added)) == 1 else "NOT equal")
            + "; time "
            + " / ".join(f"{m[view_type]['seconds'] * 1000:.0f}" for m in suite)
            + " ms",
        )


# ---------------------------------------------------------------------------
# The jobs, each in a process of its own
# ---------------------------------------------------------------------------


def run_job(job, dbname, today, company_ids):
    """Run a nightly job "today" in this process for ``company_ids`` only
    and print its figures as JSON (called by ``job_figures``)."""
    from freezegun import freeze_time

    from odoo import fields

    today = datetime.fromisoformat(today)
    with odoo_env(dbname) as env, freeze_time(today):
        companies = env["res.company"].browse(company_ids)
        if job == "lifecycle":
            Partner = env["res.partner"]
            # the job's companies, restricted (the hook the job iterates)
            type(Partner)._lifecycle_nightly_companies = lambda self: companies
            method = Partner._cron_lifecycle_nightly
        else:
            # the other companies already done today: the job skips them
            others = env["res.company"].search([("id", "not in", company_ids)])
            others.rfm_date_computed = fields.Datetime.now()
            env["crm.segment.matrix"].search(
                [("company_id", "in", others.ids)]
            ).date_recompute = fields.Datetime.now()
            env.cr.commit()
            method = env["crm.segment.matrix"]._cron_segmentation_nightly
        env.invalidate_all()
        reset_peak_memory()
        cpu = process_cpu()
        db_cpu = backend_cpu(env.cr)
        with measure(env.cr) as m:
            method()
        cpu = process_cpu() - cpu
        if db_cpu is not None:
            db_cpu = backend_cpu(env.cr) - db_cpu
        peak = memory_kb("VmHWM")
        if job == "lifecycle":
            moved = env["crm.lifecycle.history"].search_count(
                [("date", ">=", today - timedelta(minutes=1))]
            )
            done = f"{moved} customers moved"
        else:
            memberships = env["crm.segment.membership"].search_count(
                [("matrix_id.company_id", "in", company_ids)]
            )
            predictions = env["crm.clv.partner.prediction"].search_count(
                [("company_id", "in", company_ids)]
            )
            done = f"{memberships} memberships, {predictions} predictions"
        env.cr.commit()
    print(
        json.dumps(
            {
                "seconds": m["seconds"],
                "cpu": cpu,
                "db_cpu": db_cpu or 0.0,
                "queries": m["queries"],
                "peak_mb": peak / 1024,
                "done": done,
            }
        )
    )


def job_figures(job, dbname, today, company_ids):
    run = subprocess.run(
        [
            sys.executable,
            __file__,
            "--job",
            job,
            dbname,
            today.isoformat(),
            ",".join(str(cid) for cid in company_ids),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def median_run(runs):
    """The run of median wall time among ``runs`` (its figures stay those of
    one run)."""
    return sorted(runs, key=lambda figures: figures["seconds"])[len(runs) // 2]


def record_jobs(label, customers, one_runs, both_runs):
    """The figures of the median run of each side (``*_runs``: one per
    round), and the ratio of the medians."""
    one, both = median_run(one_runs), median_run(both_runs)
    for name, figures, runs in (
        ("company A only", one, one_runs),
        ("both companies", both, both_runs),
    ):
        record(
            "cron",
            f"nightly {label} job, {customers} shared customers, {name}",
            f"{figures['seconds']:.1f}",
            "s",
            f"median of {len(runs)} runs ("
            + " / ".join(f"{run['seconds']:.1f}" for run in runs)
            + f" s); CPU {figures['cpu']:.1f} s + PostgreSQL "
            f"{figures['db_cpu']:.1f} s; {figures['queries']} queries; peak memory "
            f"{figures['peak_mb']:.0f} MB; {figures['done']}",
        )
    wall = both["seconds"] / one["seconds"]
    cpu = (both["cpu"] + both["db_cpu"]) / (one["cpu"] + one["db_cpu"])
    record(
        "cron",
        f"nightly {label} job: both companies / company A only",
        f"{wall:.2f}",
        "x",
        f"medians; CPU (Odoo + PostgreSQL) {cpu:.2f}x; target <= {TARGET}x: "
        + ("met" if max(wall, cpu) <= TARGET else "NOT met"),
    )


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------


def build(dbname, customers, template, today, sections):
    """The database of the two companies; the views measured on the way.
    Returns (company ids, views figures or None)."""
    from freezegun import freeze_time

    if template:
        dropdb(dbname)
        subprocess.run(["createdb", "-T", template, dbname], check=True)
    else:
        createdb(dbname, SUITE)
    yesterday = today - timedelta(days=1)
    place = sections & {"views", "lifecycle"}
    views = None
    with odoo_env(dbname) as env:
        company_a = env.company
        t0 = clock()
        first_id = insert_customers(env, customers)
        generate_documents(env, first_id, 10, today.date())
        bulk_done(env)
        seconds = clock() - t0
        partners = env["res.partner"].search([("id", ">", first_id)])
        placed_a = 0.0
        if place:
            with freeze_time(yesterday):
                t0 = clock()
                place_yesterday(env, company_a, partners)
                placed_a = clock() - t0
        if "views" in sections:
            single = user_views(env, [company_a.id])
        company_b = add_company_b(env)
        env_b = env(context=dict(env.context, allowed_company_ids=[company_b.id]))
        t0 = clock()
        generate_documents(env_b, first_id, 10, today.date())
        bulk_done(env)
        seconds += clock() - t0
        record(
            "data",
            f"generate {customers} shared customers, {customers * 8} documents "
            f"and {customers * 10} interactions in each of 2 companies (SQL)",
            f"{seconds:.1f}",
            "s",
            f"company B in {company_b.currency_id.name}, company A in "
            f"{company_a.currency_id.name}",
        )
        if place:
            with freeze_time(yesterday):
                t0 = clock()
                place_yesterday(env, company_b, partners)
                placed_b = clock() - t0
            record(
                "data",
                "facts and placement at installation (yesterday), company A / B",
                f"{placed_a:.1f} / {placed_b:.1f}",
                "s",
            )
        if "views" in sections:
            only_a = user_views(env, [company_a.id])
            both = user_views(env, [company_a.id, company_b.id])
            views = (single, only_a, both)
        if "segmentation" in sections:
            with freeze_time(yesterday):
                t0 = clock()
                states = segment_yesterday(env)
            record(
                "data",
                "customer value fits and nightly segmentation job (yesterday), "
                "both companies",
                f"{clock() - t0:.1f}",
                "s",
                f"models {' / '.join(states)}",
            )
        company_ids = [company_a.id, company_b.id]
    return company_ids, views


def bench(customers, sections, keep, templates):
    import odoo.sql_db

    today = datetime.now().replace(hour=2, minute=0, second=0, microsecond=0)
    gen = f"{DB_PREFIX}gen"
    company_ids, views = build(gen, customers, templates[0], today, sections)
    if views:
        core = f"{DB_PREFIX}core"
        record_views(customers, views, core_views(core, customers, templates[1], today))
        if not keep:
            dropdb(core)
    jobs = [job for job in ("lifecycle", "segmentation") if job in sections]
    if jobs:
        odoo.sql_db.close_db(gen)
        vacuum(gen)
        copies = {"one": f"{DB_PREFIX}one", "two": f"{DB_PREFIX}two"}
        scopes = {"one": company_ids[:1], "two": company_ids}
        runs = {}
        for repeat in range(REPEATS):
            # fresh copies of yesterday for each round: the jobs of a round
            # leave today's work done
            for name in copies.values():
                dropdb(name)
                subprocess.run(["createdb", "-T", gen, name], check=True)
            for job in jobs:
                for key, dbname in copies.items():
                    if job == "segmentation":
                        vacuum(dbname)  # what autovacuum does after the other job
                    log(
                        f"{job} job on {dbname} for companies {scopes[key]}"
                        f" (round {repeat + 1} of {REPEATS})"
                    )
                    runs.setdefault((job, key), []).append(
                        job_figures(job, dbname, today, scopes[key])
                    )
        if not keep:
            for name in (gen, *copies.values()):
                dropdb(name)
        labels = {
            "lifecycle": "lifecycle",
            "segmentation": "segmentation (RFM + predictions + matrices)",
        }
        for job in jobs:
            record_jobs(labels[job], customers, runs[job, "one"], runs[job, "two"])
    elif not keep:
        dropdb(gen)


def main():
    global DB_PREFIX  # noqa: PLW0603
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--only", default="views,lifecycle,segmentation")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--db-prefix", default=DB_PREFIX, help="prefix of the databases' names"
    )
    parser.add_argument(
        "--templates",
        default=",",
        help="SUITE,CORE: empty databases with crm_lifecycle and crm_segmentation"
        f" installed, and with {CORE}, copied instead of installing them",
    )
    parser.add_argument("--markdown")
    parser.add_argument("--job", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    DB_PREFIX = args.db_prefix
    if args.job:
        job, dbname, today, company_ids = args.job
        run_job(job, dbname, today, [int(cid) for cid in company_ids.split(",")])
        return 0
    bench(
        args.customers,
        set(args.only.split(",")),
        args.keep,
        args.templates.split(","),
    )
    if args.markdown:
        write_markdown(args.markdown, title="One database, several companies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
