# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import logistics_tracking_event_add
from . import logistics_tracking_import
from . import logistics_escalation_wizard
from . import logistics_ticket_merge_wizard
from . import logistics_waybill_track
from . import logistics_station_import
