from . import test_crm_lifecycle_stage
