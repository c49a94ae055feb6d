from . import crm_segment_cell
from . import crm_segment_membership
from . import crm_lifecycle_entry_action
from . import mailing_mailing
from . import crm_segment_history
from . import mailing_list
