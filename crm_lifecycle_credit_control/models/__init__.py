from . import account_move_line
from . import credit_control_line
from . import credit_control_policy
from . import crm_lifecycle_event
from . import res_partner
