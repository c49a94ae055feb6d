# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Resumable work in batches for scheduled actions (plain Python, no model)."""

import weakref

from odoo import fields
from odoo.fields import Domain
from odoo.tools import SQL, config


def run_in_id_batches(records, domain, cursor_param, process, batch_size):
    """Process the records of ``domain`` in batches by id, committing after
    each batch (``ir.cron._commit_progress``) and keeping the last id done in
    the system parameter ``cursor_param``, so that an interrupted run resumes
    where it stopped. The scheduled action deactivates itself when done.

    :param records: an (empty) recordset of the model to read, with the rights
        to read it
    :param process: ``batch -> None``, idempotent
    """
    env = records.env
    params = env["ir.config_parameter"].sudo()
    cron = env["ir.cron"]
    last_id = int(params.get_param(cursor_param, 0))
    while True:
        batch = records.search(
            domain & Domain("id", ">", last_id), order="id", limit=batch_size
        )
        if not batch:
            cron._commit_progress(remaining=0, deactivate=True)
            return
        process(batch)
        last_id = batch[-1].id
        params.set_param(cursor_param, last_id)
        remaining = records.search_count(domain & Domain("id", ">", last_id))
        if cron._commit_progress(len(batch), remaining=remaining) <= 0:
            return


# what the runs of scheduled actions in this process keep from one call to the
# next, by the run's cursor (``run_memo``): gone with the cursor
_RUN_MEMOS = weakref.WeakKeyDictionary()


def run_memo(env, key, compute):
    """The value of ``compute()``, computed once per run of the scheduled
    action running now and kept for the next calls of the run (``key``: what
    else it depends on). Outside a scheduled action, computed for each call.

    Odoo calls a scheduled action's method again and again in one run
    (``ir.cron._run_job``: ten calls at least), all in one cursor and with one
    ``cron_end_time``; but each commit clears the cursor's cache
    (``cr.cache``). The memo is kept with the run's cursor instead, and goes
    with it: a value never outlives its run (the next run computes it again,
    with what changed since)."""
    context = env.context
    if not (context.get("cron_id") and context.get("cron_end_time")):
        return compute()
    memo = _RUN_MEMOS.setdefault(env.cr, {})
    key = (context["cron_id"], context["cron_end_time"], key)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def shard_domain(index, count, column="id"):
    """The records whose ``column`` (an integer column of the model) falls in
    shard ``index`` of ``count``: ``column % count = index``. The shards of a
    count partition the records, whatever runs them and in which order."""
    if count <= 1:
        return Domain.TRUE

    def in_shard(record):
        value = record[column]
        return (value if isinstance(value, int) else value.id) % count == index

    return Domain.custom(
        to_sql=lambda model, alias, query: SQL(
            "%s %% %s = %s", SQL.identifier(alias, column), count, index
        ),
        predicate=in_shard,
    )


def _method_crons(env, method):
    """The active scheduled actions whose code calls ``method``, in id
    order."""
    return (
        env["ir.cron"]
        .sudo()
        .search([("code", "like", f"{method}("), ("state", "=", "code")], order="id")
    )


def _shares(crons, workers=None):
    """The first of ``crons`` that have a share of the work: as many as the
    server's cron workers (``workers``, by default its ``max_cron_threads``)
    at most."""
    if workers is None:
        workers = config["max_cron_threads"]
    return crons[: max(workers, 1)]


def cron_shard(env, method, workers=None):
    """The share of the work of the scheduled action running now, among the
    active scheduled actions whose code calls ``method`` (in id order), as
    ``(index, count)``: ``count`` is the number of such scheduled actions, at
    most the server's cron workers (``workers``, by default its
    ``max_cron_threads``). ``(0, 1)`` (all the
    work) outside a scheduled action, with one cron worker or one such action;
    ``None`` (no work) for the actions beyond the number of cron workers.

    Each of these scheduled actions is an ``ir_cron`` row Odoo's cron locks
    while it runs: each runs in one cron worker at a time, several at the same
    time when there are several workers, and their shares never overlap."""
    cron_id = env.context.get("cron_id")
    if not cron_id:
        return 0, 1
    crons = _method_crons(env, method)
    if cron_id not in crons.ids:
        return 0, 1
    shares = _shares(crons, workers)
    if cron_id not in shares.ids:
        return None
    return shares.ids.index(cron_id), len(shares)


def wake_cron_shares(env, method, workers=None):
    """Wake the cron workers for the other shares of ``method``'s work due
    now (see ``cron_shard``), from the scheduled action running now: a
    trigger for each (``ir.cron._trigger``), whose notification wakes the
    idle cron workers when the transaction commits. Returns the scheduled
    actions triggered.

    Odoo's cron workers look for due jobs once a minute, each at its own
    second (``WorkerCron.sleep``: 60 seconds plus its process id modulo 10),
    so the scheduled actions of the shares would start up to a minute apart,
    and the job would last as long as the last share started plus its
    work. A share running already is not woken (it would run again, for
    nothing, once done)."""
    cron_id = env.context.get("cron_id")
    if not cron_id:
        return env["ir.cron"]
    now = fields.Datetime.now()
    progress = env["ir.cron.progress"].sudo()
    others = _shares(_method_crons(env, method), workers).filtered(
        lambda cron: cron.id != cron_id
        and cron.nextcall <= now
        # not started yet: a run records its progress from its start, and
        # moves the next call on when it ends
        and not progress.search_count(
            [("cron_id", "=", cron.id), ("create_date", ">=", cron.nextcall)],
            limit=1,
        )
    )
    for cron in others:
        cron._trigger()
    return others
