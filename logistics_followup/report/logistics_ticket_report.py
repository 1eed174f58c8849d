# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..core.reporting import RESOLUTION_BUCKETS
from ..models.logistics_problem_type import KIND_SELECTION
from .logistics_shipment_report import DIRECTION_SELECTION

RESOLUTION_SELECTION = [
    ("day", "Within a day"),
    ("three_days", "Within 3 days"),
    ("week", "Within a week"),
    ("longer", "Longer"),
    ("open", "Not closed"),
]


def _resolution_case(hours):
    """``core.reporting.resolution_bucket`` in SQL (pinned by a test)."""
    parts = [
        SQL("WHEN %s <= %s THEN %s", hours, bound, code)
        for code, bound in RESOLUTION_BUCKETS
    ]
    return SQL(
        "CASE WHEN %s IS NULL THEN 'open' %s ELSE 'longer' END",
        hours,
        SQL(" ").join(parts),
    )


class LogisticsTicketReport(models.Model):
    """Problem parcels (R-PP-9), complaints (R-CP-4, R-CP-6) and response
    target breaches (R-CP-3) of the logistics tickets: by kind, problem type,
    cause, courier, responsible station, week; resolution time and reopened
    tickets. An SQL view over helpdesk tickets and their waybills."""

    _name = "logistics.ticket.report"
    _description = "Problem Parcel and Complaint Analysis"
    _auto = False
    _order = "create_date desc"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    logistics_kind = fields.Selection(KIND_SELECTION, string="Kind", readonly=True)
    problem_type_id = fields.Many2one("logistics.problem.type", readonly=True)
    cause_id = fields.Many2one("logistics.cause", readonly=True)
    courier_id = fields.Many2one("logistics.courier", readonly=True)
    direction = fields.Selection(DIRECTION_SELECTION, readonly=True)
    station = fields.Char(string="Responsible Station", readonly=True)
    create_date = fields.Datetime(string="Opened On", readonly=True)
    closed_date = fields.Datetime(string="Closed On", readonly=True)
    closed = fields.Boolean(readonly=True)
    reopened = fields.Boolean(readonly=True)
    breached = fields.Boolean(string="Response Target Missed", readonly=True)
    response_target_id = fields.Many2one("logistics.response.target", readonly=True)
    resolution = fields.Selection(
        RESOLUTION_SELECTION, string="Resolution Time", readonly=True
    )
    resolution_hours = fields.Float(
        string="Hours to Close", readonly=True, aggregator="avg", digits=(16, 1)
    )
    ticket_count = fields.Integer(string="Tickets", readonly=True)
    open_count = fields.Integer(string="Open", readonly=True)
    reopened_count = fields.Integer(string="Reopened Tickets", readonly=True)
    breach_count = fields.Integer(string="Breaches", readonly=True)

    @property
    def _table_query(self):
        hours = SQL("(EXTRACT(EPOCH FROM t.closed_date - t.create_date) / 3600.0)")
        breached = SQL(
            "(COALESCE(t.response_breached, FALSE) OR (t.first_response_deadline "
            "IS NOT NULL AND COALESCE(t.first_response_date, "
            "now() AT TIME ZONE 'UTC') > t.first_response_deadline))"
        )
        closed = SQL("COALESCE(s.closed, FALSE)")
        return SQL(
            """
            SELECT t.id AS id, t.id AS ticket_id, t.company_id, t.user_id,
                   t.team_id, t.logistics_kind, t.problem_type_id, t.cause_id,
                   w.courier_id, w.direction, t.responsible_station AS station,
                   t.create_date,
                   CASE WHEN %(closed)s THEN t.closed_date END AS closed_date,
                   %(closed)s AS closed,
                   COALESCE(t.reopen_count, 0) > 0 AS reopened,
                   %(breached)s AS breached, t.response_target_id,
                   %(resolution)s AS resolution,
                   CASE WHEN %(closed)s THEN %(hours)s END AS resolution_hours,
                   1 AS ticket_count,
                   CASE WHEN %(closed)s THEN 0 ELSE 1 END AS open_count,
                   CASE WHEN COALESCE(t.reopen_count, 0) > 0 THEN 1 ELSE 0 END
                     AS reopened_count,
                   CASE WHEN %(breached)s THEN 1 ELSE 0 END AS breach_count
              FROM helpdesk_ticket t
              LEFT JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
              LEFT JOIN logistics_waybill w ON w.id = t.waybill_id
             WHERE t.logistics_kind IS NOT NULL AND t.active
            """,
            closed=closed,
            breached=breached,
            hours=hours,
            resolution=_resolution_case(SQL("CASE WHEN %s THEN %s END", closed, hours)),
        )
