"""Benchmark of crm_complaints' SLA job (see `make bench`).

    .venv/bin/python tools/bench_complaints.py [--complaints 10000] [--markdown FILE]

Creates N open complaints (through the ORM, in batches: their SLA deadlines are
computed the real way, on the team's working calendar) two working days ago, so
that at run time most of them are at risk or breached, then times the SLA job
(refresh of the statuses, warnings to the owners, escalations to the team
leader) until it has nothing left to do.
"""

import argparse
import sys
from datetime import datetime, timedelta

import bench_common as common


def bench_sla(count, keep, dbname="crm_bench_sla"):
    from freezegun import freeze_time

    common.createdb(dbname, "crm_complaints")
    with common.odoo_env(dbname) as env:
        leader = env["res.users"].create(
            {"name": "Team leader", "login": "bench_leader", "email": "l@example.com"}
        )
        agents = env["res.users"].create(
            [
                {"name": f"Agent {i}", "login": f"bench_agent{i}", "email": "a@x.com"}
                for i in range(10)
            ]
        )
        # no acknowledgement e-mails: creating the data is not what is measured
        team = env["crm.complaint.team"].create(
            {
                "name": "Bench team",
                "user_id": leader.id,
                "member_ids": agents.ids,
                "acknowledgement_template_id": False,
            }
        )
        env["crm.complaint.sla.policy"].create(
            {
                "name": "Standard",
                "response_hours": 8,
                "resolution_hours": 24,
                "warning_hours": 2,
            }
        )
        customers = common.create_customers(env, "SLA customer", max(count // 10, 1))
        env.cr.commit()
        # a busy morning: 90% of the open complaints arrived in the last hours
        # (on track), 10% three days ago (breached: escalations to send)
        recent = datetime.now() - timedelta(hours=1)
        old = datetime.now() - timedelta(days=3)
        t0 = common.clock()
        Complaint = env["crm.complaint"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        breached = count // 10
        for first, last, when in ((0, breached, old), (breached, count, recent)):
            for offset in range(first, last, 1000):
                with freeze_time(when):
                    Complaint.create(
                        [
                            {
                                "subject": f"Bench complaint {i}",
                                "partner_id": customers[i % len(customers)].id,
                                "team_id": team.id,
                                "user_id": agents[i % len(agents)].id,
                                "priority": str(i % 4),
                            }
                            for i in range(offset, min(offset + 1000, last))
                        ]
                    )
                env.cr.commit()
        common.record(
            "sla",
            f"create {count} complaints with their SLA deadlines (ORM)",
            f"{common.clock() - t0:.1f}",
            "s",
        )
        env.cr.execute("ANALYZE")
        env.invalidate_all()
        with common.measure(env.cr) as m:
            domain = Complaint._sla_cron_domain(datetime.now())
            runs = 0
            while Complaint.search_count(domain):
                Complaint._cron_sla_check(batch_size=1000)
                env.cr.commit()
                runs += 1
                domain = Complaint._sla_cron_domain(datetime.now())
        breached = Complaint.search_count([("sla_status", "=", "breached")])
        warned = Complaint.search_count([("sla_warning_sent", "=", True)])
        common.record(
            "sla",
            f"SLA job over {count} open complaints",
            f"{m['seconds']:.1f}",
            "s",
            f"target < 10 s; {m['queries']} queries in {runs} batches; "
            f"{breached} breached, {warned} warned",
        )
        bench_complaint_event(env, customers)
    if not keep:
        common.dropdb(dbname)


def bench_complaint_event(env, customers, events=50):
    """What a complaint costs the customer lifecycle: the facts its event
    re-reads (the complaint and interaction groups it names, in one query)
    against a refresh of every fact, what complaint events did before they
    named their groups."""
    Event = env["crm.lifecycle.event"]
    groups = Event._get_by_code("complaint_opened")._get_fact_groups()
    all_groups = tuple(env["res.partner"]._lifecycle_fact_groups())
    customers = customers[:events].sudo()
    measured = {}
    for label, read in (("its groups", groups), ("all groups", None)):
        env.flush_all()
        env.invalidate_all()
        with common.measure(env.cr) as m:
            for customer in customers:
                customer._lifecycle_refresh_facts(read, one_query=read is not None)
                env.flush_all()
        measured[label] = m
        env.cr.rollback()
    ours, everything = measured["its groups"], measured["all groups"]
    common.record(
        "sla",
        f"complaint event: facts of {len(customers)} customers, its groups",
        f"{ours['queries'] / len(customers):.1f}",
        "queries/event",
        f"{', '.join(groups)}: {1000 * ours['seconds'] / len(customers):.2f} ms/event",
    )
    common.record(
        "sla",
        "complaint event: the same, all fact groups (before)",
        f"{everything['queries'] / len(customers):.1f}",
        "queries/event",
        f"{len(all_groups)} groups: "
        f"{1000 * everything['seconds'] / len(customers):.2f} ms/event, "
        f"{everything['seconds'] / max(ours['seconds'], 1e-9):.1f}x the time",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--complaints", type=int, default=10000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--db", default="crm_bench_sla", help="database name")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    bench_sla(args.complaints, args.keep, args.db)
    if args.markdown:
        common.write_markdown(args.markdown, title="crm_complaints")
    return 0


if __name__ == "__main__":
    sys.exit(main())
