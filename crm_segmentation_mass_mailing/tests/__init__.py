from . import test_crm_segment_mailing_list
