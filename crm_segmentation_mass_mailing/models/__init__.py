from . import crm_segment_cell
