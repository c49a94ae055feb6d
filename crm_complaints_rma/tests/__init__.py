from . import test_crm_complaint_rma
