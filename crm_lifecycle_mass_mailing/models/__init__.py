from . import crm_interaction
from . import mailing_trace
from . import res_partner
from . import mailing_trace_backfill
