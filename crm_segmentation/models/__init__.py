from . import crm_segment_dimension
from . import res_partner
