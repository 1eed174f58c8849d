# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import codecs
import csv
import io

import openpyxl

from odoo.tests import tagged

from .common import LogisticsCommon

HEADERS = ["运单号", "快递公司", "时间", "地点", "状态"]
# lines 2 to 7: the couriers by their short and full Chinese (simplified and
# traditional) and English names; line 6 has no status, line 7 an unknown
# courier
LINES = [
    ["SF3299150988269", "顺丰", "2026-11-10 09:00:00", "深圳宝安", "已揽收"],
    ["SF3299150988269", "順豐速運", "2026-11-10 21:00:00", "深圳转运中心", "运输中"],
    ["73190553102532", "中通", "2026-11-10 10:00:00", "上海青浦", "已揽收"],
    ["YT7512345678901", "圓通", "2026-11-10 11:00:00", "杭州萧山", "已揽收"],
    ["SF3299150988270", "SF Express", "2026-11-10 12:00:00", "深圳南山", ""],
    ["SF3299150988271", "某某快递", "2026-11-10 13:00:00", "深圳福田", "已揽收"],
]


def csv_file(rows, encoding):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_file(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestTrackingImportPreview(LogisticsCommon):
    """Issue 15 item 5: the preview shows what the import will do (the
    decoding used, the rows as read, the rejected ones and why) and reads the
    file exactly as the import does; courier names are recognised whatever
    the database's languages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        # a database without Chinese: the couriers' Chinese names are only
        # translations there, the aliases are data
        langs = (
            cls.env["res.lang"]
            .with_context(active_test=False)
            .search([("code", "in", ("zh_CN", "zh_TW", "zh_HK"))])
        )
        cls.env["res.users"].with_context(active_test=False).search(
            [("lang", "in", langs.mapped("code"))]
        ).write({"lang": "en_US"})
        langs.write({"active": False})
        cls.Wizard = cls.env["logistics.tracking.import"].with_user(cls.agent)
        cls.Event = cls.env["logistics.tracking.event"]

    def wizard(self, data, filename):
        wizard = self.Wizard.create(
            {"file": base64.b64encode(data), "filename": filename}
        )
        wizard.action_read_file()
        return wizard

    def test_no_chinese_installed(self):
        self.assertEqual(
            [code for code, _name in self.env["res.lang"].get_installed()],
            ["en_US"],
        )

    def check_file(self, data, filename, label):
        wizard = self.wizard(data, filename)
        self.assertEqual(wizard.encoding_label, label)
        self.assertFalse(wizard.encoding_warning)

        # the web client reads the wizard with bin_size: the binary field
        # then holds its size ("1.2 Kb"), which the preview used to decode
        client = wizard.with_context(bin_size=True)
        self.assertNotEqual(client.file, wizard.file)
        preview = client.web_read({"preview": {}, "encoding_label": {}})[0]
        self.assertIn("深圳宝安", preview["preview"])
        self.assertIn("順豐速運", preview["preview"])
        self.assertNotIn("text-danger", preview["preview"])
        self.assertEqual(preview["encoding_label"], label)

        events_before = self.Event.search_count([])
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(self.Event.search_count([]), events_before, "nothing kept")
        self.assertFalse(
            self.env["logistics.waybill"].search([("number", "=", "SF3299150988269")]),
            "the preview's waybills are rolled back",
        )
        self.assertEqual(
            (
                wizard.preview_accepted_count,
                wizard.preview_duplicate_count,
                wizard.preview_rejected_count,
            ),
            (4, 0, 2),
        )
        rejected = wizard.preview_rejected
        self.assertIn("SF3299150988270", rejected)
        self.assertIn(self.Event._rejection_reason("status_missing", {}), rejected)
        self.assertIn("Unknown courier 某某快递", rejected)
        self.assertNotIn("SF3299150988269", rejected)
        # the preview state still shows the first rows
        self.assertIn("深圳宝安", wizard.with_context(bin_size=True).preview)

        wizard.action_import()
        self.assertEqual(
            (wizard.accepted_count, wizard.duplicate_count, wizard.rejected_count),
            (4, 0, 2),
            "the import does what the preview said",
        )
        couriers = {
            number: self.env["logistics.waybill"]
            .search([("number", "=", number)])
            .courier_id.code
            for number in ("SF3299150988269", "73190553102532", "YT7512345678901")
        }
        self.assertEqual(
            couriers,
            {
                "SF3299150988269": "SF",
                "73190553102532": "ZTO",
                "YT7512345678901": "YTO",
            },
        )

    def test_utf8(self):
        self.check_file(csv_file([HEADERS, *LINES], "utf-8"), "scans.csv", "UTF-8")

    def test_utf8_bom(self):
        data = codecs.BOM_UTF8 + csv_file([HEADERS, *LINES], "utf-8")
        self.check_file(data, "scans.csv", "UTF-8 with BOM")

    def test_gb18030(self):
        """Chinese Excel's CSV: GB18030 (a superset of GBK), with a character
        GBK lacks; it was falsely "neither UTF-8 nor GBK" in the preview."""
        lines = [list(line) for line in LINES]
        lines[0][3] = "深圳宝安𠀾"
        data = csv_file([HEADERS, *lines], "gb18030")
        self.check_file(data, "scans.csv", "GB18030 (GBK, Simplified Chinese)")
        event = (
            self.env["logistics.waybill"]
            .search([("number", "=", "SF3299150988269")])
            .event_ids.filtered(lambda e: e.place.startswith("深圳宝安"))
        )
        self.assertEqual(event.place, "深圳宝安𠀾")

    def test_gbk(self):
        self.check_file(
            csv_file([HEADERS, *LINES], "gbk"),
            "scans.csv",
            "GB18030 (GBK, Simplified Chinese)",
        )

    def test_xlsx(self):
        self.check_file(xlsx_file([HEADERS, *LINES]), "scans.xlsx", "XLSX workbook")

    def test_preview_of_a_bad_file_is_a_message(self):
        wizard = self.wizard(csv_file([HEADERS, *LINES], "utf-8"), "scans.csv")
        wizard.file = base64.b64encode(b"\x00\x01\x02" * 100)
        html = wizard.with_context(bin_size=True).preview
        self.assertIn("text-danger", html)
        self.assertIn("binary", html)

    def test_courier_aliases_are_data(self):
        """Every courier of the data has aliases in simplified and
        traditional Chinese and in English."""
        couriers = self.env["logistics.courier"].search([])
        expected = {
            "SF": ("顺丰", "顺丰速运", "順豐", "SF Express"),
            "ZTO": ("中通", "中通快递", "ZTO Express"),
            "YTO": ("圆通", "圓通", "YTO Express"),
            "STO": ("申通",),
            "YUNDA": ("韵达", "韻達"),
            "JD": ("京东", "京東"),
            "EMS": ("邮政EMS", "郵政EMS"),
            "JT": ("极兔", "極兔", "J&T Express"),
            "DEPPON": ("德邦",),
            "CPI": ("中国邮政", "中國郵政"),
        }
        by_code = {courier.code: courier for courier in couriers}
        for code, names in expected.items():
            for name in names:
                self.assertIn(name, by_code[code].alias_names, code)
        index = self.Wizard._courier_index()
        for code, names in expected.items():
            for name in names:
                self.assertEqual(
                    self.Wizard._ingest_row({"courier": name}, index), {"courier": code}
                )
