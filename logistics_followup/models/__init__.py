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
from . import logistics_id_document_type
from . import logistics_receipt
from . import logistics_receipt_move
from . import logistics_receipt_reveal
from . import logistics_receipt_envelope
from . import logistics_receipt_envelope_line
