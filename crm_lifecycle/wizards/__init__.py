from . import crm_portfolio_transfer
