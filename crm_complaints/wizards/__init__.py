from . import account_move_reversal
from . import stock_return_picking
