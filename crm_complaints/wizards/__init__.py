from . import crm_complaint_wizard_mixin
from . import account_move_reversal
from . import stock_return_picking
from . import account_move_dispute
