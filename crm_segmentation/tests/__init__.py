from . import test_crm_segment_access
from . import test_clv_math
from . import test_clv_model
from . import test_cross_sell
from . import test_cross_sell_ui
from . import test_crm_segment_matrix
from . import test_crm_segment_performance
from . import test_rfm
