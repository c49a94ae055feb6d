from . import test_access_matrix
from . import test_consent_retention
from . import test_data_protection
from . import test_privacy_register
