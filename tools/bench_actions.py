"""Benchmarks of the actions on entering a lifecycle stage or a segment cell,
and of the audience of a mailing to a segment (see `make bench`).

    .venv/bin/python tools/bench_actions.py [--customers 1000,10000]
        [--segment 100000] [--keep] [--db crm_bench_actions] [--markdown FILE]

- nightly: at each size of --customers, that many new customers (bulk SQL,
  in Spain, with an e-mail address and a salesperson among five) are moved by
  the nightly lifecycle job into a stage and by the nightly segmentation job
  into a segment cell, each carrying three actions (an activity for the
  salesperson, the welcome e-mail template, a mailing list): time of both
  jobs (target < 30 s for 10,000 customers; a first night of 200 customers,
  not reported, fills the caches) and the CPU they used (Odoo's
  process and the PostgreSQL server process, read from /proc: on a shared
  machine the wall time also waits for a CPU), their query count at each size
  (it must not depend on the number of customers moved; the lifecycle job
  runs in one batch of the largest size) and the number of batches each
  action ran in (target: one);
- audience: the customers of the segment brought to --segment (bulk SQL and
  one placement, actions off), then a mailing to the segment resolves its
  recipients at send time (``_get_remaining_recipients``) and counts them:
  time (target < 2 s for 100,000 customers) and queries.

Prints a table and, with --markdown, appends it to FILE.
"""

import argparse
import contextlib
import os
import sys
import time
from collections import Counter

from bench_common import (
    bulk_done,
    clock,
    createdb,
    dropdb,
    insert_customers,
    measure,
    odoo_env,
    record,
    write_markdown,
)

SUITE = "crm_segmentation_mass_mailing"
DB = "crm_bench_actions"
SALESPEOPLE = 5
NIGHTLY_TARGET = 30.0  # seconds, for 10,000 customers
AUDIENCE_TARGET = 2.0  # seconds, for 100,000 customers
# customers of the first night, which fills the caches; more than 100: the
# moves and actions of a nightly batch take their bulk path above it
WARM_UP = 200


def setup(env):
    """Five salespeople in a team, a start stage and a customer stage reached
    by a rule on the country, a Region x everyone matrix whose Spain cell is
    entered, and three actions (activity, e-mail, mailing list) on the stage
    and on the cell. Returns (start stage, stage, cell, actions)."""
    from odoo.fields import Command

    users = env["res.users"].create(
        [
            {
                "name": f"Bench salesperson {i}",
                "login": f"bench_sales_{i}",
                "email": f"sales{i}@example.com",
                "group_ids": [
                    Command.link(env.ref("sales_team.group_sale_salesman").id)
                ],
            }
            for i in range(SALESPEOPLE)
        ]
    )
    env["crm.team"].create(
        {"name": "Bench team", "user_id": users[0].id, "member_ids": users.ids}
    )
    Stage = env["crm.lifecycle.stage"]
    start = Stage.create(
        {
            "name": "Bench start",
            "code": "bench_start",
            "kind": "prospect",
            "sequence": 1,
        }
    )
    stage = Stage.create(
        {
            "name": "Bench customer",
            "code": "bench_customer",
            "kind": "customer",
            "sequence": 99,
        }
    )
    env["crm.lifecycle.rule"].search([]).active = False
    env["crm.lifecycle.rule"].create(
        {
            "name": "Bench: customers of Spain",
            "filter_domain": "[('country_id.code', '=', 'ES')]",
            "stage_id": stage.id,
        }
    )
    Dimension = env["crm.segment.dimension"]
    region = Dimension.create(
        {
            "name": "Region",
            "level_ids": [
                Command.create(
                    {"name": "Spain", "domain": "[('country_id.code', '=', 'ES')]"}
                )
            ],
        }
    )
    everyone = Dimension.create(
        {"name": "Everyone", "level_ids": [Command.create({"name": "All"})]}
    )
    env["crm.segment.matrix"].search([]).active = False
    matrix = env["crm.segment.matrix"].create(
        {
            "name": "Region x everyone",
            "row_dimension_id": region.id,
            "col_dimension_id": everyone.id,
        }
    )
    matrix.action_generate_cells()
    cell = matrix.cell_ids.filtered(
        lambda c: c.row_level_id.name == "Spain" and c.col_level_id.name == "All"
    )
    template = env.ref("crm_lifecycle.mail_template_entry_welcome")
    call = env.ref("mail.mail_activity_data_call")
    actions = env["crm.lifecycle.entry.action"]
    for target in ({"stage_id": stage.id}, {"cell_id": cell.id}):
        mailing_list = env["mailing.list"].create({"name": f"Bench list {target}"})
        actions |= actions.create(
            [
                {
                    "name": "Call them",
                    "action_type": "activity",
                    "activity_type_id": call.id,
                    **target,
                },
                {
                    "name": "Welcome",
                    "action_type": "mail",
                    "mail_template_id": template.id,
                    **target,
                },
                {
                    "name": "Newsletter",
                    "action_type": "mailing_list",
                    "mailing_list_id": mailing_list.id,
                    **target,
                },
            ]
        )
    env.cr.commit()
    return start, stage, cell, actions, users


def generate(env, count, start, users):
    """``count`` customers of Spain in the start stage, with an e-mail address
    and one of the salespeople, in bulk SQL."""
    from odoo.tools import SQL

    t0 = clock()
    first_id = insert_customers(env, count, [env.ref("base.es").id])
    env.cr.execute(
        SQL(
            """
            UPDATE res_partner
               SET email = 'bench' || id || '@example.com',
                   email_normalized = 'bench' || id || '@example.com',
                   user_id = (%(users)s::int[])[1 + id %% %(n)s],
                   lifecycle_stage_id = jsonb_build_object(%(company)s, %(start)s)
             WHERE id > %(first_id)s
            """,
            users=users.ids,
            n=len(users),
            company=str(env.company.id),
            start=start.id,
            first_id=first_id,
        )
    )
    bulk_done(env)
    return clock() - t0


class BatchCounter:
    """Counts the batches each action runs in (``_run_on`` calls)."""

    def __init__(self, env):
        self.model = type(env["crm.lifecycle.entry.action"])
        self.original = self.model._run_on
        self.calls = Counter()

    def __enter__(self):
        counter = self

        def _run_on(action, entries):
            counter.calls[action.id] += 1
            return counter.original(action, entries)

        self.model._run_on = _run_on
        return self

    def __exit__(self, *exc):
        self.model._run_on = self.original


def backend_cpu(cr):
    """Seconds of CPU the database server process of ``cr`` has used, or
    None when it cannot be read (a server on another machine)."""
    pid = cr.connection.get_backend_pid()
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, the 14th and 15th fields (11th and 12th after the name)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def measure_cpu(cr):
    """``measure`` plus the CPU seconds of this process (``cpu``) and of the
    database server process (``db_cpu``, None if unknown): on a shared
    machine the wall time waits for the CPU, these do not."""
    cpu0, db0 = time.process_time(), backend_cpu(cr)
    with measure(cr) as out:
        yield out
    db1 = backend_cpu(cr)
    out["cpu"] = time.process_time() - cpu0
    out["db_cpu"] = db1 - db0 if db0 is not None and db1 is not None else None


def cpu_note(*measures):
    cpu = sum(m["cpu"] for m in measures)
    if any(m["db_cpu"] is None for m in measures):
        return f"CPU {cpu:.1f} s (Odoo)"
    db_cpu = sum(m["db_cpu"] for m in measures)
    return f"CPU {cpu + db_cpu:.1f} s (Odoo {cpu:.1f} s, PostgreSQL {db_cpu:.1f} s)"


def nightly(env, batch_size):
    """Both nightly jobs; returns their measures."""
    # the jobs run once a day: let them run again today
    env["res.company"].search([]).rfm_date_computed = False
    env["crm.segment.matrix"].search([]).date_recompute = False
    env.cr.commit()
    env.invalidate_all()
    with measure_cpu(env.cr) as stage_m:
        env["res.partner"]._cron_lifecycle_nightly(batch_size=batch_size)
    env.invalidate_all()
    with measure_cpu(env.cr) as cell_m:
        env["crm.segment.matrix"]._cron_segmentation_nightly()
    env.cr.commit()
    return stage_m, cell_m


def bench_nightly(env, sizes, start, stage, cell, actions, users):
    counts = []
    batch_size = max(sizes)
    # a first night, not reported, fills the caches (defaults, templates,
    # access rules...): else the first size counts the queries filling them
    generate(env, WARM_UP, start, users)
    nightly(env, batch_size)
    for size in sizes:
        seconds = generate(env, size, start, users)
        record(
            "nightly",
            f"generate {size} customers of Spain, e-mail, salesperson (SQL)",
            f"{seconds:.1f}",
            "s",
        )
        logs_before = env["crm.lifecycle.entry.action.log"].search_count([])
        with BatchCounter(env) as batches:
            stage_m, cell_m = nightly(env, batch_size)
        Log = env["crm.lifecycle.entry.action.log"]
        logs = Log.search_count([]) - logs_before
        failed = Log.search_count([("state", "=", "failed")])
        total = stage_m["seconds"] + cell_m["seconds"]
        target = f"target < {NIGHTLY_TARGET:.0f} s" if size >= 10000 else ""
        record(
            "nightly",
            f"{size} customers enter a stage and a cell with 3 actions each",
            f"{total:.1f}",
            "s",
            f"lifecycle job {stage_m['seconds']:.1f} s, segmentation job "
            f"{cell_m['seconds']:.1f} s; {cpu_note(stage_m, cell_m)}; "
            f"{logs} action runs ({failed} failed in all)"
            + (f"; {target}, ratio {total / NIGHTLY_TARGET:.2f}" if target else ""),
        )
        per_action = sorted(batches.calls[action.id] for action in actions)
        record(
            "nightly",
            f"batches per action ({len(actions)} actions), {size} customers",
            f"{min(per_action)}-{max(per_action)}",
            "batches",
            "target: 1",
        )
        counts.append((stage_m["queries"], cell_m["queries"]))
    record(
        "nightly",
        f"queries of the lifecycle / segmentation jobs at "
        f"{' / '.join(str(s) for s in sizes)} customers moved",
        " ; ".join(f"{a} / {b}" for a, b in counts),
        "queries",
        ("constant" if len(set(counts)) == 1 else "varies")
        + f" (lifecycle job in batches of {batch_size})",
    )
    return stage, cell


def bench_audience(env, segment_size, stage, cell, actions):
    """A mailing to a segment of ``segment_size`` customers resolves its
    recipients."""
    from odoo.fields import Command
    from odoo.tools import SQL

    actions.active = False
    env["mailing.list"].search([]).segment_cell_ids = False
    in_cell = env["crm.segment.membership"].search_count([("cell_id", "=", cell.id)])
    missing = max(segment_size - in_cell, 0)
    t0 = clock()
    if missing:
        first_id = insert_customers(env, missing, [env.ref("base.es").id])
        env.cr.execute(
            SQL(
                """
                UPDATE res_partner
                   SET email = 'bench' || id || '@example.com',
                       email_normalized = 'bench' || id || '@example.com',
                       lifecycle_stage_id = jsonb_build_object(%s, %s)
                 WHERE id > %s
                """,
                str(env.company.id),
                stage.id,
                first_id,
            )
        )
        bulk_done(env)
        cell.matrix_id._recompute()
        env.cr.commit()
    in_cell = env["crm.segment.membership"].search_count([("cell_id", "=", cell.id)])
    record(
        "audience",
        f"bring the segment to {in_cell} customers (SQL and one placement)",
        f"{clock() - t0:.1f}",
        "s",
    )
    mailing = env["mailing.mailing"].create(
        {
            "subject": "Bench offer",
            "mailing_model_id": env.ref("base.model_res_partner").id,
            "body_html": "<p>Hello</p>",
            "segment_cell_ids": [Command.set(cell.ids)],
        }
    )
    env.cr.commit()
    env.invalidate_all()
    with measure(env.cr) as m:
        recipients = mailing._get_remaining_recipients()
    target = f"; target < {AUDIENCE_TARGET:.0f} s" if in_cell >= 100000 else ""
    record(
        "audience",
        f"recipients of a mailing to a segment of {in_cell} customers",
        f"{m['seconds']:.2f}",
        "s",
        f"{len(recipients)} recipients, {m['queries']} queries{target}"
        + (f", ratio {m['seconds'] / AUDIENCE_TARGET:.2f}" if target else ""),
    )
    env.invalidate_all()
    with measure(env.cr) as m:
        mailing._compute_total()
    record(
        "audience",
        f"recipient count of the mailing form, {in_cell} customers",
        f"{m['seconds']:.2f}",
        "s",
        f"{mailing.total} recipients, {m['queries']} queries",
    )


def bench(sizes, segment_size, keep, db=DB):
    createdb(db, SUITE)
    with odoo_env(db) as env:
        start, stage, cell, actions, users = setup(env)
        bench_nightly(env, sizes, start, stage, cell, actions, users)
        if segment_size:
            bench_audience(env, segment_size, stage, cell, actions)
    if not keep:
        dropdb(db)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", default="1000,10000")
    parser.add_argument("--segment", type=int, default=100000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--db", default=DB, help=f"database name (default {DB})")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.customers.split(","))
    bench(sizes, args.segment, args.keep, db=args.db)
    if args.markdown:
        write_markdown(args.markdown, title="Actions on entering and audiences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
