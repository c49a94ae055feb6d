from . import test_customers_dashboard
