# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..core.waybill import s10_check_digit
from .test_logistics_reports import MONDAY, STATION_A, ReportCommon


def pdf_text(pdf):
    """The text of a PDF, by poppler's pdftotext when installed."""
    if not shutil.which("pdftotext"):
        return None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout


def cpi_number(serial):
    """A valid UPU S10 number of China Post International."""
    return f"EA{serial}{s10_check_digit(str(serial))}CN"


class RunCommon(ReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.Run = cls.env["logistics.report.run"]

    def run_of(self, report, start, end):
        return self.Run.create(
            {"report": report, "period_start": start, "period_end": end}
        )

    def week(self, report="weekly_complaint"):
        return self.run_of(report, date(2026, 11, 23), date(2026, 11, 30))

    def metrics(self, run):
        return {
            m["label"]: (m["current"], m["previous"])
            for m in run._report_figures()["metrics"]
        }

    def html(self, run):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "logistics_followup.action_report_supervisor", run.ids
        )
        return html.decode()


@tagged("post_install", "-at_install")
class TestReportFigures(RunCommon):
    """The PDF reports' figures (R-RP-2, R-RP-3, R-CP-4, R-PP-9, R-RC-9),
    counted by hand from ReportCommon's data (the week of 2026-11-23)."""

    def test_weekly_complaint_report(self):
        figures = self.week()._report_figures()
        metrics = {m["label"]: m for m in figures["metrics"]}
        self.assertEqual(metrics["Complaints received"]["current"], 2)
        self.assertEqual(metrics["Complaints received"]["previous"], 0)
        self.assertEqual(metrics["Complaints received"]["delta"], 2)
        self.assertEqual(metrics["Complaints closed"]["current"], 1)
        self.assertEqual(metrics["Reopened"]["current"], 1)
        self.assertEqual(metrics["Average hours to close"]["current"], 10.0)
        self.assertFalse(figures["empty"])
        by_cause = dict(
            next(t for t in figures["tables"] if t["title"] == "By cause")["rows"]
        )
        self.assertEqual(by_cause, {"Late delivery": [1, 0], "Damaged": [1, 0]})
        by_station = dict(figures["tables"][1]["rows"])
        self.assertEqual(by_station[STATION_A], [1, 0])
        self.assertTrue(figures["charts"][0].startswith("data:image/svg+xml;base64,"))

    def test_comparison_with_the_previous_week(self):
        """A complaint of the week before counts as the previous period."""
        waybill = self.env["logistics.waybill"].create(
            self._waybill_vals(
                "SF1000000000099", self.courier_sf, "outbound", STATION_A, MONDAY
            )
        )
        older = self._ticket(waybill, "complaint", self.agent, cause_id=self.late.id)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            (MONDAY - timedelta(days=7), older.id),
        )
        self.env.invalidate_all()
        received = next(
            m
            for m in self.week()._report_figures()["metrics"]
            if m["label"] == "Complaints received"
        )
        self.assertEqual((received["current"], received["previous"]), (2, 1))
        self.assertEqual(received["pct"], 100.0)

    def test_weekly_exception_summary(self):
        metrics = self.metrics(self.week("weekly_exception"))
        self.assertEqual(metrics["Problem parcels opened"], (2, 0))
        self.assertEqual(metrics["Of which damaged"], (1, 0))
        self.assertEqual(metrics["Problem parcels closed"], (0, 0))

    def test_monthly_reports(self):
        november = (date(2026, 11, 1), date(2026, 12, 1))
        metrics = self.metrics(self.run_of("monthly_operations", *november))
        self.assertEqual(metrics["Parcels shipped"], (5, 0))
        self.assertEqual(metrics["Sent by us"], (4, 0))
        self.assertEqual(metrics["For delivery by us"], (1, 0))
        self.assertEqual(metrics["Problem parcels opened"], (2, 0))
        self.assertEqual(metrics["Complaints received"], (2, 0))
        self.assertEqual(metrics["Complaints per 10,000 parcels"], (4000.0, 0))
        complaint = self.run_of("monthly_complaint", *november)._report_figures()
        per_10k = dict(
            next(t for t in complaint["tables"] if "10,000" in t["title"])["rows"]
        )
        self.assertAlmostEqual(per_10k[self.courier_sf.display_name][0], 3333.33, 2)
        self.assertAlmostEqual(per_10k[self.courier_cpi.display_name][0], 5000.0, 2)
        self.assertEqual(len(complaint["charts"]), 2)  # by cause, per day

    def test_monthly_revisit_summary(self):
        """R-RV-6: the month's revisits, counted by hand: two done (ratings
        5/4 and 3/2), one call not reached; October: one done (4/4)."""
        Revisit = self.env["logistics.revisit"]
        rule = Revisit._rule(self.env.company, "regular")

        def revisit(ratings=None):
            partner = self.env["res.partner"].create(
                {"name": "回访客户", "phone": "02166668888", "is_company": True}
            )
            record = Revisit.create(
                {
                    "partner_id": partner.id,
                    "rule_id": rule.id,
                    "due_date": fields.Date.today(),
                    "planned_date": fields.Date.today(),
                    "user_id": self.agent.id,
                }
            )
            if ratings:
                record.write({"rating_service": ratings[0], "rating_staff": ratings[1]})
                record.action_done()
            else:
                record.action_not_reached()
            return record

        with freeze_time("2026-10-15 02:00:00"):
            revisit((4, 4))
        with freeze_time("2026-11-10 02:00:00"):
            revisit((5, 4))
            revisit((3, 2))
            revisit()
        self.env.flush_all()
        run = self.run_of("monthly_revisit", date(2026, 11, 1), date(2026, 12, 1))
        metrics = self.metrics(run)
        self.assertEqual(metrics["Successful revisits"], (2, 1))
        self.assertEqual(metrics["Calls"], (3, 1))
        self.assertEqual(metrics["Calls not reached"], (1, 0))
        self.assertEqual(metrics["Closed as unreachable"], (0, 0))
        self.assertEqual(metrics["Service rating in revisits (of 5)"], (4.0, 4.0))
        self.assertEqual(
            metrics["Delivery staff rating in revisits (of 5)"], (3.0, 4.0)
        )
        table = run._report_figures()["tables"][0]
        self.assertEqual(dict(table["rows"])[self.agent.display_name], [2, 1])
        self.assertIn("Monthly Revisit Summary", self.html(run))

    def test_monthly_receipt_summary(self):
        receipt = self.env["logistics.receipt"].create(
            {"waybill_id": self.waybills[0].id, "requirement": "signature"}
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE logistics_receipt SET due_date = %s, state = 'missing' "
            "WHERE id = %s",
            (date(2026, 11, 10), receipt.id),
        )
        self.env.invalidate_all()
        metrics = self.metrics(
            self.run_of("monthly_receipt", date(2026, 11, 1), date(2026, 12, 1))
        )
        self.assertEqual(metrics["Receipts due"], (1, 0))
        self.assertEqual(metrics["Missing"], (1, 0))
        self.assertEqual(metrics["On Time"], (0, 0))

    def test_empty_period_says_so(self):
        run = self.run_of("weekly_exception", date(2026, 10, 5), date(2026, 10, 12))
        self.assertTrue(run._report_figures()["empty"])
        self.assertIn("No data for this period", self.html(run))

    def test_query_count_does_not_depend_on_the_data(self):
        """Each report issues the same number of queries for 4 tickets and
        for 24 (more causes, stations, couriers, days)."""
        runs = [
            self.run_of(report, date(2026, 11, 1), date(2026, 12, 1))
            for report in ("monthly_complaint", "monthly_operations", "monthly_receipt")
        ] + [self.week("weekly_exception"), self.week("weekly_complaint")]

        def count(run):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.html(run)
            return self.env.cr.sql_log_count - before

        for run in runs:
            self.html(run)  # templates compiled
        small = [count(run) for run in runs]
        causes = self.env["logistics.cause"].search([])
        for index in range(20):
            waybill = self.env["logistics.waybill"].create(
                self._waybill_vals(
                    f"SF40000000000{index:02d}"
                    if index % 2
                    else cpi_number(40000000 + index),
                    self.courier_sf if index % 2 else self.courier_cpi,
                    "outbound",
                    f"站点{index}",
                    MONDAY + timedelta(days=index % 5),
                )
            )
            self._ticket(
                waybill,
                "complaint" if index % 2 else "problem",
                self.agent,
                cause_id=causes[index % len(causes)].id,
            )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE create_date > %s",
            (MONDAY + timedelta(days=1), MONDAY + timedelta(days=30)),
        )
        big = [count(run) for run in runs]
        self.assertEqual(small, big)

    def test_access(self):
        run = self.week()
        self.assertEqual(self.Run.with_user(self.supervisor).search([]), run)
        self.assertFalse(self.Run.with_user(self.supervisor2).search([]))
        for user in (self.agent, self.portal_user):
            with self.assertRaises(AccessError):
                self.Run.with_user(user).search([])


@tagged("post_install", "-at_install")
class TestReportPdf(RunCommon, HttpCase):
    """wkhtmltopdf reads the report's styles from the server: an HttpCase."""

    def test_pdf_is_rendered(self):
        """A real PDF through wkhtmltopdf, its text holding the figures."""
        run = self.week()
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("logistics_followup.action_report_supervisor", run.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_text(pdf)
        if text is None:  # no poppler: the same figures in the HTML
            text = self.html(run)
        self.assertIn("Weekly Complaint Report", text)
        self.assertIn("Complaints received", text)
        self.assertIn("2026-11-23", text)
        self.assertIn("2026-11-29", text)


@tagged("post_install", "-at_install")
class TestReportMailing(RunCommon):
    """R-CP-4 / R-RP-2 / R-RP-3: the hourly cron mails each report once per
    period to the supervisors and extra recipients (company time zone:
    Asia/Shanghai, UTC+8)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.extra = cls.env["res.partner"].create(
            {"name": "区域经理", "email": "manager@example.com"}
        )
        cls.no_email = cls.env["res.partner"].create({"name": "无邮箱主管"})
        cls.env.company.logistics_report_partner_ids = cls.extra | cls.no_email

    def run_reports_cron(self):
        self.run_cron("logistics_followup.ir_cron_send_reports")

    def send_patched(self, fail=False):
        sent = []

        def fake_send(server, message, *args, **kwargs):
            if fail:
                raise ConnectionRefusedError("SMTP server down")
            sent.append(message)
            return "<fake@example.com>"

        @contextmanager
        def patched():
            # Odoo sends no email under tests: a fake SMTP server instead
            IrMailServer = type(self.env["ir.mail_server"])
            with (
                patch.object(IrMailServer, "_disable_send", return_value=False),
                patch.object(IrMailServer, "_connect__", return_value=None),
                patch.object(
                    IrMailServer, "send_email", autospec=True, side_effect=fake_send
                ),
            ):
                yield

        return sent, patched()

    def runs(self):
        return self.Run.search([("company_id", "=", self.env.company.id)])

    def test_monday_eleven(self):
        """Monday 11:00 in Shanghai: last week's two reports are sent on time,
        with their PDF, to the supervisors and the extra recipient; the
        recipient without email is reported; a second run sends nothing."""
        sent, patcher = self.send_patched()
        with freeze_time("2026-11-30 03:00:00"), patcher:
            self.run_reports_cron()
            weekly = self.runs().filtered(lambda r: r.report.startswith("weekly"))
            self.assertEqual(len(weekly), 2)
            for run in weekly:
                self.assertEqual(run.state, "sent")
                self.assertFalse(run.late)
                self.assertEqual(run.period_start, date(2026, 11, 23))
                self.assertEqual(run.period_end, date(2026, 11, 30))
                self.assertIn(self.extra, run.recipient_ids)
                self.assertIn(self.supervisor.partner_id, run.recipient_ids)
                self.assertIn("无邮箱主管", run.missing_email)
                # rendered as HTML under tests (Odoo renders PDFs in tests
                # only when asked to: TestReportPdf does)
                attachment = run.mail_id.attachment_ids
                self.assertEqual(len(attachment), 1)
                self.assertIn(b"Weekly", attachment.raw)
                self.assertIn(b"2026-11-23", attachment.raw)
            count = len(sent)
            self.assertGreaterEqual(count, 2)
            self.run_reports_cron()
            self.assertEqual(len(sent), count, "a second run sends nothing")
            # the two weekly reports and the four monthly ones of October
            self.assertEqual(len(self.runs()), 6)

    def test_second_of_the_month_and_catch_up(self):
        """On the 2nd the month just ended is sent on time; the weekly
        reports of the week before, missed on Monday, are caught up late."""
        _sent, patcher = self.send_patched()
        with freeze_time("2026-12-02 01:00:00"), patcher:  # Wednesday 09:00
            self.run_reports_cron()
        monthly = self.runs().filtered(lambda r: r.report.startswith("monthly"))
        self.assertEqual(len(monthly), 4)
        for run in monthly:
            self.assertEqual(
                (run.period_start, run.period_end),
                (date(2026, 11, 1), date(2026, 12, 1)),
            )
            self.assertEqual(run.state, "sent")
            self.assertFalse(run.late)
        weekly = self.runs() - monthly
        self.assertTrue(all(run.late and run.state == "sent" for run in weekly))
        self.assertEqual(set(weekly.mapped("period_start")), {date(2026, 11, 23)})

    def test_failed_send_is_retried(self):
        _sent, failing = self.send_patched(fail=True)
        with (
            freeze_time("2026-11-30 03:00:00"),
            failing,
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            self.run_reports_cron()
        failed = self.runs().filtered(lambda r: r.report == "weekly_complaint")
        self.assertEqual(failed.state, "failed", failed.mail_id.failure_reason)
        self.assertIn("SMTP server down", failed.error)
        self.assertEqual(failed.attempt_count, 1)
        sent, patcher = self.send_patched()
        with freeze_time("2026-11-30 04:00:00"), patcher:
            self.run_reports_cron()
        self.assertEqual(failed.state, "sent")
        self.assertEqual(failed.attempt_count, 2)
        self.assertFalse(failed.error)
        self.assertTrue(sent)
