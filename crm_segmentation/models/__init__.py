from . import crm_segment_dimension
from . import res_partner
from . import clv_math
from . import crm_clv_model
from . import crm_cross_sell
from . import res_company_cross_sell
from . import res_partner_cross_sell
from . import sale_order
