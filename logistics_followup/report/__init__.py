# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import logistics_receipt_report
from . import logistics_shipment_report
from . import logistics_ticket_report
from . import logistics_complaint_rate_report
from . import logistics_revisit_report
