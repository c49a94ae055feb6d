# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Resumable work in batches for scheduled actions (plain Python, no model)."""

from odoo.fields import Domain


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
