from . import crm_segment_cell
from . import crm_segment_membership
from . import res_partner
