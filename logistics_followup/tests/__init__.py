# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_security
from . import test_logistics_courier
from . import test_tracking_ingest
from . import test_stock_picking
from . import test_webhook
from . import test_transit
from . import test_tracking_import
from . import test_pull
from . import test_helpdesk_ticket
from . import test_problem_detection
from . import test_escalation
from . import test_delivery_round
from . import test_delivery_area
from . import test_station
from . import test_receipt
from . import test_receipt_envelope
from . import test_web_client
from . import test_portal
from . import test_ticket_routing
from . import test_notification
from . import test_hardening
from . import test_fuzz
from . import test_logistics_reports
from . import test_logistics_report_run
from . import test_revisit
from . import test_revisit_web_client
