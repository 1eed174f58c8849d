# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..core import delivery as delivery_core
from .settings import get_setting

#: Fields of a round that cannot change once it is submitted.
LOCKED_FIELDS = frozenset(
    ("station", "date", "round_number", "courier_partner_id", "round_end", "company_id")
)


class LogisticsDeliveryRound(models.Model):
    """A delivering station's exception report for one delivery round (频次).

    R-PP-1: every round, the courier reports each undelivered parcel with an
    exception reason and an exception sign-off (异常签收), classified (next
    round, another day by appointment, return or hold) with its storage place,
    within the company deadline (Settings; ``core.delivery.report_deadline``).
    A report filed after its deadline is flagged late; so is a draft whose
    deadline has passed (hourly cron), since it can only be filed late.
    """

    _name = "logistics.delivery.round"
    _description = "Delivery Round Exception Report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, station, round_number desc, id desc"
    _rec_names_search = ["station"]
    _check_company_auto = True

    station = fields.Char(
        string="Delivering Station",
        required=True,
        index=True,
        help="The station (网点) whose courier delivered this round.",
    )
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    round_number = fields.Integer(
        string="Round",
        required=True,
        default=1,
        help="Delivery round (频次) of the day: 1 for the first one.",
    )
    courier_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Courier",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    round_end = fields.Datetime(
        string="Round Ended At",
        required=True,
        default=fields.Datetime.now,
        help="When the courier came back from the round; the report deadline "
        "counts from it.",
    )
    deadline = fields.Datetime(
        string="Report Deadline",
        compute="_compute_deadline",
        store=True,
        help="From the round end and the company deadline set in Settings "
        "(hours after the round, or a time of day).",
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("submitted", "Submitted")],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    submitted_time = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    submitted_uid = fields.Many2one(
        comodel_name="res.users", string="Submitted By", readonly=True, copy=False
    )
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        store=True,
        copy=False,
        help="Submitted after the deadline, or still not submitted once it passed.",
    )
    line_ids = fields.One2many(
        comodel_name="logistics.delivery.round.line",
        inverse_name="round_id",
        string="Undelivered Parcels",
        copy=False,
    )
    line_count = fields.Integer(compute="_compute_line_count")
    note = fields.Text()
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )

    _round_uniq = models.Constraint(
        "UNIQUE(company_id, station, date, round_number, courier_partner_id)",
        "This courier already has a report for this round of the station.",
    )
    _round_number_positive = models.Constraint(
        "CHECK(round_number > 0)", "The round number starts at 1."
    )
    # the filter of the hourly lateness cron
    _draft_deadline_idx = models.Index(
        "(deadline) WHERE state = 'draft' AND is_late IS NOT TRUE"
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("station", "date", "round_number")
    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._(
                "%(station)s, %(date)s, round %(number)s",
                station=report.station or "",
                date=report.date or "",
                number=report.round_number,
            )

    @api.model
    def _deadline_settings(self):
        mode = get_setting(self.env, "round_deadline_mode")
        if mode not in delivery_core.DEADLINE_MODES:
            mode = delivery_core.DEFAULT_DEADLINE_MODE
        hours = get_setting(self.env, "round_deadline_hours")
        cutoff = get_setting(self.env, "round_deadline_cutoff")
        return mode, hours, cutoff

    @api.depends("round_end", "company_id")
    def _compute_deadline(self):
        """Hours after the round end (UTC is fine), or a time of day: then in
        the time zone of the company's partner (UTC when it has none), so the
        deadline does not depend on who opens the report."""
        mode, hours, cutoff = self._deadline_settings()
        for report in self:
            if not report.round_end:
                report.deadline = False
                continue
            tz = pytz.timezone(report.company_id.partner_id.tz or "UTC")
            local_end = pytz.utc.localize(report.round_end).astimezone(tz)
            local = delivery_core.report_deadline(
                local_end.replace(tzinfo=None), mode, hours, cutoff
            )
            report.deadline = (
                tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
            )

    @api.depends("deadline", "submitted_time", "state")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for report in self:
            submitted = report.submitted_time if report.state == "submitted" else None
            report.is_late = delivery_core.is_late(report.deadline, submitted, now)

    @api.depends("line_ids")
    def _compute_line_count(self):
        for report in self:
            report.line_count = len(report.line_ids)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if LOCKED_FIELDS.intersection(vals) and "submitted" in self.mapped("state"):
            raise UserError(
                self.env._(
                    "A submitted delivery round report cannot be changed; ask a "
                    "supervisor to reset it to draft."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        if "submitted" in self.mapped("state"):
            raise UserError(
                self.env._("A submitted delivery round report cannot be deleted.")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        """R-PP-1: every line complete (reason, sign-off, disposition,
        storage place), else nothing is written and the faults are listed."""
        if any(report.state != "draft" for report in self):
            raise UserError(self.env._("Only draft reports can be submitted."))
        faults = []
        labels = self.env["logistics.delivery.round.line"]._fault_labels()
        for report in self:
            if not report.line_ids:
                faults.append(
                    self.env._(
                        "%(report)s: no undelivered parcel is listed.",
                        report=report.display_name,
                    )
                )
                continue
            found = delivery_core.check_report(
                {line: line._to_core() for line in report.line_ids}, report.date
            )
            for line, codes in found.items():
                faults.append(
                    self.env._(
                        "%(report)s, %(waybill)s: %(faults)s",
                        report=report.display_name,
                        waybill=line.waybill_id.display_name,
                        faults="; ".join(labels[code] for code in codes),
                    )
                )
        if faults:
            raise ValidationError(
                self.env._("The report cannot be submitted yet:")
                + "\n- "
                + "\n- ".join(faults)
            )
        self.write(
            {
                "state": "submitted",
                "submitted_time": fields.Datetime.now(),
                "submitted_uid": self.env.uid,
            }
        )
        return True

    def action_reset_draft(self):
        if not self.env.user.has_group("logistics_followup.group_logistics_supervisor"):
            raise UserError(
                self.env._("Only a supervisor can reset a submitted report.")
            )
        self.write({"state": "draft", "submitted_time": False, "submitted_uid": False})
        return True

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_flag_late_rounds(self):
        """Drafts past their deadline can only be filed late: one UPDATE over
        the partial index, safe to rerun every hour."""
        self.flush_model(["deadline", "state", "is_late"])
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_delivery_round SET is_late = TRUE "
                "WHERE state = 'draft' AND is_late IS NOT TRUE "
                "AND deadline < %(now)s",
                now=fields.Datetime.now(),
            )
        )
        flagged = self.env.cr.rowcount
        self.invalidate_model(["is_late"])
        return flagged
