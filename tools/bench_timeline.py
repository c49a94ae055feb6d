"""Benchmarks of the customer timeline (see `make bench`).

    .venv/bin/python tools/bench_timeline.py [--customers 10000]
        [--interactions 100000] [--messages 1000000] [--markdown FILE]

Builds crm_bench_timeline (crm_lifecycle and the Email Marketing bridge), with
bulk SQL where the data is large, and measures:

- the timeline of a customer with ``--interactions`` interactions against one
  with 10, opened as the smart button does (day by day, ten days open): time
  and queries (target < 200 ms, the same queries);
- ``--customers`` mailing traces (sent and opened) turned into campaign
  responses in one go (target < 5 s for 10,000);
- the backfill of ``--messages`` e-mails exchanged before the installation, by
  the scheduled action's batches (target: 1,000,000 in < 10 minutes).
"""

import argparse
import sys

import bench_common as common

DB = "crm_bench_timeline"


def bench_timeline_open(env, interactions):
    from odoo.tools import SQL

    small, big = common.create_customers(env, "Timeline customer", 2)
    env.cr.execute(
        SQL(
            """
            INSERT INTO crm_interaction (name, partner_id, company_id, date,
                                         interaction_type, direction, channel,
                                         department, is_automatic, create_date,
                                         write_date)
            SELECT 'Call ' || g, p.id, %(company)s,
                   now() - make_interval(hours => g * p.step), 'call', 'outbound',
                   'phone', 'sales', FALSE, now(), now()
              FROM (VALUES (%(small)s, 10, 24), (%(big)s, %(count)s, 1))
                   AS p(id, n, step),
                   generate_series(1, p.n) g
            """,
            company=env.company.id,
            small=small.id,
            big=big.id,
            count=interactions,
        )
    )
    common.bulk_done(env)

    def open_timeline(partner):
        action = partner.action_view_interactions()
        Interaction = env["crm.interaction"].with_context(**action["context"])
        # as the web client asks: the timeline's list opens its groups
        # (expand="1"), so it loads the first 10 days
        # (RelationalModel.DEFAULT_OPEN_GROUP_LIMIT), more on "load more"
        return Interaction.web_read_group(
            action["domain"],
            ["date:day"],
            limit=10,
            order="date desc",
            auto_unfold=True,
            unfold_read_specification={
                "date": {},
                "name": {},
                "interaction_type": {},
                "department": {},
                "user_id": {"fields": {"display_name": {}}},
                "source_name": {},
            },
        )

    open_timeline(small)  # caches
    measured = {}
    for label, partner in (("small", small), ("big", big)):
        env.invalidate_all()
        with common.measure(env.cr) as m:
            open_timeline(partner)
        measured[label] = m
    big_m, small_m = measured["big"], measured["small"]
    common.record(
        "timeline",
        f"open a timeline of {interactions} interactions (day by day)",
        f"{big_m['seconds'] * 1000:.0f}",
        "ms",
        f"target < 200 ms; {big_m['queries']} queries, {small_m['queries']} "
        f"for 10 interactions ({small_m['seconds'] * 1000:.0f} ms)",
    )
    return big_m["queries"] == small_m["queries"]


def bench_traces(env, customers):
    from odoo.tools import SQL

    first_id = common.insert_customers(env, customers)
    env.cr.execute(
        SQL(
            "UPDATE res_partner SET email = 'bench' || id || '@example.com', "
            "email_normalized = 'bench' || id || '@example.com' WHERE id > %s",
            first_id,
        )
    )
    mailing = env["mailing.mailing"].create(
        {
            "name": "Bench campaign",
            "subject": "Bench campaign",
            "body_html": "<p>Hello</p>",
            "mailing_model_id": env["ir.model"]._get_id("res.partner"),
            "state": "done",
        }
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO mailing_trace (trace_type, model, res_id, email,
                                       mass_mailing_id, trace_status,
                                       sent_datetime, open_datetime,
                                       create_date, write_date)
            SELECT 'mail', 'res.partner', id, email, %s, 'open',
                   now() - interval '2 hours', now() - interval '1 hour',
                   now(), now()
              FROM res_partner WHERE id > %s
            """,
            mailing.id,
            first_id,
        )
    )
    common.bulk_done(env)
    traces = env["mailing.trace"].search([("mass_mailing_id", "=", mailing.id)])
    with common.measure(env.cr) as m:
        logged = traces._lifecycle_log_campaign_events()
        env.flush_all()
    env.cr.commit()
    common.record(
        "timeline",
        f"{len(traces)} mailing traces into campaign responses",
        f"{m['seconds']:.2f}",
        "s",
        f"target < 5 s for 10,000; {len(logged)} interactions (sent and opened), "
        f"{m['queries']} queries",
    )
    return first_id


def bench_backfill(env, messages, first_id):
    from odoo.tools import SQL

    env.company.lifecycle_email_logging = "all"
    env.cr.execute(
        SQL(
            """
            INSERT INTO mail_message (model, res_id, message_type, author_id,
                                      email_from, subject, body, date,
                                      create_date, write_date)
            SELECT 'res.partner', p.id, 'email', p.id, p.email,
                   'Question ' || g, '<p>Question ' || g || '</p>',
                   now() - make_interval(mins => g), now(), now()
              FROM generate_series(1, %(count)s) g
              JOIN res_partner p
                ON p.id = %(first)s + 1 + g %% (
                       SELECT COUNT(*) FROM res_partner WHERE id > %(first)s)
            """,
            count=messages,
            first=first_id,
        )
    )
    env["ir.config_parameter"].set_param("crm_lifecycle.email_backfill_last_id", 0)
    common.bulk_done(env)
    Interaction = env["crm.interaction"]
    before = Interaction.search_count([("interaction_type", "=", "email")])
    with common.measure(env.cr) as m:
        # outside a scheduled action, each batch commits
        Interaction._cron_backfill_emails()
    logged = Interaction.search_count([("interaction_type", "=", "email")]) - before
    common.record(
        "timeline",
        f"backfill of {messages} e-mails exchanged before",
        f"{m['seconds']:.0f}",
        "s",
        f"target: 1,000,000 in < 600 s; {logged} interactions, batches of 5,000, "
        f"{m['queries']} queries",
    )


def main():
    global DB  # noqa: PLW0603
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--interactions", type=int, default=100000)
    parser.add_argument("--messages", type=int, default=1000000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--db", default=DB, help=f"database name (default {DB})")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    DB = args.db
    common.createdb(DB, "crm_lifecycle,mass_mailing,crm_lifecycle_mass_mailing")
    with common.odoo_env(DB) as env:
        constant = bench_timeline_open(env, args.interactions)
        first_id = bench_traces(env, args.customers)
        bench_backfill(env, args.messages, first_id)
    if not args.keep:
        common.dropdb(DB)
    if args.markdown:
        common.write_markdown(args.markdown, title="Customer timeline")
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
