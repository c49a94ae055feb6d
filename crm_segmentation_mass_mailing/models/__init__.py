from . import crm_segment_cell
from . import res_partner
