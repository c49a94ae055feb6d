from . import test_crm_segment_access
from . import test_clv_math
from . import test_clv_model
from . import test_cross_sell
from . import test_cross_sell_ui
