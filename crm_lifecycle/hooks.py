# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """Bring in what a database already has: its documents into the customers'
    timelines, then each customer into its lifecycle stage."""
    customer_ids = env["crm.interaction"]._backfill_from_documents()
    if customer_ids:
        env["res.partner"].browse(customer_ids)._lifecycle_refresh_facts()
    env["res.partner"]._lifecycle_initial_evaluation()
    # the e-mails exchanged before: in the background, in resumable batches
    env["crm.interaction"]._lifecycle_start_email_backfill()
