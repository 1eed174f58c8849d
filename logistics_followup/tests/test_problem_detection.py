# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LogisticsCommon

NOW = datetime(2026, 10, 10, 12, 0)  # outside the shipped peak periods


@tagged("post_install", "-at_install")
class TestProblemDetection(LogisticsCommon):
    """R-PP-4..7 detection: one ticket per waybill and problem type, new
    findings posted on the open ticket, peak periods, station messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Detection = cls.env["logistics.problem.detection"]
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.stalled_type = cls.env.ref("logistics_followup.problem_type_stalled")
        cls.no_record_type = cls.env.ref("logistics_followup.problem_type_no_record")
        cls.at_station_type = cls.env.ref("logistics_followup.problem_type_at_station")
        cls.message_type = cls.env.ref(
            "logistics_followup.problem_type_station_message"
        )
        cls.sender = cls.env["res.partner"].create(
            {
                "name": "寄件人 张三",
                "street": "上海市浦东新区张江路1号",
                "phone": "13800138000",
            }
        )
        cls.receiver = cls.env["res.partner"].create(
            {
                "name": "收件人 李四",
                "street": "北京市海淀区中关村大街1号",
                "phone": "13900139000",
            }
        )
        cls.seq = 0

    def waybill(self, state, **sql_values):
        """A waybill in a given tracking situation (state and times are
        written by SQL, as ingest does)."""
        type(self).seq += 1
        waybill = self.env["logistics.waybill"].create(
            {
                "number": f"SF{7000000000000 + self.seq:013d}",
                "courier_id": self.courier_sf.id,
                "sender_partner_id": self.sender.id,
                "receiver_partner_id": self.receiver.id,
            }
        )
        values = {"state": state, "create_date": NOW - timedelta(days=10)}
        values.update(sql_values)
        return self.set_tracking(waybill, **values)

    def tickets(self, waybill, ptype=None):
        domain = [("waybill_id", "=", waybill.id)]
        if ptype:
            domain.append(("problem_type_id", "=", ptype.id))
        return self.Ticket.search(domain)

    def detect(self, now=NOW):
        with freeze_time(now):
            return self.Detection._detect(now=now)

    def test_rules_open_one_ticket_each(self):
        """R-PP-5 / R-PP-6 / R-PP-7: each rule opens a ticket with the type's
        playbook, deadline and the waybill's facts (R-WB-1)."""
        stalled = self.waybill(
            "in_transit",
            last_event_time=NOW - timedelta(days=4),
            first_scan_time=NOW - timedelta(days=6),
            last_event_place="杭州转运中心",
        )
        moving = self.waybill(
            "in_transit",
            last_event_time=NOW - timedelta(days=2),
            first_scan_time=NOW - timedelta(days=3),
        )
        silent = self.waybill("created", create_date=NOW - timedelta(hours=30))
        new = self.waybill("created", create_date=NOW - timedelta(hours=3))
        at_station = self.waybill(
            "at_station",
            arrival_date=NOW - timedelta(hours=30),
            last_event_time=NOW - timedelta(hours=30),
            first_scan_time=NOW - timedelta(days=3),
        )
        delivered = self.waybill(
            "delivered",
            arrival_date=NOW - timedelta(days=3),
            last_event_time=NOW - timedelta(days=3),
            first_scan_time=NOW - timedelta(days=5),
        )
        counts = self.detect()
        self.assertGreaterEqual(counts["created"], 3)
        ticket = self.tickets(stalled)
        self.assertEqual(ticket.problem_type_id, self.stalled_type)
        self.assertEqual(ticket.logistics_kind, "problem")
        self.assertTrue(ticket.number and ticket.number != "/")
        self.assertIn("杭州转运中心", ticket.description)
        self.assertEqual(
            ticket.step_ids.mapped("name"), self.stalled_type.step_ids.mapped("name")
        )
        self.assertEqual(ticket.logistics_deadline, NOW + timedelta(hours=24))
        self.assertEqual(ticket.partner_id, self.sender)  # outbound: the sender
        self.assertEqual(ticket.receiver_phone, "13900139000")
        self.assertFalse(ticket.missing_facts)
        self.assertTrue(ticket.logistics_open)
        self.assertEqual(ticket.stage_id, ticket._first_stage())
        self.assertEqual(self.tickets(silent).problem_type_id, self.no_record_type)
        self.assertEqual(self.tickets(at_station).problem_type_id, self.at_station_type)
        for quiet in (moving, new, delivered):
            self.assertFalse(self.tickets(quiet), quiet.number)

    def test_rerun_adds_nothing_and_new_finding_is_posted(self):
        """At most one open ticket per waybill and problem type: a rerun adds
        nothing, a new finding (stalled again elsewhere) is posted once on
        the open ticket; once closed, a new finding opens a new ticket."""
        stalled = self.waybill(
            "in_transit",
            last_event_time=NOW - timedelta(days=4),
            first_scan_time=NOW - timedelta(days=6),
        )
        self.detect()
        ticket = self.tickets(stalled)
        self.assertEqual(len(ticket), 1)
        messages = len(ticket.message_ids)
        self.detect(NOW + timedelta(hours=1))
        self.assertEqual(self.tickets(stalled), ticket)
        self.assertEqual(len(ticket.message_ids), messages)
        # it moved, then stalled again at another place
        self.env.cr.execute(
            "UPDATE logistics_waybill SET last_event_time = %s, "
            "last_event_place = '北京分拨中心' WHERE id = %s",
            [NOW + timedelta(days=1), stalled.id],
        )
        stalled.invalidate_recordset()
        later = NOW + timedelta(days=5)
        self.detect(later)
        self.detect(later + timedelta(hours=1))
        self.assertEqual(self.tickets(stalled), ticket)
        self.assertEqual(len(ticket.message_ids), messages + 1)
        self.assertIn("北京分拨中心", ticket.message_ids[0].body)
        # closed: the next finding is a new ticket
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.assertFalse(ticket.logistics_open)
        self.detect(later + timedelta(hours=2))
        self.assertEqual(len(self.tickets(stalled)), 2)

    def test_unique_open_ticket_in_database(self):
        """The database refuses a second open ticket of the same type for a
        waybill, so concurrent runs cannot duplicate."""
        stalled = self.waybill(
            "in_transit",
            last_event_time=NOW - timedelta(days=4),
            first_scan_time=NOW - timedelta(days=6),
        )
        self.detect()
        rows = [(stalled.id, stalled.company_id.id, "x", stalled.number, None)]
        with freeze_time(NOW):
            created = self.Detection._open_tickets(self.stalled_type, rows, NOW)
        self.assertFalse(created)
        self.assertEqual(len(self.tickets(stalled)), 1)
        # below the creation path, the database refuses the second one
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Ticket.with_context(logistics_slots_planned=True).create(
                {
                    "name": "x",
                    "description": "<p>x</p>",
                    "waybill_id": stalled.id,
                    "problem_type_id": self.stalled_type.id,
                }
            )

    def test_peak_period_relaxes_stall_rule(self):
        """R-PP-6 / R-PP-10: 4 days in one place is normal during 双十一 (7
        days there), abnormal on an ordinary day."""
        peak_day = datetime(2026, 11, 11, 12, 0)
        four_days = self.waybill(
            "in_transit",
            last_event_time=peak_day - timedelta(days=4),
            first_scan_time=peak_day - timedelta(days=5),
        )
        eight_days = self.waybill(
            "in_transit",
            last_event_time=peak_day - timedelta(days=8),
            first_scan_time=peak_day - timedelta(days=9),
        )
        cutoffs = self.Detection._cutoffs(peak_day)
        self.assertEqual(cutoffs.stall_days, 7)
        self.detect(peak_day)
        self.assertFalse(self.tickets(four_days))
        self.assertTrue(self.tickets(eight_days))
        self.detect(datetime(2026, 11, 22, 12, 0))
        self.assertTrue(self.tickets(four_days))

    def test_thresholds_configurable(self):
        """R-PP-5 / R-PP-6: the thresholds are settings."""
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("logistics_followup.stall_days", 5)
        params.set_param("logistics_followup.no_first_scan_hours", 48)
        stalled = self.waybill(
            "in_transit",
            last_event_time=NOW - timedelta(days=4),
            first_scan_time=NOW - timedelta(days=6),
        )
        silent = self.waybill("created", create_date=NOW - timedelta(hours=30))
        self.detect()
        self.assertFalse(self.tickets(stalled))
        self.assertFalse(self.tickets(silent))

    def test_tracking_stop_flags_are_findings(self):
        """Kuaidi100's "3天查询无记录" / "60天无变化" and our own stop cron feed
        the detection (issue 3, section 5c and 7)."""
        no_record = self.waybill(
            "created",
            create_date=NOW - timedelta(hours=2),
            tracking_stop_reason="no_record",
        )
        no_change = self.waybill(
            "exception",
            last_event_time=NOW - timedelta(days=1),
            first_scan_time=NOW - timedelta(days=2),
            tracking_stop_reason="no_change",
        )
        self.detect()
        self.assertEqual(self.tickets(no_record).problem_type_id, self.no_record_type)
        self.assertEqual(self.tickets(no_change).problem_type_id, self.stalled_type)

    def test_archived_type_or_no_rule_detects_nothing(self):
        """An administrator turns a rule off by archiving its type."""
        self.stalled_type.active = False
        stalled = self.waybill(
            "in_transit",
            last_event_time=NOW - timedelta(days=4),
            first_scan_time=NOW - timedelta(days=6),
        )
        self.detect()
        self.assertFalse(self.tickets(stalled))

    def test_station_message_deadline(self):
        """R-PP-4: warned before the deadline (once), the return recorded
        when it passes."""
        waybill = self.waybill(
            "at_station",
            arrival_date=NOW - timedelta(hours=2),
            last_event_time=NOW - timedelta(hours=2),
            first_scan_time=NOW - timedelta(days=2),
        )
        ticket = self.Ticket.create(
            {
                "name": "对方留言: 电话错误",
                "description": "<p>收件人电话错误</p>",
                "waybill_id": waybill.id,
                "problem_type_id": self.message_type.id,
                "logistics_deadline": NOW + timedelta(hours=3),
            }
        )
        self.detect()
        self.assertEqual(len(ticket.activity_ids), 1)
        self.assertEqual(ticket.deadline_state, "overdue")  # real now is later
        self.detect(NOW + timedelta(hours=1))
        self.assertEqual(len(ticket.activity_ids), 1)
        self.assertFalse(ticket.parcel_returned_date)
        self.detect(NOW + timedelta(hours=4))
        self.assertEqual(ticket.parcel_returned_date, NOW + timedelta(hours=4))
        self.assertIn("returned", ticket.message_ids[0].body)
        self.detect(NOW + timedelta(hours=5))
        self.assertEqual(ticket.parcel_returned_date, NOW + timedelta(hours=4))

    def test_batches(self):
        """Findings are handled in batches of N waybills until none is left."""
        for _i in range(12):
            self.waybill(
                "in_transit",
                last_event_time=NOW - timedelta(days=4),
                first_scan_time=NOW - timedelta(days=6),
            )
        self.env.flush_all()
        before = self.Ticket.search_count(
            [("problem_type_id", "=", self.stalled_type.id)]
        )
        with freeze_time(NOW):
            self.Detection._detect(now=NOW, batch=5)
        after = self.Ticket.search_count(
            [("problem_type_id", "=", self.stalled_type.id)]
        )
        self.assertGreaterEqual(after - before, 12)

    def test_button_and_cron(self):
        """The "Detect now" action reports the counts; the cron runs."""
        self.waybill(
            "in_transit",
            last_event_time=datetime.now() - timedelta(days=4),
            first_scan_time=datetime.now() - timedelta(days=6),
        )
        action = self.Detection.with_user(self.supervisor).action_detect_now()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("new tickets", action["params"]["message"])
        cron = self.env.ref("logistics_followup.ir_cron_detect_problems")
        self.assertEqual(cron.interval_type, "hours")
        self.assertEqual(cron.code, "model._cron_detect()")
