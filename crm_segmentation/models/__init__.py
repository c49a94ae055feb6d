from . import crm_segment_dimension
