# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import main
from . import portal
from . import notification
from . import helpdesk_portal
