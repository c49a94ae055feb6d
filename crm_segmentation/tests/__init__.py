from . import test_crm_segment_access
from . import test_crm_segment_matrix
from . import test_crm_segment_performance
from . import test_rfm
