from . import privacy_log
from . import res_company
from . import res_partner_data_protection
from . import res_partner_retention
from . import data_recycle_model
from . import data_recycle_record
