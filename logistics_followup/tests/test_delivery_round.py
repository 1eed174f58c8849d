# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import LogisticsCommon

ROUND_END = datetime(2026, 11, 11, 7, 0)  # 15:00 in Shanghai


@tagged("post_install", "-at_install")
class TestDeliveryRound(LogisticsCommon):
    """R-PP-1: delivery round exception reports: validation on submission,
    lateness against the company deadline, the parcel's storage place."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.courier = cls.env["res.partner"].create({"name": "李强 (快递员)"})
        cls.waybills = cls.env["logistics.waybill"].create(
            [
                {
                    "number": f"SF{1000000000000 + i}",
                    "courier_id": cls.courier_sf.id,
                    "direction": "inbound",
                    "receiver_address": f"上海市浦东新区张江路{i}号",
                }
                for i in range(1, 4)
            ]
        )
        cls.Round = cls.env["logistics.delivery.round"]

    def _round(self, user=None, **vals):
        values = {
            "station": "上海浦东网点",
            "date": ROUND_END.date(),
            "round_number": 1,
            "courier_partner_id": self.courier.id,
            "round_end": ROUND_END,
        }
        values.update(vals)
        return self.Round.with_user(user or self.agent).create(values)

    def _line(self, waybill, **vals):
        values = {
            "waybill_id": waybill.id,
            "reason": "nobody_home",
            "exception_signed": True,
            "disposition": "next_round",
            "storage_place": "A-01",
        }
        values.update(vals)
        return values

    def _submit_at(self, report, when):
        with freeze_time(when):
            report.action_submit()

    # ------------------------------------------------------------ deadline

    def test_default_deadline_two_hours_after_round(self):
        report = self._round()
        self.assertEqual(report.deadline, ROUND_END + timedelta(hours=2))

    def test_cutoff_deadline_in_company_timezone(self):
        """'By 20:00' is 20:00 at the company, whoever opens the report."""
        self.env.company.partner_id.tz = "Asia/Shanghai"
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("logistics_followup.round_deadline_mode", "cutoff")
        params.set_param("logistics_followup.round_deadline_cutoff", "20.0")
        report = self._round()
        self.assertEqual(report.deadline, datetime(2026, 11, 11, 12, 0))
        # a round ending after the cut-off is due at the next day's
        report.round_end = datetime(2026, 11, 11, 13, 0)  # 21:00 local
        self.assertEqual(report.deadline, datetime(2026, 11, 12, 12, 0))

    def test_settings_change_deadline(self):
        settings = self.env["res.config.settings"].create(
            {"logistics_round_deadline_hours": 4.0}
        )
        settings.execute()
        self.assertEqual(self._round().deadline, ROUND_END + timedelta(hours=4))

    # ------------------------------------------------------------ submission

    def test_submit_on_time(self):
        report = self._round(line_ids=[(0, 0, self._line(self.waybills[0]))])
        self._submit_at(report, ROUND_END + timedelta(hours=1))
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.submitted_time, ROUND_END + timedelta(hours=1))
        self.assertEqual(report.submitted_uid, self.agent)
        self.assertFalse(report.is_late)

    def test_submit_late(self):
        report = self._round(line_ids=[(0, 0, self._line(self.waybills[0]))])
        self._submit_at(report, ROUND_END + timedelta(hours=2, minutes=1))
        self.assertTrue(report.is_late)
        self.assertEqual(
            self.Round.search([("is_late", "=", True), ("round_end", "=", ROUND_END)]),
            report,
        )

    def test_submit_validates_every_line(self):
        """All faults of all lines listed at once, nothing written."""
        wb1, wb2, wb3 = self.waybills
        report = self._round(
            line_ids=[
                (0, 0, self._line(wb1)),
                (0, 0, self._line(wb2, storage_place=False, exception_signed=False)),
                (
                    0,
                    0,
                    self._line(wb3, disposition="another_day", reason="other"),
                ),
            ]
        )
        with self.assertRaises(ValidationError) as caught:
            report.action_submit()
        message = str(caught.exception)
        self.assertNotIn(wb1.number, message)
        self.assertIn(wb2.number, message)
        self.assertIn("no storage place", message)
        self.assertIn("no exception sign-off", message)
        self.assertIn(wb3.number, message)
        self.assertIn("appointment date", message)
        self.assertIn("needs a note", message)
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.submitted_time)
        self.assertFalse(wb1.storage_place)

    def test_submit_needs_lines(self):
        with self.assertRaises(ValidationError):
            self._round().action_submit()

    def test_appointment_after_round_day(self):
        report = self._round(
            line_ids=[
                (
                    0,
                    0,
                    self._line(
                        self.waybills[0],
                        disposition="another_day",
                        appointment_date=ROUND_END.date(),
                    ),
                )
            ]
        )
        with self.assertRaises(ValidationError):
            report.action_submit()
        report.line_ids.appointment_date = ROUND_END.date() + timedelta(days=1)
        report.action_submit()
        self.assertEqual(
            self.waybills[0].last_delivery_appointment,
            ROUND_END.date() + timedelta(days=1),
        )

    def test_sign_off_time_set_when_ticked(self):
        report = self._round(
            line_ids=[(0, 0, self._line(self.waybills[0], exception_signed=False))]
        )
        line = report.line_ids
        self.assertFalse(line.exception_signed_time)
        with freeze_time("2026-11-11 07:30:00"):
            line.exception_signed = True
            line.flush_recordset()
        self.assertEqual(line.exception_signed_time, datetime(2026, 11, 11, 7, 30))
        line.exception_signed = False
        self.assertFalse(line.exception_signed_time)

    @mute_logger("odoo.sql_db")
    def test_one_line_per_waybill_per_round(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self._round(
                line_ids=[
                    (0, 0, self._line(self.waybills[0])),
                    (0, 0, self._line(self.waybills[0], storage_place="B")),
                ]
            )

    def test_submitted_report_is_frozen(self):
        report = self._round(line_ids=[(0, 0, self._line(self.waybills[0]))])
        report.action_submit()
        with self.assertRaises(UserError):
            report.line_ids.storage_place = "Z-9"
        with self.assertRaises(UserError):
            report.write({"line_ids": [(0, 0, self._line(self.waybills[1]))]})
        with self.assertRaises(UserError):
            report.round_end = ROUND_END + timedelta(hours=5)
        with self.assertRaises(UserError):
            report.action_submit()
        with self.assertRaises(UserError):
            report.with_user(self.supervisor).unlink()
        # an agent cannot reopen it, a supervisor can
        with self.assertRaises(UserError):
            report.with_user(self.agent).action_reset_draft()
        report.with_user(self.supervisor).action_reset_draft()
        self.assertEqual(report.state, "draft")
        report.line_ids.storage_place = "Z-9"

    # ------------------------------------------------------------ lateness cron

    def test_cron_flags_overdue_drafts(self):
        with freeze_time(ROUND_END):
            report = self._round(line_ids=[(0, 0, self._line(self.waybills[0]))])
            empty_draft = self._round(round_number=2)
            self.env.flush_all()
        self.assertFalse(report.is_late or empty_draft.is_late)
        with freeze_time(ROUND_END + timedelta(hours=1)):
            self.assertEqual(self.Round._cron_flag_late_rounds(), 0)
        with freeze_time(ROUND_END + timedelta(hours=3)):
            self.assertEqual(self.Round._cron_flag_late_rounds(), 2)
            self.assertEqual(self.Round._cron_flag_late_rounds(), 0)
        self.assertTrue(report.is_late)
        self.assertTrue(empty_draft.is_late)
        # filed later, it stays late
        with freeze_time(ROUND_END + timedelta(hours=4)):
            report.action_submit()
        self.assertTrue(report.is_late)

    # ------------------------------------------------------------ waybill side

    def test_storage_place_found_from_waybill(self):
        """The latest submitted round gives the parcel's storage place, so any
        agent finds it by searching the waybills."""
        wb = self.waybills[0]
        first = self._round(
            line_ids=[(0, 0, self._line(wb, storage_place="A-01", reason="refused"))]
        )
        first.action_submit()
        self.assertEqual(wb.storage_place, "A-01")
        self.assertEqual(wb.last_delivery_reason, "refused")
        self.assertEqual(wb.last_delivery_disposition, "next_round")
        draft = self._round(
            round_number=2,
            round_end=ROUND_END + timedelta(hours=3),
            line_ids=[(0, 0, self._line(wb, storage_place="H-07", disposition="hold"))],
        )
        self.assertEqual(wb.storage_place, "A-01", "drafts do not count")
        draft.action_submit()
        self.assertEqual(wb.storage_place, "H-07")
        self.assertEqual(wb.last_delivery_disposition, "hold")
        Waybill = self.env["logistics.waybill"].with_user(self.agent)
        self.assertEqual(Waybill.search([("storage_place", "ilike", "h-07")]), wb)
        self.assertEqual(wb.with_user(self.agent).delivery_exception_count, 2)
        action = wb.with_user(self.agent).action_view_delivery_exceptions()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]),
            wb.delivery_round_line_ids,
        )
        # reopening the latest report gives the previous place back
        draft.with_user(self.supervisor).action_reset_draft()
        self.assertEqual(wb.storage_place, "A-01")

    def test_form_for_agent(self):
        with Form(self.Round.with_user(self.agent)) as form:
            form.station = "上海浦东网点"
            form.courier_partner_id = self.courier
            form.round_end = ROUND_END
            with form.line_ids.new() as line:
                line.waybill_id = self.waybills[0]
                line.reason = "damaged"
                line.exception_signed = True
                line.disposition = "return"
                line.storage_place = "R-02"
        report = form.record
        self.assertTrue(report.line_ids.exception_signed_time)
        report.action_submit()
        self.assertEqual(self.waybills[0].storage_place, "R-02")

    # ------------------------------------------------------------ security

    def test_access_rights(self):
        """Agents create and submit, supervisors also delete, receipt clerks
        read, portal users get nothing."""
        report = self._round(
            user=self.agent, line_ids=[(0, 0, self._line(self.waybills[0]))]
        )
        with self.assertRaises(AccessError):
            report.with_user(self.agent).unlink()
        report.with_user(self.agent).action_submit()
        self.assertTrue(report.with_user(self.clerk).line_ids.storage_place)
        with self.assertRaises(AccessError):
            report.with_user(self.clerk).note = "x"
        with self.assertRaises(AccessError):
            self.Round.with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            self.env["logistics.delivery.round.line"].with_user(
                self.portal_user
            ).search([])
        draft = self._round(user=self.supervisor, round_number=2)
        draft.with_user(self.supervisor).unlink()
        self.assertFalse(draft.exists())

    def test_company_rule(self):
        company_b = self.env["res.company"].create({"name": "Station Company B"})
        report_b = self.Round.with_company(company_b).create(
            {
                "station": "B",
                "courier_partner_id": self.courier.id,
                "round_end": ROUND_END,
                "company_id": company_b.id,
            }
        )
        mine = self._round()
        found = self.Round.with_user(self.agent).search([])
        self.assertIn(mine, found)
        self.assertNotIn(report_b, found)
        with self.assertRaises(AccessError):
            report_b.with_user(self.agent).read(["station"])
        # a line cannot list a waybill of another company
        with self.assertRaises(UserError):
            report_b.write({"line_ids": [(0, 0, self._line(self.waybills[0]))]})
