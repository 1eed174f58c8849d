# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta
from decimal import Decimal

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from ..core import reporting as reporting_core
from .common import LogisticsCommon

STATION_A = "北京朝阳站"
STATION_B = "上海浦东站"
MONDAY = datetime(2026, 11, 23, 4, 0)  # 12:00 in Shanghai


class ReportCommon(LogisticsCommon):
    """Five shipped parcels (SF 3, CPI 2) and one not shipped, two
    complaints and two problem parcels of company 1, one parcel and one
    complaint of a second company; every figure below is counted by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.late = cls.env.ref("logistics_followup.cause_late")
        cls.damaged = cls.env.ref("logistics_followup.cause_damaged")
        cls.company2 = cls.env["res.company"].create({"name": "Second Express"})
        cls.supervisor2 = new_test_user(
            cls.env,
            "lf_supervisor2",
            groups="logistics_followup.group_logistics_supervisor",
            company_id=cls.company2.id,
            company_ids=[cls.company2.id],
        )
        spec = [
            # number, courier, direction, station, shipped on
            ("SF1000000000001", cls.courier_sf, "outbound", STATION_A, MONDAY),
            ("SF1000000000002", cls.courier_sf, "outbound", STATION_A, MONDAY),
            ("SF1000000000003", cls.courier_sf, "inbound", STATION_B, MONDAY),
            (
                "EA100000003CN",
                cls.courier_cpi,
                "outbound",
                STATION_B,
                MONDAY + timedelta(days=1),
            ),
            (
                "EA100000017CN",
                cls.courier_cpi,
                "outbound",
                STATION_B,
                MONDAY + timedelta(days=1),
            ),
            ("SF1000000000006", cls.courier_sf, "outbound", STATION_A, False),
        ]
        cls.waybills = cls.env["logistics.waybill"].create(
            [cls._waybill_vals(n, c, d, s, when) for n, c, d, s, when in spec]
        )
        cls.waybill2 = cls.env["logistics.waybill"].create(
            dict(
                cls._waybill_vals(
                    "SF2000000000001", cls.courier_sf, "outbound", STATION_A, MONDAY
                ),
                company_id=cls.company2.id,
            )
        )
        w = cls.waybills
        cls.complaint1 = cls._ticket(w[0], "complaint", cls.agent, cause_id=cls.late.id)
        cls.complaint2 = cls._ticket(
            w[3], "complaint", cls.supervisor, cause_id=cls.damaged.id
        )
        cls.problem1 = cls._ticket(
            w[1],
            "problem",
            cls.agent,
            problem_type_id=cls.env.ref("logistics_followup.problem_type_lost").id,
        )
        cls.problem2 = cls._ticket(
            w[4],
            "problem",
            cls.supervisor,
            problem_type_id=cls.env.ref("logistics_followup.problem_type_damaged").id,
        )
        cls.complaint_c2 = cls._ticket(
            cls.waybill2, "complaint", cls.supervisor2, cause_id=cls.late.id
        )
        # complaint 1: closed, reopened, closed again 10 hours after it was opened
        cls.complaint1.root_cause = "快递员未按时派送"
        cls.complaint1.stage_id = cls.stage_done
        cls.complaint1.stage_id = cls.stage_progress
        cls.complaint1.stage_id = cls.stage_done
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id IN %s",
            (
                MONDAY,
                tuple(
                    (cls.complaint1 | cls.complaint2 | cls.problem1 | cls.problem2).ids
                ),
            ),
        )
        cls.env.cr.execute(
            "UPDATE helpdesk_ticket SET closed_date = %s WHERE id = %s",
            (MONDAY + timedelta(hours=10), cls.complaint1.id),
        )
        cls.env.invalidate_all()

    @classmethod
    def _waybill_vals(cls, number, courier, direction, station, shipped):
        return {
            "number": number,
            "courier_id": courier.id,
            "direction": direction,
            "destination_station": station,
            "origin_station": "深圳南山站",
            "shipped_date": shipped,
            "sender_name": "张三",
            "sender_phone": "13800138000",
            "sender_address": "深圳市南山区科技园1号",
            "receiver_name": "李四",
            "receiver_phone": "13900139000",
            "receiver_address": "北京市朝阳区建国路1号",
        }

    @classmethod
    def _ticket(cls, waybill, kind, user, **vals):
        return cls.Ticket.with_company(waybill.company_id).create(
            dict(
                {
                    "name": f"{kind} {waybill.number}",
                    "description": "<p>x</p>",
                    "logistics_kind": kind,
                    "waybill_id": waybill.id,
                    "user_id": user.id,
                    "company_id": waybill.company_id.id,
                },
                **vals,
            )
        )

    def grouped(self, model, groupby, aggregates, user=None, domain=()):
        Model = self.env[model].with_user(user or self.supervisor)
        return {
            tuple(row[: len(groupby)]): tuple(row[len(groupby) :])
            for row in Model._read_group(list(domain), groupby, aggregates)
        }


@tagged("post_install", "-at_install")
class TestLogisticsCause(ReportCommon):
    """R-CP-6: structured causes and the station a ticket is counted against."""

    def test_seeded_causes(self):
        codes = set(self.env["logistics.cause"].search([]).mapped("code"))
        self.assertLessEqual(
            {
                "late",
                "damaged",
                "lost",
                "false_signing",
                "service_attitude",
                "wrong_address",
                "refused",
                "customs",
                "other",
            },
            codes,
        )

    def test_problem_type_proposes_its_cause(self):
        self.assertEqual(
            self.problem1.cause_id, self.env.ref("logistics_followup.cause_lost")
        )
        self.assertEqual(self.problem2.cause_id, self.damaged)

    def test_complaint_closes_only_with_a_cause(self):
        complaint = self._ticket(
            self.waybills[2], "complaint", self.agent, root_cause="派送员态度差"
        )
        self.assertFalse(complaint.cause_id)
        with self.assertRaises(ValidationError):  # rolled back
            complaint.stage_id = self.stage_done
        complaint.cause_id = self.env.ref("logistics_followup.cause_service_attitude")
        complaint.stage_id = self.stage_done
        self.assertTrue(complaint.closed)
        with self.assertRaises(ValidationError):
            complaint.cause_id = False

    def test_station_and_reopen(self):
        """The delivering station, else the chased one; reopening counts."""
        self.assertEqual(self.complaint1.responsible_station, STATION_A)
        self.assertEqual(self.complaint1.reopen_count, 1)
        station = self.env["res.partner"].create({"name": "深圳南山网点"})
        self.complaint2.responsible_station_id = station
        self.assertEqual(self.complaint2.responsible_station, "深圳南山网点")


@tagged("post_install", "-at_install")
class TestReportViews(ReportCommon):
    """Figures of the analysis views (R-RP-1, R-PP-9, R-CP-4, R-CP-6),
    against the data above counted by hand."""

    def test_shipments_per_day_courier_direction(self):
        rows = self.grouped(
            "logistics.shipment.report",
            ["shipped_date:day", "courier_id", "direction"],
            ["shipment_count:sum"],
        )
        day1, day2 = MONDAY.date(), MONDAY.date() + timedelta(days=1)
        counts = {(d.date(), c.code, dr): n for (d, c, dr), (n,) in rows.items()}
        self.assertEqual(
            counts,
            {
                (day1, "SF", "outbound"): 2,
                (day1, "SF", "inbound"): 1,
                (day2, "CPI", "outbound"): 2,
            },
        )

    def test_ticket_report_by_kind_cause_station(self):
        rows = self.grouped(
            "logistics.ticket.report",
            ["logistics_kind", "cause_id", "station"],
            ["ticket_count:sum", "reopened_count:sum", "open_count:sum"],
        )
        found = {(k, c.code, s): v for (k, c, s), v in rows.items()}
        self.assertEqual(
            found,
            {
                ("complaint", "late", STATION_A): (1, 1, 0),
                ("complaint", "damaged", STATION_B): (1, 0, 1),
                ("problem", "lost", STATION_A): (1, 0, 1),
                ("problem", "damaged", STATION_B): (1, 0, 1),
            },
        )

    def test_complaint_resolution(self):
        rows = self.grouped(
            "logistics.ticket.report",
            ["resolution"],
            ["__count", "resolution_hours:avg"],
            domain=[("logistics_kind", "=", "complaint")],
        )
        self.assertEqual(rows[("day",)][0], 1)
        self.assertAlmostEqual(rows[("day",)][1], 10.0, places=3)
        self.assertEqual(rows[("open",)][0], 1)

    def test_resolution_classes_follow_core(self):
        """The SQL classes are core.reporting.resolution_bucket."""
        hours = [0.5, 24, 24.01, 72, 100, 168, 169]
        tickets = self.Ticket
        for index in range(len(hours)):
            waybill = self.env["logistics.waybill"].create(
                self._waybill_vals(
                    f"SF30000000000{index:02d}",
                    self.courier_sf,
                    "outbound",
                    STATION_A,
                    MONDAY,
                )
            )
            ticket = self._ticket(
                waybill, "complaint", self.agent, cause_id=self.late.id
            )
            ticket.root_cause = "x"
            ticket.stage_id = self.stage_done
            tickets |= ticket
        self.env.flush_all()
        for ticket, h in zip(tickets, hours, strict=True):
            self.env.cr.execute(
                "UPDATE helpdesk_ticket SET create_date = %s, closed_date = %s "
                "WHERE id = %s",
                (MONDAY, MONDAY + timedelta(hours=h), ticket.id),
            )
        self.env.invalidate_all()
        lines = self.env["logistics.ticket.report"].search(
            [("ticket_id", "in", tickets.ids)]
        )
        by_ticket = {line.ticket_id: line.resolution for line in lines}
        for ticket, h in zip(tickets, hours, strict=True):
            self.assertEqual(by_ticket[ticket], reporting_core.resolution_bucket(h), h)

    def test_problems_by_type_courier_week(self):
        rows = self.grouped(
            "logistics.ticket.report",
            ["problem_type_id", "courier_id", "create_date:week"],
            ["__count"],
            domain=[("logistics_kind", "=", "problem")],
        )
        found = {(t.code, c.code): n for (t, c, _w), (n,) in rows.items()}
        self.assertEqual(found, {("lost", "SF"): 1, ("damaged", "CPI"): 1})

    def test_complaints_per_10k(self):
        """SF: 1 complaint / 3 parcels, CPI: 1 / 2, both: 2 / 5 (the
        unshipped parcel does not count)."""
        rows = self.grouped(
            "logistics.complaint.rate.report",
            ["courier_id"],
            ["parcel_count:sum", "complaint_count:sum", "per_10k:sum"],
        )
        found = {c.code: v for (c,), v in rows.items()}
        self.assertEqual(found["SF"][:2], (3, 1))
        self.assertAlmostEqual(found["SF"][2], 3333.33, places=2)
        self.assertAlmostEqual(found["CPI"][2], 5000.00, places=2)
        ((total,),) = (
            self.env["logistics.complaint.rate.report"]
            .with_user(self.supervisor)
            ._read_group([], [], ["per_10k:sum"])
        )
        self.assertAlmostEqual(total, 4000.0, places=2)
        # the SQL ratio is core.reporting.per_10k of the sums
        by_station = self.grouped(
            "logistics.complaint.rate.report",
            ["station"],
            ["complaint_count:sum", "parcel_count:sum", "per_10k:sum"],
        )
        for (station,), (complaints, parcels, ratio) in by_station.items():
            expected = reporting_core.per_10k(complaints, parcels)
            self.assertEqual(
                Decimal(str(ratio)).quantize(Decimal("0.01")), expected, station
            )

    def test_breaches(self):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET response_breached = TRUE WHERE id = %s",
            (self.problem1.id,),
        )
        self.env.invalidate_all()
        rows = self.grouped("logistics.ticket.report", ["breached"], ["__count"])
        self.assertEqual(rows.get((True,)), (1,))

    def test_access(self):
        """Agents see their own tickets' figures, supervisors all of their
        company, a second company's supervisor none of them, portal users
        nothing."""
        Report = self.env["logistics.ticket.report"]
        mine = Report.with_user(self.agent).search([])
        self.assertEqual(mine.ticket_id, self.complaint1 | self.problem1)
        everything = Report.with_user(self.supervisor).search([])
        self.assertEqual(
            everything.ticket_id,
            self.complaint1 | self.complaint2 | self.problem1 | self.problem2,
        )
        other = Report.with_user(self.supervisor2).search([])
        self.assertEqual(other.ticket_id, self.complaint_c2)
        for model in ("logistics.shipment.report", "logistics.complaint.rate.report"):
            self.assertEqual(
                len(self.env[model].with_user(self.supervisor2).search([])), 1, model
            )
            self.assertEqual(len(self.env[model].with_user(self.agent).search([])), 5)
        for model in (
            "logistics.ticket.report",
            "logistics.shipment.report",
            "logistics.complaint.rate.report",
            "logistics.cause",
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.portal_user).search([])


@tagged("post_install", "-at_install")
class TestDashboardFigures(ReportCommon):
    """The dashboard's figures, on Monday 2026-11-23 14:00 in Shanghai."""

    def test_figures_and_their_records(self):
        self.env.company.partner_id.tz = "Asia/Shanghai"
        with freeze_time("2026-11-23 06:00:00"):
            data = (
                self.env["logistics.dashboard"]
                .with_user(self.supervisor)
                .get_dashboard_data()
            )
        cards = {card["key"]: card for card in data["cards"]}
        self.assertEqual(cards["open_problems"]["value"], 2)
        self.assertEqual(cards["complaints_today"]["value"], 2)
        self.assertEqual(cards["complaints_week"]["value"], 2)
        self.assertEqual(cards["problems_week"]["value"], 2)
        self.assertEqual(cards["breaches_week"]["value"], 0)
        # each figure opens its records
        found = self.env["helpdesk.ticket"].search(cards["complaints_week"]["domain"])
        self.assertEqual(found, self.complaint1 | self.complaint2)
        complaints = data["trend"]["series"][0]
        self.assertEqual(complaints["kind"], "complaint")
        self.assertEqual(complaints["data"][-1], 2)
        self.assertEqual(sum(complaints["data"]), 2)
        self.assertEqual(data["trend"]["labels"][-1], "11-23")
