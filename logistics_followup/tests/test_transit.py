# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import LogisticsCommon


@tagged("post_install", "-at_install")
class TestTransit(LogisticsCommon):
    """R-WB-4: normal transit time, expected delivery, overdue; tracking
    stops by rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.zj, cls.sh = (
            cls.env.ref("base.state_cn_ZJ"),
            cls.env.ref("base.state_cn_SH"),
        )
        cls.hangzhou_a = Partner.create(
            {"name": "A", "state_id": cls.zj.id, "city": "杭州市"}
        )
        cls.hangzhou_b = Partner.create(
            {"name": "B", "state_id": cls.zj.id, "city": "杭州市"}
        )
        cls.ningbo = Partner.create(
            {"name": "C", "state_id": cls.zj.id, "city": "宁波市"}
        )
        cls.shanghai = Partner.create(
            {"name": "D", "state_id": cls.sh.id, "city": "上海市"}
        )
        cls.Norm = cls.env["logistics.transit.time"]
        cls.Norm.search([]).unlink()
        cls.Norm.create(
            [
                {"route_class": "same_city", "hours": 24},
                {"route_class": "same_province", "hours": 48},
                {"route_class": "cross_province", "hours": 72},
                {
                    "route_class": "cross_province",
                    "hours": 36,
                    "courier_id": cls.courier_sf.id,
                    "transport_mode": "air",
                },
            ]
        )
        cls.shipped = datetime(2026, 11, 10, 1, 0)

    def make(self, number, sender, receiver, **vals):
        return self.env["logistics.waybill"].create(
            dict(
                {
                    "number": number,
                    "courier_id": self.courier_sf.id,
                    "sender_partner_id": sender.id,
                    "receiver_partner_id": receiver.id,
                    "shipped_date": self.shipped,
                },
                **vals,
            )
        )

    def test_route_class_and_expected_date(self):
        """Same city 24 h, same province 48 h, cross-province 72 h, and the
        courier's own air norm beats the generic one."""
        cases = [
            (self.hangzhou_a, self.hangzhou_b, {}, "same_city", 24),
            (self.hangzhou_a, self.ningbo, {}, "same_province", 48),
            (self.hangzhou_a, self.shanghai, {}, "cross_province", 72),
            (
                self.hangzhou_a,
                self.shanghai,
                {"transport_mode": "air"},
                "cross_province",
                36,
            ),
        ]
        for serial, (sender, receiver, vals, route, hours) in enumerate(cases):
            waybill = self.make(f"SF{serial:013d}", sender, receiver, **vals)
            self.assertEqual(waybill.route_class, route)
            self.assertEqual(
                waybill.expected_date, self.shipped + timedelta(hours=hours)
            )

    def test_expected_date_follows_changes_unless_set_by_hand(self):
        waybill = self.make("SF0000000000101", self.hangzhou_a, self.shanghai)
        waybill.transport_mode = "air"
        self.assertEqual(waybill.expected_date, self.shipped + timedelta(hours=36))
        confirmed = datetime(2026, 11, 15, 2, 0)
        waybill.expected_date = confirmed  # confirmed with the station (R-WB-5)
        waybill.transport_mode = "land"
        self.assertEqual(waybill.expected_date, confirmed)

    def test_expected_date_from_first_scan(self):
        """Without a shipped date, the clock starts at the first scan."""
        waybill = self.make(
            "SF0000000000102", self.hangzhou_a, self.ningbo, shipped_date=False
        )
        self.assertFalse(waybill.expected_date)
        self.env["logistics.tracking.event"].ingest(
            [
                {
                    "waybill": waybill.number,
                    "courier": "SF",
                    "time": "2026-11-10T09:00:00+08:00",
                    "status": "1",
                }
            ]
        )
        self.assertEqual(waybill.expected_date, datetime(2026, 11, 12, 1, 0))

    def test_ingest_expected_dates_as_recomputed(self):
        """R-WB-4: the expected dates ingest sets with the waybills' state
        are those of _recompute_expected_dates: from the first scan when not
        shipped (with the most specific norm, none without a norm), kept when
        shipped or set by hand."""
        cases = {
            "SF0000000000111": (self.hangzhou_a, self.ningbo, {"shipped_date": False}),
            "SF0000000000112": (
                self.hangzhou_a,
                self.shanghai,
                {"shipped_date": False, "transport_mode": "air"},
            ),
            "SF0000000000113": (self.hangzhou_a, self.shanghai, {}),
            "SF0000000000114": (
                self.hangzhou_a,
                self.ningbo,
                {"shipped_date": False, "expected_date": datetime(2026, 11, 20)},
            ),
            "SF0000000000115": (
                self.env["res.partner"],
                self.env["res.partner"],
                {"shipped_date": False},
            ),
        }
        waybills = self.env["logistics.waybill"]
        for number, (sender, receiver, vals) in cases.items():
            waybills |= self.make(number, sender, receiver, **vals)
        self.env["logistics.tracking.event"].ingest(
            [
                {
                    "waybill": number,
                    "courier": "SF",
                    "time": time,
                    "status": status,
                }
                for number in cases
                for time, status in (
                    ("2026-11-10T09:00:00+08:00", "1"),
                    ("2026-11-09T20:00:00+08:00", "101"),
                    ("2026-11-11T09:00:00+08:00", "0"),
                )
            ]
        )
        got = {w.number: w.expected_date for w in waybills}
        self.assertEqual(got["SF0000000000111"], datetime(2026, 11, 12, 1, 0))
        self.assertEqual(got["SF0000000000112"], datetime(2026, 11, 11, 13, 0))
        self.assertEqual(got["SF0000000000113"], self.shipped + timedelta(hours=72))
        self.assertEqual(got["SF0000000000114"], datetime(2026, 11, 20))
        self.assertFalse(got["SF0000000000115"])
        waybills._recompute_expected_dates(waybills.ids)
        self.assertEqual({w.number: w.expected_date for w in waybills}, got)

    def test_overdue_search(self):
        """R-WB-4: beyond the normal time and not delivered."""
        late = self.make("SF0000000000103", self.hangzhou_a, self.shanghai)
        delivered = self.make("SF0000000000104", self.hangzhou_a, self.shanghai)
        delivered.env.cr.execute(
            "UPDATE logistics_waybill SET state = 'delivered' WHERE id = %s",
            [delivered.id],
        )
        delivered.invalidate_recordset(["state"])
        Waybill = self.env["logistics.waybill"]
        with freeze_time("2026-11-14"):
            self.assertTrue(late.is_overdue)
            self.assertFalse(delivered.is_overdue)
            found = Waybill.search([("is_overdue", "=", True)])
            self.assertIn(late, found)
            self.assertNotIn(delivered, found)
            self.assertNotIn(late, Waybill.search([("is_overdue", "=", False)]))
        late.invalidate_recordset(["is_overdue"])
        with freeze_time("2026-11-11"):
            self.assertFalse(late.is_overdue)

    def test_tracking_stop_cron(self):
        """No record 3 days after creation, no change for 60 days; a new event
        clears the flag; rerunning changes nothing."""
        silent = self.make("SF0000000000105", self.hangzhou_a, self.ningbo)
        stalled = self.make("SF0000000000106", self.hangzhou_a, self.ningbo)
        fresh = self.make("SF0000000000107", self.hangzhou_a, self.ningbo)
        self.env.cr.execute(
            "UPDATE logistics_waybill SET create_date = %s WHERE id IN %s",
            [datetime.now() - timedelta(days=4), (silent.id, stalled.id)],
        )
        self.env["logistics.tracking.event"].ingest(
            [
                {
                    "waybill": stalled.number,
                    "courier": "SF",
                    "time": (datetime.now() - timedelta(days=61)).isoformat()
                    + "+00:00",
                    "status": "0",
                }
            ]
        )
        Waybill = self.env["logistics.waybill"]
        self.assertGreaterEqual(Waybill._cron_flag_stopped_tracking(), 2)
        self.assertEqual(silent.tracking_stop_reason, "no_record")
        self.assertEqual(stalled.tracking_stop_reason, "no_change")
        self.assertFalse(fresh.tracking_stop_reason)
        before = Waybill.search_count([("tracking_stop_reason", "!=", False)])
        Waybill._cron_flag_stopped_tracking()
        self.assertEqual(
            Waybill.search_count([("tracking_stop_reason", "!=", False)]), before
        )
        self.env["logistics.tracking.event"].ingest(
            [
                {
                    "waybill": silent.number,
                    "courier": "SF",
                    "time": datetime.now().isoformat() + "+00:00",
                    "status": "1",
                }
            ]
        )
        self.assertFalse(silent.tracking_stop_reason)
