# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import codecs
import csv
import io
from datetime import datetime

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..core import events as events_core
from ..wizards.logistics_tracking_import import FIELD_SELECTION
from .common import LogisticsCommon

NUMBER = "SF3299150988269"
HEADERS = ["运单号", "快递公司", "时间", "地点", "状态", "描述", "操作员"]
# lines 2 to 6 of the file; lines 3 and 5 are wrong
LINES = [
    [
        NUMBER,
        "SF",
        "2026-11-10 09:00:00",
        "深圳宝安",
        "已揽收",
        "顺丰已收取快件",
        "张三",
    ],
    [NUMBER, "SF Express", "2026-11-10 21:00:00", "深圳转运中心", "", "", ""],
    [NUMBER, "shunfeng", "2026-11-11 06:00:00", "杭州转运中心", "运输中", "", ""],
    [NUMBER, "SF", "明天 08:00", "杭州西湖", "派送中", "", ""],
    [NUMBER, "SF Express", "2026-11-11 08:00:00", "杭州西湖", "派送中", "", "李四"],
]


def csv_file(rows, encoding="gbk"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


@tagged("post_install", "-at_install")
class TestTrackingImport(LogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # naive times in the file are the company's local time
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.Wizard = cls.env["logistics.tracking.import"].with_user(cls.agent)
        cls.Event = cls.env["logistics.tracking.event"].with_user(cls.agent)
        cls.Waybill = cls.env["logistics.waybill"]

    def wizard(self, data, filename, **values):
        return self.Wizard.create(
            {"file": base64.b64encode(data), "filename": filename, **values}
        )

    def run_import(self, data, filename, **values):
        wizard = self.wizard(data, filename, **values)
        wizard.action_read_file()
        self.assertEqual(wizard.state, "map")
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        return wizard

    def counts(self, wizard):
        return wizard.accepted_count, wizard.duplicate_count, wizard.rejected_count

    def report(self, wizard):
        self.assertEqual(wizard.report_filename, "rejected_rows.csv")
        data = base64.b64decode(wizard.report_file)
        self.assertTrue(data.startswith(codecs.BOM_UTF8), "Excel needs the BOM")
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))

    def test_gbk_csv_chinese_headers(self):
        """A GBK export with Chinese headers: good rows are imported, the bad
        ones come back with their line numbers and reasons."""
        data = csv_file([HEADERS, *LINES])
        wizard = self.wizard(data, "顺丰轨迹.csv")
        wizard.action_read_file()
        self.assertEqual(
            wizard.column_ids.mapped("field"),
            [
                "waybill",
                "courier",
                "time",
                "place",
                "status",
                "description",
                "operator",
            ],
        )
        self.assertEqual(wizard.column_ids[0].sample, NUMBER)
        self.assertTrue(wizard.has_waybill_column)
        self.assertIn("深圳宝安", wizard.preview)
        wizard.action_import()

        self.assertEqual(self.counts(wizard), (3, 0, 2))
        waybill = self.Waybill.search([("number", "=", NUMBER)])
        self.assertEqual(waybill.courier_id, self.courier_sf)
        self.assertEqual(len(waybill.event_ids), 3)
        self.assertEqual(set(waybill.event_ids.mapped("source")), {"import"})
        self.assertEqual(waybill.state, "out_for_delivery")
        self.assertEqual(str(waybill.last_event_time), "2026-11-11 00:00:00")  # UTC
        self.assertEqual(waybill.event_ids[0].operator, "李四")

        reasons = {
            "status_missing": self.Event._rejection_reason("status_missing", {}),
            "time": self.Event._rejection_reason("time", {}),
        }
        self.assertEqual(
            self.report(wizard),
            [
                ["Line", *HEADERS, "Reason"],
                ["3", *LINES[1], reasons["status_missing"]],
                ["5", *LINES[3], reasons["time"]],
            ],
        )

        # the same file again adds nothing
        again = self.run_import(data, "顺丰轨迹.csv")
        self.assertEqual(self.counts(again), (0, 3, 2))
        self.assertEqual(len(waybill.event_ids), 3)
        self.assertEqual([row[0] for row in self.report(again)[1:]], ["3", "5"])

    def test_xlsx(self):
        """An XLSX file: a waybill number stored as a float, a datetime cell,
        a number that lost digits, no courier column (the default courier)."""
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["Tracking Number", "Scan Time", "Status", "Location"])
        sheet.append([7.3190553102532e13, datetime(2026, 11, 10, 9, 0, 0), "1", "上海"])
        sheet.append(
            [1.2345678901234567e18, datetime(2026, 11, 10, 10, 0), "0", "上海"]
        )
        buffer = io.BytesIO()
        workbook.save(buffer)
        wizard = self.run_import(
            buffer.getvalue(),
            "zto.xlsx",
            courier_id=self.env.ref("logistics_followup.courier_zto").id,
        )

        self.assertEqual(self.counts(wizard), (1, 0, 1))
        waybill = self.Waybill.search([("number", "=", "73190553102532")])
        self.assertEqual(waybill.courier_id.code, "ZTO")
        self.assertEqual(waybill.state, "picked_up")
        self.assertEqual(str(waybill.event_ids.event_time), "2026-11-10 01:00:00")
        report = self.report(wizard)
        self.assertEqual(report[0][:2], ["Line", "Tracking Number"])
        self.assertEqual(report[1][0], "3")
        self.assertIn("Tracking Number", report[1][-1])
        self.assertIn("15 digits", report[1][-1])

    def test_no_waybill_column(self):
        data = csv_file(
            [["编号", "时间", "状态"], [NUMBER, "2026-11-10 09:00:00", "1"]]
        )
        wizard = self.wizard(data, "trace.csv")
        wizard.action_read_file()
        self.assertFalse(wizard.has_waybill_column)
        with self.assertRaisesRegex(UserError, "Waybill Number"):
            wizard.action_import()
        self.assertFalse(self.Waybill.search([("number", "=", NUMBER)]))

    def test_file_errors(self):
        with self.assertRaisesRegex(UserError, "empty"):
            self.wizard(b"\r\n", "trace.csv").action_read_file()
        with self.assertRaisesRegex(UserError, "not a CSV or XLSX file"):
            self.wizard(b"%PDF-1.7", "trace.pdf").action_read_file()

    def test_binary_junk_and_latin_csv(self):
        """Issue 11 item 10: binary junk is "not a text, CSV or XLSX file"
        (not "empty"); a Latin-1 CSV is read as such, with a warning to
        check it; a GBK one is read as before, without a warning."""
        junk = bytes(range(256)) * 16
        with self.assertRaisesRegex(UserError, "not a text, CSV or XLSX file"):
            self.wizard(junk, "trace.csv").action_read_file()
        latin = csv_file(
            [
                ["waybill", "time", "status", "place"],
                [NUMBER, "2026-11-10 09:00:00", "picked_up", "Montréal Gare Centrale"],
                [NUMBER, "2026-11-10 10:00:00", "in_transit", "Zürich Hauptbahnhof"],
            ],
            encoding="latin-1",
        )
        wizard = self.wizard(latin, "trace.csv", courier_id=self.courier_sf.id)
        wizard.action_read_file()
        self.assertIn("ISO-8859-1", wizard.encoding_warning)
        wizard.action_import()
        places = self.Waybill.search([("number", "=", NUMBER)]).event_ids.mapped(
            "place"
        )
        self.assertIn("Montréal Gare Centrale", places)
        gbk = csv_file(
            [["运单号", "时间", "状态"], [NUMBER, "2026-11-10 11:00:00", "派件中"]]
        )
        wizard = self.wizard(gbk, "trace.csv", courier_id=self.courier_sf.id)
        wizard.action_read_file()
        self.assertFalse(wizard.encoding_warning)

    def test_user_mapping_is_respected(self):
        data = csv_file(
            [
                ["单号", "时间", "状态", "地点", "备注"],
                [NUMBER, "2026-11-10 09:00:00", "已揽收", "深圳宝安", "<b>前台</b>"],
            ],
            encoding="utf-8-sig",
        )
        wizard = self.wizard(data, "trace.csv", courier_id=self.courier_sf.id)
        wizard.action_read_file()
        by_name = {column.name: column for column in wizard.column_ids}
        self.assertEqual(by_name["备注"].field, "ignore")
        self.assertEqual(by_name["地点"].field, "place")

        by_name["地点"].field = "waybill"
        with self.assertRaisesRegex(UserError, "Several columns"):
            wizard.action_import()

        by_name["地点"].field = "ignore"
        by_name["备注"].field = "description"
        # cell text is escaped in the preview, never injected
        self.assertIn("&lt;b&gt;前台&lt;/b&gt;", wizard.preview)
        self.assertNotIn("<b>前台", wizard.preview)
        self.assertNotIn("深圳宝安", wizard.preview)
        wizard.action_import()

        self.assertEqual(self.counts(wizard), (1, 0, 0))
        self.assertFalse(wizard.report_file)
        event = self.Waybill.search([("number", "=", NUMBER)]).event_ids
        self.assertEqual(event.description, "<b>前台</b>")
        self.assertFalse(event.place)

    def test_mapping_fields_match_core(self):
        """The fields a column can be imported as are the ingest row fields."""
        keys = [key for key, _label in FIELD_SELECTION]
        self.assertEqual(keys[:-1], list(events_core.ROW_FIELDS))
