# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's settings: every ``ir.config_parameter`` key of the addon in
one place, with its type and default, read through typed getters.

A value that is not set, or that does not parse as the setting's type (an
administrator's typo in System Parameters), reads as the default: a bad
value never breaks a cron or a form. The settings form
(``res.config.settings``) names its keys through :func:`setting_key`.
"""

from typing import NamedTuple

from ..core import delivery as delivery_core
from ..core import notify as notify_core
from ..core import problem as problem_core
from ..core import receipt as receipt_core
from ..core import transit as transit_core

PREFIX = "logistics_followup."


class Setting(NamedTuple):
    kind: type  # str, int, float or bool
    default: object


#: Name (the key without :data:`PREFIX`) -> type and default.
SETTINGS: dict[str, Setting] = {
    # tracking ingestion (R-WB-3)
    "ingest_unknown_waybill": Setting(str, "create"),
    "event_time_min": Setting(str, None),  # a date, read by the event model
    "kuaidi100_salt": Setting(str, None),
    "kuaidi100_customer": Setting(str, None),
    "kuaidi100_key": Setting(str, None),
    # tracking stops (core.transit)
    "no_record_days": Setting(int, transit_core.DEFAULT_NO_RECORD_DAYS),
    "no_change_days": Setting(int, transit_core.DEFAULT_NO_CHANGE_DAYS),
    # problem parcels and tickets (R-PP-4..7, R-CP-1)
    "stall_days": Setting(float, problem_core.DEFAULT_STALL_DAYS),
    "no_first_scan_hours": Setting(float, problem_core.DEFAULT_NO_FIRST_SCAN_HOURS),
    "at_station_hours": Setting(float, problem_core.DEFAULT_AT_STATION_HOURS),
    "deadline_warning_hours": Setting(float, problem_core.DEFAULT_WARNING_HOURS),
    "uninsured_multiple": Setting(float, problem_core.DEFAULT_UNINSURED_MULTIPLE),
    "escalation_reply_hours": Setting(float, 4.0),
    "complaint_revisit_days": Setting(int, 1),
    # delivery rounds (R-DR)
    "round_deadline_mode": Setting(str, delivery_core.DEFAULT_DEADLINE_MODE),
    "round_deadline_hours": Setting(float, delivery_core.DEFAULT_DEADLINE_HOURS),
    "round_deadline_cutoff": Setting(float, delivery_core.DEFAULT_CUTOFF_HOUR),
    # signed receipts (R-RC-8, PIPL Art. 19)
    **{
        f"receipt_days_{key}": Setting(int, days)
        for key, days in receipt_core.DEFAULT_DEADLINE_DAYS.items()
    },
    "receipt_id_retention_days": Setting(int, 180),
    "receipt_clerk_id": Setting(int, None),
    # customer notifications
    "notify_enabled": Setting(bool, True),
    "notify_max_age_days": Setting(float, notify_core.DEFAULT_MAX_AGE_DAYS),
    # revisits (R-RV-4)
    "revisit_quota": Setting(int, 4),
    "revisit_daily_max": Setting(int, 12),
    # the demo company's currency (an XML id), applied once after the install
    "demo_currency": Setting(str, None),
}


def setting_key(name):
    """The ``ir.config_parameter`` key of the setting ``name``."""
    if name not in SETTINGS:
        raise KeyError(name)
    return PREFIX + name


def _parse(kind, raw):
    if kind is bool:
        return raw not in ("0", "False", "false", "")
    if kind is str:
        return raw
    return kind(raw)


def get_setting(env, name):
    """The value of the setting ``name``, of its type; its default when not
    set or not parsable."""
    kind, default = SETTINGS[name]
    raw = env["ir.config_parameter"].sudo().get_param(setting_key(name))
    if raw is None or raw is False or (raw == "" and kind is not bool):
        return default
    try:
        return _parse(kind, raw)
    except (TypeError, ValueError):
        return default


def set_setting(env, name, value):
    """Store ``value`` (``False`` / ``None``: unset) for the setting."""
    if SETTINGS[name].kind is bool and value is not None:
        value = "1" if value else "0"
    env["ir.config_parameter"].sudo().set_param(setting_key(name), value)
