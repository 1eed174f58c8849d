# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..core import reporting as reporting_core

#: days of the dashboard's trend charts
TREND_DAYS = 14


class LogisticsDashboard(models.AbstractModel):
    """The supervisor dashboard's figures (R-RP-1..3): today and this week,
    in the user's time zone, each with the model and domain of the records
    behind it so that the screen opens them. Read with the user's rights:
    an agent sees the figures of the tickets he may read."""

    _name = "logistics.dashboard"
    _description = "Supervisor Dashboard"

    @api.model
    def get_dashboard_data(self):
        tz = self.env.user.tz or self.env.company.partner_id.tz or "UTC"
        now = fields.Datetime.now()
        today = reporting_core.local_now(now, tz).date()
        week_start, week_end = reporting_core.period_bounds("week", today)
        day = reporting_core.utc_bounds(today, today + timedelta(days=1), tz)
        week = reporting_core.utc_bounds(week_start, week_end, tz)
        Ticket = "helpdesk.ticket"
        logistics = Domain("logistics_kind", "!=", False)
        problems_open = Domain("logistics_kind", "=", "problem") & Domain(
            "logistics_open", "=", True
        )

        def created(bounds):
            return Domain("create_date", ">=", bounds[0]) & Domain(
                "create_date", "<", bounds[1]
            )

        complaints = Domain("logistics_kind", "=", "complaint")
        breached = logistics & Domain("response_overdue", "=", True)
        figures = [
            (
                "open_problems",
                self.env._("Open problem parcels"),
                Ticket,
                problems_open,
            ),
            (
                "breaches_open",
                self.env._("Answers overdue"),
                Ticket,
                breached & Domain("logistics_open", "=", True),
            ),
            (
                "complaints_today",
                self.env._("Complaints today"),
                Ticket,
                complaints & created(day),
            ),
            (
                "complaints_week",
                self.env._("Complaints this week"),
                Ticket,
                complaints & created(week),
            ),
            (
                "problems_week",
                self.env._("Problem parcels this week"),
                Ticket,
                Domain("logistics_kind", "=", "problem") & created(week),
            ),
            (
                "breaches_week",
                self.env._("Missed targets this week"),
                Ticket,
                breached & created(week),
            ),
        ]
        Revisit = self.env["logistics.revisit"]
        if Revisit.has_access("read"):
            figures += [
                (
                    "revisits_done_today",
                    self.env._(
                        "Revisits done today (quota %(quota)s an agent)",
                        quota=Revisit._quota(self.env.company),
                    ),
                    "logistics.revisit",
                    Domain("state", "=", "done") & Domain("done_day", "=", today),
                ),
                (
                    "revisits_open_today",
                    self.env._("Revisits still to call today"),
                    "logistics.revisit",
                    Domain("state", "=", "planned")
                    & Domain("planned_date", "<=", today),
                ),
            ]
        if self.env["logistics.receipt"].has_access("read"):
            figures.append(
                (
                    "receipts_overdue",
                    self.env._("Overdue receipts"),
                    "logistics.receipt",
                    Domain("is_overdue", "=", True),
                )
            )
        cards = []
        for key, label, model, domain in figures:
            cards.append(
                {
                    "key": key,
                    "label": label,
                    "model": model,
                    "domain": list(domain),
                    "value": self.env[model].search_count(domain),
                }
            )
        return {
            "cards": cards,
            "trend": self._trend(today, tz),
            "empty_hint": self.env._(
                "Nothing to show yet: import tracking data or let the detection "
                "open problem parcels; complaints and chases appear as agents "
                "record them."
            ),
        }

    def _trend(self, today, tz):
        """Complaints and problem parcels opened per day over the last
        TREND_DAYS days (two grouped queries)."""
        first = today - timedelta(days=TREND_DAYS - 1)
        start, end = reporting_core.utc_bounds(first, today + timedelta(days=1), tz)
        days = [first + timedelta(days=n) for n in range(TREND_DAYS)]
        Ticket = self.env["helpdesk.ticket"].with_context(tz=tz)
        series = []
        for kind, label in (
            ("complaint", self.env._("Complaints")),
            ("problem", self.env._("Problem parcels")),
        ):
            rows = dict(
                Ticket._read_group(
                    [
                        ("logistics_kind", "=", kind),
                        ("create_date", ">=", start),
                        ("create_date", "<", end),
                    ],
                    ["create_date:day"],
                    ["__count"],
                )
            )
            per_day = {d.date(): n for d, n in rows.items()}
            series.append(
                {
                    "label": label,
                    "kind": kind,
                    "data": [per_day.get(d, 0) for d in days],
                }
            )
        bounds = [
            [
                fields.Datetime.to_string(b)
                for b in reporting_core.utc_bounds(d, d + timedelta(days=1), tz)
            ]
            for d in days
        ]
        return {
            "labels": [d.strftime("%m-%d") for d in days],
            "bounds": bounds,
            "series": series,
        }
