from . import crm_segment_cell
from . import crm_segment_membership
from . import res_partner
from . import crm_lifecycle_entry_action
from . import mailing_mailing
