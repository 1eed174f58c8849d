# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import logistics_courier
from . import logistics_courier_number_rule
from . import delivery_carrier
from . import logistics_waybill
from . import logistics_tracking_event
from . import logistics_status_mapping
from . import stock_picking
from . import res_config_settings
from . import logistics_transit_time
from . import logistics_problem_type
from . import logistics_problem_step
from . import logistics_ticket_step
from . import logistics_peak_period
from . import logistics_response_target
from . import logistics_escalation
from . import helpdesk_ticket
from . import logistics_problem_detection
from . import logistics_delivery_area
from . import logistics_delivery_round
from . import logistics_delivery_round_line
from . import logistics_id_document_type
from . import logistics_receipt
from . import logistics_receipt_move
from . import logistics_receipt_reveal
from . import logistics_receipt_envelope
from . import logistics_receipt_envelope_line
