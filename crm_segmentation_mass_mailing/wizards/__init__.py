from . import crm_segment_mailing_list_wizard
