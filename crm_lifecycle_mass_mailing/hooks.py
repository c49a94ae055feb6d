# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """The mailings sent before: into the timelines in the background."""
    env["mailing.trace"]._lifecycle_start_campaign_backfill()
