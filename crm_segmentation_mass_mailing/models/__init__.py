from . import crm_segment_cell
from . import crm_segment_membership
