from . import crm_complaint
from . import rma
