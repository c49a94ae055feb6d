from . import test_crm_lifecycle_stage
from . import test_need_to_know
from . import test_role_tours
from . import test_timeline_views
from . import test_timeline_backfill
from . import test_entry_actions
from . import test_nightly_shares
from . import test_facts_currency
