# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from unittest.mock import patch

import requests

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..core import pull as pull_core
from .common import LogisticsCommon

NUMBER = "SF3299150988269"
# A recorded real-time query answer (REFERENCE.md 5.1 shape); no network.
ANSWER = {
    "message": "ok",
    "nu": NUMBER,
    "com": "shunfeng",
    "status": "200",
    "state": "0",
    "data": [
        {
            "time": "2026-11-10 21:00:00",
            "ftime": "2026-11-10 21:00:00",
            "context": "【深圳转运中心】已发出",
            "status": "在途",
            "areaName": "广东,深圳市",
        },
        {
            "time": "2026-11-10 09:00:00",
            "ftime": "2026-11-10 09:00:00",
            "context": "顺丰速运 已收取快件",
            "status": "揽收",
            "areaName": "广东,深圳市",
        },
    ],
}


class FakeResponse:
    def __init__(self, payload):
        self.content = json.dumps(payload, ensure_ascii=False).encode()


@tagged("post_install", "-at_install")
class TestPull(LogisticsCommon):
    """The pull source of R-WB-3: a cron asks the courier's adapter, the
    answers go through ingest()."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the cron commits each batch; a test must not
        cls.startClassPatcher(
            patch.object(
                cls.registry["ir.cron"],
                "_commit_progress",
                lambda self, processed=0, **kwargs: float("inf"),
            )
        )
        # demo waybills (on a database with demo data) are not pulled here
        cls.env["logistics.waybill"].search([]).action_archive()
        params = cls.env["ir.config_parameter"]
        params.set_param("logistics_followup.kuaidi100_customer", "CUST")
        params.set_param("logistics_followup.kuaidi100_key", "KEY")
        cls.courier_sf.pull_adapter = "kuaidi100"
        cls.waybill = cls.env["logistics.waybill"].create(
            {
                "number": NUMBER,
                "courier_id": cls.courier_sf.id,
                "receiver_phone": "138 0013 8000",
            }
        )

    def test_cron_pulls_and_ingests(self):
        calls = []

        def post(url, data=None, timeout=None):
            calls.append((url, data, timeout))
            return FakeResponse(ANSWER)

        with patch.object(requests, "post", post):
            self.env["logistics.courier"]._cron_pull_tracking()
        self.assertEqual(len(calls), 1)
        url, form, timeout = calls[0]
        self.assertEqual(url, pull_core.KUAIDI100_QUERY_URL)
        self.assertEqual(timeout, pull_core.PULL_TIMEOUT)
        param = json.loads(form["param"])
        self.assertEqual((param["com"], param["num"]), ("shunfeng", NUMBER))
        self.assertEqual(param["phone"], "8000")  # only the last four digits
        self.assertEqual(len(self.waybill.event_ids), 2)
        self.assertEqual(self.waybill.event_ids.mapped("source"), ["pull", "pull"])
        self.assertEqual(self.waybill.state, "in_transit")
        self.assertTrue(self.waybill.last_pull_time)
        # within 30 minutes the same number is not queried again (锁单)
        with patch.object(requests, "post", post):
            self.env["logistics.courier"]._cron_pull_tracking()
        self.assertEqual(len(calls), 1)

    def test_pull_writes_its_couriers_rows_only(self):
        """Issue 11 item 3: rows an adapter returns for another courier are
        rejected, the courier's own rows stored."""
        zto_number = "73190553102532"  # a ZTO format only
        row = {
            "waybill": NUMBER,
            "courier": "SF",
            "time": "2026-11-10T09:00:00+08:00",
            "status": "1",
        }
        rows = [row, dict(row, waybill=zto_number, courier="ZTO")]
        Courier = self.registry["logistics.courier"]
        with patch.object(Courier, "_pull_kuaidi100", lambda self, waybills: rows):
            self.env["logistics.courier"]._cron_pull_tracking()
        self.assertEqual(len(self.waybill.event_ids), 1)
        self.assertFalse(
            self.env["logistics.waybill"].search([("number", "=", zto_number)])
        )

    @mute_logger("odoo.addons.logistics_followup.models.logistics_courier")
    def test_refused_and_failed_queries_lose_nothing(self):
        answers = iter(
            [
                FakeResponse(
                    {"result": False, "returnCode": "500", "message": "查无结果"}
                ),
            ]
        )
        with patch.object(requests, "post", lambda *a, **k: next(answers)):
            self.env["logistics.courier"]._cron_pull_tracking()
        self.assertFalse(self.waybill.event_ids)
        self.assertTrue(self.waybill.last_pull_time)  # waits for the next turn

        def boom(*args, **kwargs):
            raise requests.ConnectionError("unreachable")

        self.waybill.env.cr.execute(
            "UPDATE logistics_waybill SET last_pull_time = NULL WHERE id = %s",
            [self.waybill.id],
        )
        self.waybill.invalidate_recordset(["last_pull_time"])
        with patch.object(requests, "post", boom):
            self.env["logistics.courier"]._cron_pull_tracking()
        self.assertFalse(self.waybill.event_ids)

    def test_delivered_and_other_couriers_not_pulled(self):
        self.env["logistics.tracking.event"].ingest(
            [
                {
                    "waybill": NUMBER,
                    "courier": "SF",
                    "time": "2026-11-11T10:30:00+08:00",
                    "status": "301",
                }
            ]
        )
        self.env["logistics.waybill"].create(
            {
                "number": "JT1234567890123",
                "courier_id": self.ref("logistics_followup.courier_jt"),
            }
        )
        with patch.object(requests, "post") as post:
            self.env["logistics.courier"]._cron_pull_tracking()
        post.assert_not_called()
