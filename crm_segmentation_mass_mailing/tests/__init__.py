from . import test_crm_segment_mailing_list
from . import test_marketing_manager_tour
from . import test_entry_action_mailing_list
from . import test_mailing_segment_audience
from . import test_mailing_list_follows_segment
