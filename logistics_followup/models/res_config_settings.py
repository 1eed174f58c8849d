# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .settings import set_setting, setting_key


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_ingest_unknown_waybill = fields.Selection(
        selection=[
            ("create", "Create the waybill"),
            ("reject", "Reject the event"),
        ],
        string="Events of Unknown Waybills",
        default="create",
        config_parameter=setting_key("ingest_unknown_waybill"),
        help="What tracking events for a waybill number not yet in the database "
        "do: create the waybill, or be rejected with a reason.",
    )
    # a Date cannot be a config_parameter field: get_values / set_values
    logistics_event_time_min = fields.Date(
        string="Earliest Event Date",
        help="Tracking events dated before this day (UTC) are rejected with a "
        "reason: a scan that old is a sender's error. Events more than a day "
        "in the future are rejected too.",
    )
    logistics_kuaidi100_salt = fields.Char(
        string="Kuaidi100 Salt",
        config_parameter=setting_key("kuaidi100_salt"),
        help="The salt of your Kuaidi100 subscriptions: pushes to "
        "/logistics/webhook/kuaidi100 are accepted only when signed with it.",
    )
    logistics_no_record_days = fields.Integer(
        string="No Record After (days)",
        default=3,
        config_parameter=setting_key("no_record_days"),
        help="A waybill without any tracking event this many days after its "
        "creation is flagged for problem detection.",
    )
    logistics_no_change_days = fields.Integer(
        string="No Change For (days)",
        default=60,
        config_parameter=setting_key("no_change_days"),
        help="A waybill without a new tracking event for this many days is "
        "flagged for problem detection.",
    )
    logistics_kuaidi100_customer = fields.Char(
        string="Kuaidi100 Customer",
        config_parameter=setting_key("kuaidi100_customer"),
        help="Customer id of your Kuaidi100 account, for the real-time query "
        "of couriers set to pull from Kuaidi100.",
    )
    logistics_kuaidi100_key = fields.Char(
        string="Kuaidi100 Key",
        config_parameter=setting_key("kuaidi100_key"),
        help="Authorisation key of your Kuaidi100 account.",
    )
    # problem parcels and chase tickets (R-PP-4..7, R-CP-1, R-CP-3)
    logistics_stall_days = fields.Float(
        string="Stalled After (days)",
        default=3.0,
        config_parameter=setting_key("stall_days"),
        help="A parcel in transit without a new scan at one place for "
        "this many days is a problem parcel (peak periods have their own "
        "threshold).",
    )
    logistics_no_first_scan_hours = fields.Float(
        string="No First Scan After (hours)",
        default=24.0,
        config_parameter=setting_key("no_first_scan_hours"),
        help="A waybill created or shipped this long ago without any "
        "scan is a problem parcel.",
    )
    logistics_at_station_hours = fields.Float(
        string="Undelivered at Station After (hours)",
        default=24.0,
        config_parameter=setting_key("at_station_hours"),
        help="A parcel at its delivering station this long without "
        "being delivered is a problem parcel.",
    )
    logistics_deadline_warning_hours = fields.Float(
        string="Warn Before Deadlines (hours)",
        default=4.0,
        config_parameter=setting_key("deadline_warning_hours"),
        help="Tickets are shown as due soon, and station messages warned, "
        "this many hours before their deadline.",
    )
    logistics_uninsured_multiple = fields.Float(
        string="Uninsured Cap (x freight)",
        default=3.0,
        config_parameter=setting_key("uninsured_multiple"),
        help="Compensation of an uninsured parcel: the actual loss, capped at "
        "this multiple of the freight (3x: Postal Law Art. 47).",
    )
    logistics_escalation_reply_hours = fields.Float(
        string="Station Reply Within (hours)",
        default=4.0,
        config_parameter=setting_key("escalation_reply_hours"),
        help="Default reply deadline of a chase sent to a station or courier.",
    )
    logistics_complaint_revisit_days = fields.Integer(
        string="Revisit After Complaint (days)",
        default=1,
        config_parameter=setting_key("complaint_revisit_days"),
        help="A closed complaint schedules a revisit this many days later.",
    )
    logistics_round_deadline_mode = fields.Selection(
        selection=[
            ("after_end", "Hours after the round ends"),
            ("cutoff", "By a time of day"),
        ],
        string="Round Report Deadline",
        default="after_end",
        config_parameter=setting_key("round_deadline_mode"),
        help="When a delivery round's exception report is due: a "
        "number of hours after the round ends, or a time of day (the next "
        "day's when the round ends after it), in the company's time zone.",
    )
    logistics_round_deadline_hours = fields.Float(
        string="Report Within (hours)",
        default=2.0,
        config_parameter=setting_key("round_deadline_hours"),
    )
    logistics_round_deadline_cutoff = fields.Float(
        string="Report By (time of day)",
        default=20.0,
        config_parameter=setting_key("round_deadline_cutoff"),
    )
    # signed receipts (R-RC-8, PIPL Art. 19)
    logistics_receipt_days_direct = fields.Integer(
        string="Direct Delivery (days)",
        default=10,
        config_parameter=setting_key("receipt_days_direct"),
        help="Days after arrival to return a receipt without transfer.",
    )
    logistics_receipt_days_one_transfer = fields.Integer(
        string="One Transfer (days)",
        default=15,
        config_parameter=setting_key("receipt_days_one_transfer"),
    )
    logistics_receipt_days_two_transfers = fields.Integer(
        string="Two Transfers (days)",
        default=20,
        config_parameter=setting_key("receipt_days_two_transfers"),
    )
    logistics_receipt_days_per_extra_transfer = fields.Integer(
        string="Each Further Transfer (days)",
        default=5,
        config_parameter=setting_key("receipt_days_per_extra_transfer"),
        help="Added per transfer beyond two; the seed gives no figure for three "
        "or more transfers.",
    )
    logistics_receipt_days_max = fields.Integer(
        string="Never Later Than (days)",
        default=25,
        config_parameter=setting_key("receipt_days_max"),
    )
    logistics_receipt_id_retention_days = fields.Integer(
        string="Keep ID Numbers (days)",
        default=180,
        config_parameter=setting_key("receipt_id_retention_days"),
        help="ID numbers of a receipt are erased this many days after it was "
        "handed over; the masked form is kept (PIPL Art. 19).",
    )
    logistics_notify_enabled = fields.Boolean(
        string="Tell Customers of Their Parcels",
        compute="_compute_logistics_notify_enabled",
        inverse="_inverse_logistics_notify_enabled",
        help="Off: no customer is told of any milestone.",
    )
    logistics_notify_max_age_days = fields.Integer(
        string="Tell of Scans up to (days)",
        default=7,
        config_parameter=setting_key("notify_max_age_days"),
        help="Customers are not told of scans older than this (a late import "
        "of old tracking data stays silent).",
    )
    logistics_team_id = fields.Many2one(
        related="company_id.logistics_team_id", readonly=False
    )
    logistics_report_weekday = fields.Selection(
        related="company_id.logistics_report_weekday", readonly=False
    )
    logistics_report_weekly_hour = fields.Integer(
        related="company_id.logistics_report_weekly_hour", readonly=False
    )
    logistics_report_weekly_deadline_hour = fields.Integer(
        related="company_id.logistics_report_weekly_deadline_hour", readonly=False
    )
    logistics_report_monthly_day = fields.Integer(
        related="company_id.logistics_report_monthly_day", readonly=False
    )
    logistics_report_monthly_deadline_day = fields.Integer(
        related="company_id.logistics_report_monthly_deadline_day", readonly=False
    )
    logistics_report_partner_ids = fields.Many2many(
        related="company_id.logistics_report_partner_ids", readonly=False
    )
    logistics_receipt_clerk_id = fields.Many2one(
        comodel_name="res.users",
        string="Default Receipt Clerk",
        config_parameter=setting_key("receipt_clerk_id"),
        domain=lambda self: [
            (
                "all_group_ids",
                "in",
                self.env.ref("logistics_followup.group_logistics_receipt_clerk").ids,
            )
        ],
        help="Chases overdue receipts that have no clerk of their own. Empty: "
        "the company's first receipt clerk.",
    )

    def _compute_logistics_notify_enabled(self):
        enabled = self.env["logistics.notification"]._enabled()
        for settings in self:
            settings.logistics_notify_enabled = enabled

    def _inverse_logistics_notify_enabled(self):
        for settings in self:
            set_setting(self.env, "notify_enabled", settings.logistics_notify_enabled)

    def get_values(self):
        values = super().get_values()
        earliest = self.env["logistics.tracking.event"]._earliest_event_time()
        values["logistics_event_time_min"] = earliest.date()
        return values

    def set_values(self):
        result = super().set_values()
        set_setting(
            self.env,
            "event_time_min",
            fields.Date.to_string(self.logistics_event_time_min) or False,
        )
        return result

    # R-RV-4: the revisit planner's quota and daily maximum per agent
    logistics_revisit_quota = fields.Integer(
        string="Successful Revisits a Day",
        default=4,
        config_parameter=setting_key("revisit_quota"),
        help="Each available agent is given enough revisits to complete this "
        "many a day, counting last month's unreachable calls.",
    )
    logistics_revisit_daily_max = fields.Integer(
        string="Revisits a Day at Most",
        default=12,
        config_parameter=setting_key("revisit_daily_max"),
        help="The planner gives no agent more revisits a day; the others wait "
        "for the next day, the oldest first.",
    )
