# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_date

from ..core import reporting as reporting_core
from ..report import charts

REPORT_SELECTION = [
    ("weekly_exception", "Weekly Exception Summary"),
    ("weekly_complaint", "Weekly Complaint Report"),
    ("monthly_complaint", "Monthly Complaint Summary and Analysis"),
    ("monthly_receipt", "Monthly Receipt Summary"),
    ("monthly_operations", "Monthly Satisfaction and Operations Statistics"),
    ("monthly_revisit", "Monthly Revisit Summary"),
]
#: the period each report covers (R-RP-2, R-RP-3, R-CP-4)
REPORT_PERIOD = {
    "weekly_exception": "week",
    "weekly_complaint": "week",
    "monthly_complaint": "month",
    "monthly_receipt": "month",
    "monthly_operations": "month",
    "monthly_revisit": "month",
}
#: failed sends are retried by the hourly cron this many times in all
MAX_ATTEMPTS = 5
REPORT_RUN_STATE_SELECTION = [
    ("pending", "To Send"),
    ("sent", "Mailed"),
    ("failed", "Failed"),
]


class LogisticsReportRun(models.Model):
    """One supervisor report of one company and period (R-RP-2, R-RP-3,
    R-CP-4, R-RC-9, R-PP-9): the PDF's document and the record of its
    mailing. At most one per report, company and period, so that a second
    run in the same period sends nothing."""

    _name = "logistics.report.run"
    _description = "Supervisor Report Run"
    _order = "period_start desc, report"
    _check_company_auto = True

    report = fields.Selection(REPORT_SELECTION, required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda s: s.env.company
    )
    period_start = fields.Date(required=True, readonly=True)
    period_end = fields.Date(
        required=True, readonly=True, help="The first day after the period."
    )
    state = fields.Selection(
        REPORT_RUN_STATE_SELECTION, default="pending", required=True, readonly=True
    )
    late = fields.Boolean(
        readonly=True, help="Sent after its deadline (caught up after a missed run)."
    )
    sent_date = fields.Datetime(readonly=True)
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    error = fields.Text(string="Last Error", readonly=True)
    recipient_ids = fields.Many2many("res.partner", string="Recipients", readonly=True)
    missing_email = fields.Text(
        string="Recipients without Email",
        readonly=True,
        help="Supervisors or extra recipients the report could not be mailed to.",
    )
    mail_id = fields.Many2one("mail.mail", readonly=True)

    _report_period_uniq = models.UniqueIndex(
        "(report, company_id, period_start)",
        "This report was already made for this company and period.",
    )

    @api.depends("report", "period_start", "period_end")
    def _compute_display_name(self):
        labels = dict(self._fields["report"]._description_selection(self.env))
        for run in self:
            run.display_name = "{} {}".format(
                labels.get(run.report, ""), run._period_label()
            )

    # ------------------------------------------------------------
    # PERIOD
    # ------------------------------------------------------------

    def _tz(self):
        self.ensure_one()
        return self.company_id.partner_id.tz or "UTC"

    def _lang(self):
        self.ensure_one()
        return self.company_id.partner_id.lang or "en_US"

    def _period_label(self, start=None, end=None):
        start = start or self.period_start
        end = end or self.period_end
        if not start:
            return ""
        last = end - timedelta(days=1)
        return "{} – {}".format(
            format_date(self.env, start, date_format="yyyy-MM-dd"),
            format_date(self.env, last, date_format="yyyy-MM-dd"),
        )

    def _periods(self):
        """(current, previous) periods as local dates and UTC datetimes."""
        self.ensure_one()
        period = REPORT_PERIOD[self.report]
        prev_start, prev_end = reporting_core.previous_period(period, self.period_start)
        tz = self._tz()
        return [
            {
                "start": start,
                "end": end,
                "utc": reporting_core.utc_bounds(start, end, tz),
            }
            for start, end in (
                (self.period_start, self.period_end),
                (prev_start, prev_end),
            )
        ]

    # ------------------------------------------------------------
    # FIGURES (a fixed number of grouped queries per report, whatever the
    # volume of data: tested)
    # ------------------------------------------------------------

    def _in_context(self):
        self.ensure_one()
        return self.sudo().with_context(lang=self._lang(), tz=self._tz())

    def _report_figures(self):
        """What the PDF shows: the metrics with the previous period, the
        breakdowns, the charts, notes; ``empty`` when nothing happened."""
        self.ensure_one()
        run = self._in_context()
        builder = getattr(run, f"_figures_{run.report}")
        current, previous = run._periods()
        figures = {
            "title": dict(run._fields["report"]._description_selection(run.env))[
                run.report
            ],
            "period": run._period_label(),
            "previous": run._period_label(previous["start"], previous["end"]),
            "metrics": [],
            "tables": [],
            "charts": [],
            "notes": [],
        }
        builder(figures, current, previous)
        figures["empty"] = not any(m["current"] for m in figures["metrics"])
        return figures

    def _metric(self, figures, label, values):
        figures["metrics"].append(dict(reporting_core.compare(*values), label=label))

    def _ticket_domain(self, period, kind, date_field="create_date"):
        start, end = period["utc"]
        return Domain.AND(
            [
                [("company_id", "=", self.company_id.id)],
                [(date_field, ">=", start), (date_field, "<", end)],
                [("logistics_kind", "=", kind)] if kind else [],
            ]
        )

    def _counts(self, model, domains, aggregate="__count"):
        """One aggregate over each domain (a single figure each)."""
        Model = self.env[model]
        return [Model._read_group(d, [], [aggregate])[0][0] or 0 for d in domains]

    def _breakdown(
        self, figures, title, model, domains, field, chart=False, aggregate="__count"
    ):
        """Figures of the period and of the previous one by ``field`` (the
        record count, or ``aggregate``)."""
        Model = self.env[model]
        rows = {}
        for index, domain in enumerate(domains):
            for key, count in Model._read_group(domain, [field], [aggregate]):
                rows.setdefault(self._label(Model, field, key), [0, 0])[index] = (
                    count or 0
                )
        ordered = sorted(rows.items(), key=lambda item: (-item[1][0], -item[1][1]))
        figures["tables"].append({"title": title, "rows": ordered})
        if chart and ordered:
            figures["charts"].append(
                self._charts().bars(
                    title,
                    [label for label, _v in ordered],
                    [
                        (self.env._("This period"), [v[0] for _l, v in ordered]),
                        (self.env._("Previous period"), [v[1] for _l, v in ordered]),
                    ],
                )
            )

    def _label(self, Model, field, key):
        if isinstance(key, models.BaseModel):
            return key.display_name or self.env._("(none)")
        if Model._fields[field].type == "selection":
            labels = dict(Model._fields[field]._description_selection(self.env))
            return labels.get(key) or self.env._("(none)")
        return key or self.env._("(none)")

    def _daily(self, figures, title, model, domain, date_field, period):
        """A trend line over the period's days."""
        Model = self.env[model]
        per_day = {
            day.date() if hasattr(day, "date") else day: count
            for day, count in Model._read_group(
                domain, [f"{date_field}:day"], ["__count"]
            )
        }
        days = []
        day = period["start"]
        while day < period["end"]:
            days.append(day)
            day += timedelta(days=1)
        if not any(per_day.values()):
            return
        figures["charts"].append(
            self._charts().line(
                title,
                [d.strftime("%m-%d") for d in days],
                [(title, [per_day.get(d, 0) for d in days])],
            )
        )

    def _charts(self):
        return charts

    # the five reports -------------------------------------------------

    def _figures_weekly_exception(self, figures, current, previous):
        """R-PP-9 / R-RP-2: problem parcels of the week."""
        model = "logistics.ticket.report"
        opened = [self._ticket_domain(p, "problem") for p in (current, previous)]
        damaged = [d & Domain("problem_type_id.code", "=", "damaged") for d in opened]
        closed = [
            self._ticket_domain(p, "problem", "closed_date")
            for p in (current, previous)
        ]
        breached = [d & Domain("breached", "=", True) for d in opened]
        self._metric(
            figures, self.env._("Problem parcels opened"), self._counts(model, opened)
        )
        self._metric(
            figures, self.env._("Of which damaged"), self._counts(model, damaged)
        )
        self._metric(
            figures, self.env._("Problem parcels closed"), self._counts(model, closed)
        )
        self._metric(
            figures,
            self.env._("Response targets missed"),
            self._counts(model, breached),
        )
        self._breakdown(
            figures,
            self.env._("By problem type"),
            model,
            opened,
            "problem_type_id",
            True,
        )
        self._breakdown(
            figures, self.env._("By responsible station"), model, opened, "station"
        )
        self._breakdown(figures, self.env._("By courier"), model, opened, "courier_id")

    def _complaint_figures(self, figures, current, previous):
        model = "logistics.ticket.report"
        opened = [self._ticket_domain(p, "complaint") for p in (current, previous)]
        closed = [
            self._ticket_domain(p, "complaint", "closed_date")
            for p in (current, previous)
        ]
        self._metric(
            figures, self.env._("Complaints received"), self._counts(model, opened)
        )
        self._metric(
            figures, self.env._("Complaints closed"), self._counts(model, closed)
        )
        self._metric(
            figures,
            self.env._("Reopened"),
            self._counts(model, [d & Domain("reopened", "=", True) for d in opened]),
        )
        hours = self._counts(model, closed, "resolution_hours:avg")
        self._metric(
            figures,
            self.env._("Average hours to close"),
            [round(h, 1) for h in hours],
        )
        self._metric(
            figures,
            self.env._("Response targets missed"),
            self._counts(model, [d & Domain("breached", "=", True) for d in opened]),
        )
        self._breakdown(
            figures, self.env._("By cause"), model, opened, "cause_id", True
        )
        self._breakdown(
            figures, self.env._("By responsible station"), model, opened, "station"
        )
        self._breakdown(
            figures, self.env._("By resolution time"), model, closed, "resolution"
        )
        return opened

    def _figures_weekly_complaint(self, figures, current, previous):
        """R-CP-4: the complaints of the week."""
        self._complaint_figures(figures, current, previous)

    def _figures_monthly_complaint(self, figures, current, previous):
        """R-CP-4 / R-RP-3: the month's complaints, analysed, with the
        complaints per 10,000 parcels by courier."""
        opened = self._complaint_figures(figures, current, previous)
        self._per_10k_table(figures, current, previous)
        self._daily(
            figures,
            self.env._("Complaints per day"),
            "logistics.ticket.report",
            opened[0],
            "create_date",
            current,
        )

    def _per_10k_table(self, figures, current, previous):
        Rate = self.env["logistics.complaint.rate.report"]
        rows = {}
        for index, period in enumerate((current, previous)):
            domain = self._shipped_domain(period)
            for courier, ratio in Rate._read_group(
                domain, ["courier_id"], ["per_10k:sum"]
            ):
                rows.setdefault(courier.display_name, [None, None])[index] = ratio
        figures["tables"].append(
            {
                "title": self.env._("Complaints per 10,000 parcels by courier"),
                "rows": sorted(rows.items()),
            }
        )

    def _shipped_domain(self, period):
        start, end = period["utc"]
        return Domain.AND(
            [
                [("company_id", "=", self.company_id.id)],
                [("shipped_date", ">=", start), ("shipped_date", "<", end)],
            ]
        )

    def _figures_monthly_receipt(self, figures, current, previous):
        """R-RC-9: signed receipts due in the month: on time, late,
        abnormal, missing."""
        model = "logistics.receipt.report"
        due = [
            Domain.AND(
                [
                    [("company_id", "=", self.company_id.id)],
                    [("due_date", ">=", p["start"]), ("due_date", "<", p["end"])],
                ]
            )
            for p in (current, previous)
        ]
        self._metric(figures, self.env._("Receipts due"), self._counts(model, due))
        labels = dict(
            self.env[model]._fields["classification"]._description_selection(self.env)
        )
        for code in ("on_time", "late", "abnormal", "missing"):
            self._metric(
                figures,
                labels[code],
                self._counts(
                    model, [d & Domain("classification", "=", code) for d in due]
                ),
            )
        self._breakdown(
            figures, self.env._("By class"), model, due, "classification", True
        )
        self._breakdown(
            figures,
            self.env._("By delivering station"),
            model,
            due,
            "destination_station",
        )
        # no "empty month": receipts whose parcel has not arrived have no due
        # date yet; they are left out with their count
        waiting = self._counts(
            model,
            [
                Domain.AND(
                    [
                        [("company_id", "=", self.company_id.id)],
                        [("due_date", "=", False)],
                        [("receipt_id.create_date", "<", current["utc"][1])],
                    ]
                )
            ],
        )[0]
        if waiting:
            figures["notes"].append(
                self.env._(
                    "Receipts not due yet, not counted until their parcel "
                    "arrives: %(count)s",
                    count=waiting,
                )
            )

    def _figures_monthly_operations(self, figures, current, previous):
        """R-RP-1 / R-RP-3: shipments, problems, complaints, the ratio per
        10,000 parcels, breaches; customer satisfaction from helpdesk ratings
        when a rating module is installed."""
        shipped = [self._shipped_domain(p) for p in (current, previous)]
        Ship = "logistics.shipment.report"
        self._metric(
            figures, self.env._("Parcels shipped"), self._counts(Ship, shipped)
        )
        self._metric(
            figures,
            self.env._("Sent by us"),
            self._counts(
                Ship, [d & Domain("direction", "=", "outbound") for d in shipped]
            ),
        )
        self._metric(
            figures,
            self.env._("For delivery by us"),
            self._counts(
                Ship, [d & Domain("direction", "=", "inbound") for d in shipped]
            ),
        )
        model = "logistics.ticket.report"
        for kind, label in (
            ("problem", self.env._("Problem parcels opened")),
            ("complaint", self.env._("Complaints received")),
        ):
            self._metric(
                figures,
                label,
                self._counts(
                    model, [self._ticket_domain(p, kind) for p in (current, previous)]
                ),
            )
        ratios = self._counts("logistics.complaint.rate.report", shipped, "per_10k:sum")
        self._metric(figures, self.env._("Complaints per 10,000 parcels"), ratios)
        self._metric(
            figures,
            self.env._("Response targets missed"),
            self._counts(
                model,
                [
                    self._ticket_domain(p, False) & Domain("breached", "=", True)
                    for p in (current, previous)
                ],
            ),
        )
        self._breakdown(
            figures, self.env._("Shipments by courier"), Ship, shipped, "courier_id"
        )
        self._daily(
            figures,
            self.env._("Parcels shipped per day"),
            Ship,
            shipped[0],
            "shipped_date",
            current,
        )
        self._satisfaction(figures, current, previous)

    def _revisit_days(self, current, previous):
        return [
            Domain.AND(
                [
                    [("company_id", "=", self.company_id.id)],
                    [("day", ">=", p["start"]), ("day", "<", p["end"])],
                ]
            )
            for p in (current, previous)
        ]

    def _revisit_ratings(self, figures, days):
        """Average revisit ratings (1-5) of the service and of the delivery
        staff (R-RV-5)."""
        model = "logistics.revisit.report"
        for label, field in (
            (self.env._("Service rating in revisits (of 5)"), "rating_service"),
            (self.env._("Delivery staff rating in revisits (of 5)"), "rating_staff"),
        ):
            values = [round(v, 2) for v in self._counts(model, days, f"{field}:avg")]
            self._metric(figures, label, values)

    def _figures_monthly_revisit(self, figures, current, previous):
        """R-RV-6: the month's revisits: successful ones, calls, calls not
        reached, customers closed as unreachable, agent days with the daily
        quota met (R-RV-4), ratings; successful revisits by agent."""
        model = "logistics.revisit.report"
        days = self._revisit_days(current, previous)
        for label, aggregate in (
            (self.env._("Successful revisits"), "done_count:sum"),
            (self.env._("Calls"), "attempt_count:sum"),
            (self.env._("Calls not reached"), "failed_count:sum"),
            (self.env._("Closed as unreachable"), "unreachable_count:sum"),
            (self.env._("Agent days with the quota met"), "quota_met_count:sum"),
        ):
            self._metric(figures, label, self._counts(model, days, aggregate))
        self._revisit_ratings(figures, days)
        self._breakdown(
            figures,
            self.env._("Successful revisits by agent"),
            model,
            days,
            "user_id",
            chart=True,
            aggregate="done_count:sum",
        )

    def _satisfaction(self, figures, current, previous):
        """Revisit ratings; helpdesk ratings only where a rating module is
        installed."""
        self._revisit_ratings(figures, self._revisit_days(current, previous))
        if "rating.rating" not in self.env:
            figures["notes"].append(
                self.env._(
                    "Customer satisfaction: no rating module is installed, so "
                    "no helpdesk ratings are counted."
                )
            )
            return
        Rating = self.env["rating.rating"]
        averages = []
        for period in (current, previous):
            start, end = period["utc"]
            domain = [
                ("res_model", "=", "helpdesk.ticket"),
                ("consumed", "=", True),
                ("create_date", ">=", start),
                ("create_date", "<", end),
            ]
            averages.append(
                round(Rating._read_group(domain, [], ["rating:avg"])[0][0] or 0, 2)
            )
        self._metric(figures, self.env._("Average helpdesk rating (of 5)"), averages)

    # ------------------------------------------------------------
    # MAILING (R-CP-4: weekly on Monday before 12:00, monthly before the 3rd)
    # ------------------------------------------------------------

    @api.model
    def _schedule(self, company):
        return reporting_core.Schedule(
            weekday=int(company.logistics_report_weekday or 0),
            hour=company.logistics_report_weekly_hour,
            deadline_hour=max(
                company.logistics_report_weekly_hour,
                company.logistics_report_weekly_deadline_hour,
            ),
            day=company.logistics_report_monthly_day,
            deadline_day=company.logistics_report_monthly_deadline_day,
        )

    @api.model
    def _cron_send_reports(self):
        """Hourly: for each company, the reports whose period's send moment
        has passed (company time zone) are made once and mailed; a run
        missed while the server was down is caught up and marked late; a
        failed send is retried on the next runs (MAX_ATTEMPTS)."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search([]):
            tz = company.partner_id.tz or "UTC"
            local = reporting_core.local_now(now, tz)
            schedule = self._schedule(company)
            for report, period in REPORT_PERIOD.items():
                due = reporting_core.due_run(period, local, schedule)
                run = self._run_for(report, company, due)
                if run.state != "sent" and run.attempt_count < MAX_ATTEMPTS:
                    run._send(late=due.late)
                    self.env["ir.cron"]._commit_progress(1)

    @api.model
    def _run_for(self, report, company, due):
        run = self.search(
            [
                ("report", "=", report),
                ("company_id", "=", company.id),
                ("period_start", "=", due.start),
            ]
        )
        return run or self.create(
            {
                "report": report,
                "company_id": company.id,
                "period_start": due.start,
                "period_end": due.end,
            }
        )

    def _recipients(self):
        """The company's supervisors and its extra recipients, as partners."""
        self.ensure_one()
        group = self.env.ref("logistics_followup.group_logistics_supervisor")
        users = group.all_user_ids.filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids
        )
        return users.partner_id | self.company_id.logistics_report_partner_ids

    def _send(self, late=False):
        """Render the PDF and mail it; the run records who got it, who has
        no email, and the error of a failed attempt."""
        for run in self:
            partners = run._recipients()
            with_email = partners.filtered("email")
            vals = {
                "attempt_count": run.attempt_count + 1,
                "recipient_ids": [fields.Command.set(with_email.ids)],
                "missing_email": "\n".join((partners - with_email).mapped("name"))
                or False,
            }
            try:
                with self.env.cr.savepoint():
                    mail = run._mail(with_email)
                    mail.send(raise_exception=True)
                    if mail.state != "sent":
                        raise ValueError(mail.failure_reason or mail.state)
            except Exception as error:  # recorded on the run, retried later
                vals.update(state="failed", error=str(error))
            else:
                vals.update(
                    state="sent",
                    error=False,
                    late=late,
                    sent_date=fields.Datetime.now(),
                    mail_id=mail.id,
                )
            run.write(vals)

    def _mail(self, partners):
        self.ensure_one()
        run = self._in_context()
        if not partners:
            raise ValueError(run.env._("No recipient has an email address."))
        # a PDF (Odoo renders HTML instead under tests unless told otherwise)
        content, kind = run.env["ir.actions.report"]._render_qweb_pdf(
            "logistics_followup.action_report_supervisor", run.ids
        )
        name = run.display_name
        attachment = run.env["ir.attachment"].create(
            {
                "name": f"{name}.{kind}",
                "raw": content,
                "mimetype": "application/pdf" if kind == "pdf" else "text/html",
                "res_model": run._name,
                "res_id": run.id,
            }
        )
        body = run.env._(
            "Please find attached the %(report)s of %(company)s.",
            report=name,
            company=run.company_id.name,
        )
        return run.env["mail.mail"].create(
            {
                "subject": run.env._(
                    "%(report)s (%(company)s)", report=name, company=run.company_id.name
                ),
                "body_html": Markup("<p>%s</p>") % body,
                "email_from": run.company_id.email_formatted
                or run.env.user.email_formatted,
                "recipient_ids": [fields.Command.set(partners.ids)],
                "attachment_ids": [fields.Command.link(attachment.id)],
                "auto_delete": False,
                "model": run._name,
                "res_id": run.id,
            }
        )

    def action_retry(self):
        """A failed run sent again on demand (the cron also retries it)."""
        self.filtered(lambda r: r.state != "sent")._send(late=True)
        return True
