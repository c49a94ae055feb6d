from . import test_crm_segment_access
