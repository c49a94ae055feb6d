from . import test_complaint_personal_data
from . import test_data_protection_complaints
