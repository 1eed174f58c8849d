# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..core import webhook as webhook_core
from .common import WEBHOOK_NUMBER as NUMBER
from .common import WebhookCase, kuaidi100_param
from .common import scan_row as event

SECRET = "s3cret-for-tests"


@tagged("post_install", "-at_install")
class TestWebhook(WebhookCase):
    secret = SECRET

    def events_count(self):
        return len(self.new_events())

    def test_signed_push_is_ingested(self):
        response = self.post(
            {"events": [event(), event(status="5", time="2026-11-11T08:00:00+08:00")]}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            response.json(), {"accepted": 2, "duplicates": 0, "rejected": []}
        )
        waybill = self.env["logistics.waybill"].search([("number", "=", NUMBER)])
        self.assertEqual(waybill.state, "out_for_delivery")
        # replay: nothing new
        response = self.post({"events": [event()]})
        self.assertEqual(response.json()["duplicates"], 1)

    @mute_logger("odoo.addons.logistics_followup.controllers.main")
    def test_authentication(self):
        """401 on a missing or wrong signature or a stale timestamp (the
        exact 300 s boundary is tested in tests/core/test_webhook.py; here a
        margin keeps the seconds that pass between the requests out of it)."""
        body = {"events": [event()]}
        now = int(time.time())
        cases = {
            "no signature": self.post(body, signature=""),
            "wrong signature": self.post(body, signature="0" * 64),
            "wrong secret": self.post(body, secret="other"),
            "no timestamp": self.post(body, timestamp=""),
            "stale": self.post(body, timestamp=str(now - 310)),
            "future": self.post(body, timestamp=str(now + 310)),
        }
        for name, response in cases.items():
            self.assertEqual(response.status_code, 401, name)
            self.assertIn("error", response.json(), name)
        self.assertEqual(self.events_count(), 0)
        # a body changed after signing
        stamp = str(now)
        raw = json.dumps(body).encode()
        signature = webhook_core.sign(SECRET, stamp, raw)
        tampered = raw.replace(b"09:00", b"10:00")
        self.assertEqual(self.post(tampered, stamp, signature).status_code, 401)

    @mute_logger("odoo.addons.logistics_followup.controllers.main")
    def test_malformed_payloads(self):
        """At least 50 malformed payloads, each 4xx with a reason, nothing
        written."""
        bodies = [
            b"",
            b"{",
            b"[]",
            b"null",
            b"42",
            b'"events"',
            b"\xff\xfe",
            b'{"events": {}}',
            b'{"events": null}',
            b'{"events": "x"}',
            b'{"events": 1}',
            b'{"events": []}',
            b'{"event": []}',
            b'{"events": [], "more": 1}',
            b'{"events": [1], "x": null}',
            b"{'events': []}",
            b'{"events": [}',
            b'{"events": [{"waybill": "SF1"},]}',
            b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
            b"true",
            b"NaN",
            b'{"events": NaN}',
            b'{"events": Infinity}',
            b"\x00",
            b"<xml/>",
            b"events=[]",
        ]
        bodies += [b'{"events": ' + b"[" * n for n in range(1, 13)]
        bodies += [b'{"events": [' + b'{"a":' * n for n in range(1, 13)]
        self.assertGreaterEqual(len(bodies), 50)
        for body in bodies:
            response = self.post(body)
            self.assertTrue(400 <= response.status_code < 500, body)
            self.assertTrue(response.json()["message"], body)
        self.assertEqual(self.events_count(), 0)

    @mute_logger("odoo.addons.logistics_followup.controllers.main")
    def test_too_large_and_unknown_courier(self):
        big = b'{"events": [' + b" " * (webhook_core.MAX_BODY + 1) + b"]}"
        self.assertEqual(self.post(big).status_code, 413)
        response = self.post({"events": [event()]}, url="/logistics/webhook/NOPE")
        self.assertEqual(response.status_code, 404)

    def test_rejected_rows_reported(self):
        response = self.post({"events": [event(), event(time="nonsense"), "x"]})
        self.assertEqual(response.status_code, 200)
        result = response.json()
        self.assertEqual(result["accepted"], 1)
        self.assertEqual([r["index"] for r in result["rejected"]], [1, 2])

    def test_other_couriers_rows_rejected(self):
        """Issue 11 item 3: SF's signature writes SF's rows only; a row of
        another courier (given, or guessed from a blank) is rejected alone."""
        zto_number = "73190553102532"  # a ZTO format only
        response = self.post(
            {
                "events": [
                    event(),
                    event(waybill=zto_number, courier="ZTO"),
                    event(waybill=zto_number, courier=" "),
                ]
            }
        )
        self.assertEqual(response.status_code, 200, response.text)
        result = response.json()
        self.assertEqual(result["accepted"], 1)
        self.assertEqual([r["index"] for r in result["rejected"]], [1, 2])
        self.assertFalse(
            self.env["logistics.waybill"].search([("number", "=", zto_number)])
        )

    def push(self, status="polling", message="", **extra):
        scans = [
            {
                "context": "【深圳转运中心】已发出",
                "time": "2026-11-10 21:00:00",
                "ftime": "2026-11-10 21:00:00",
                "areaName": "广东,深圳市",
                "status": "在途",
            },
            {
                "context": "顺丰速运 已收取快件",
                "time": "2026-11-10 09:00:00",
                "ftime": "2026-11-10 09:00:00",
                "areaName": "广东,深圳市",
                "status": "揽收",
            },
        ]
        return kuaidi100_param(scans, status, message, **extra)

    def test_kuaidi100_push(self):
        response = self.kuaidi100(self.push())
        self.assertEqual(response.json(), webhook_core.KUAIDI100_ACK)
        waybill = self.env["logistics.waybill"].search([("number", "=", NUMBER)])
        self.assertEqual(len(waybill.event_ids), 2)
        self.assertEqual(waybill.state, "in_transit")

    @mute_logger("odoo.addons.logistics_followup.controllers.main")
    def test_kuaidi100_bad_sign(self):
        response = self.kuaidi100(self.push(), salt="wrong")
        self.assertFalse(response.json()["result"])
        self.assertEqual(self.events_count(), 0)

    def test_kuaidi100_abort_flags_waybill(self):
        """An abort with 3天查询无记录 flags the waybill for problem detection."""
        self.kuaidi100(self.push())
        self.kuaidi100(self.push(status="abort", message="3天查询无记录"))
        waybill = self.env["logistics.waybill"].search([("number", "=", NUMBER)])
        self.assertEqual(waybill.tracking_stop_reason, "no_record")

    def test_kuaidi100_courier_correction(self):
        """comOld / comNew: the waybill moves to the corrected courier."""
        number = "786187979245"  # 12 digits: a legacy ZTO and a legacy SF number
        zto = self.env.ref("logistics_followup.courier_zto")
        waybill = self.env["logistics.waybill"].create(
            {"number": number, "courier_id": zto.id}
        )
        param = self.push(
            status="abort", autoCheck=1, comOld="zhongtong", comNew="shunfeng"
        )
        param["lastResult"]["nu"] = number
        param["lastResult"]["com"] = "zhongtong"
        self.assertEqual(self.kuaidi100(param).json(), webhook_core.KUAIDI100_ACK)
        self.assertEqual(waybill.courier_id, self.courier)
        self.assertEqual(len(waybill.event_ids), 2)
        # a correction the number cannot satisfy leaves the waybill alone
        jt_number = "JT1234567890123"
        jt = self.env.ref("logistics_followup.courier_jt")
        jt_waybill = self.env["logistics.waybill"].create(
            {"number": jt_number, "courier_id": jt.id}
        )
        param["comOld"], param["comNew"] = "jtexpress", "yuantong"
        param["lastResult"]["nu"] = jt_number
        # its rows do not fit YTO's formats either: nothing stored, so not
        # acknowledged (Kuaidi100 resends) and kept for a replay
        self.assertEqual(self.kuaidi100(param).json()["result"], False)
        self.assertEqual(jt_waybill.courier_id, jt)
        self.assertTrue(
            self.env["logistics.tracking.dead.letter"].search(
                [("body", "ilike", jt_number)]
            )
        )

    # -- issue 11 item 4: nothing acknowledged and lost -------------------
    # A body with a rejected row is kept for an administrator to replay;
    # Kuaidi100 is acknowledged only once something is stored; pushes are
    # capped like the webhook.

    def letters(self):
        return self.env["logistics.tracking.dead.letter"].search(
            [("body", "ilike", NUMBER)]
        )

    def unknown_status_push(self):
        param = self.push()
        for item in param["lastResult"]["data"]:
            item["status"] = "神秘状态"
            item["context"] = "神秘状态"
        return param

    def test_webhook_rejected_row_kept(self):
        response = self.post({"events": [event(), event(time="nonsense")]})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["accepted"], 1)
        letter = self.letters()
        self.assertEqual(len(letter), 1)
        self.assertEqual(
            (letter.source, letter.courier_id, letter.state),
            ("webhook", self.courier, "new"),
        )
        self.assertEqual((letter.row_count, letter.rejected_count), (2, 1))
        self.assertIn("nonsense", letter.body)
        self.assertTrue(letter.reasons.startswith("Row 2: "), letter.reasons)
        # a fully stored body leaves nothing behind
        self.post({"events": [event(status="5", time="2026-11-11T08:00:00+08:00")]})
        self.assertEqual(self.letters(), letter)

    def test_kuaidi100_nothing_stored_is_not_acknowledged(self):
        param = self.unknown_status_push()
        answer = self.kuaidi100(param).json()
        self.assertEqual(
            answer, {"result": False, "returnCode": "500", "message": "rows_rejected"}
        )
        self.assertEqual(self.events_count(), 0)
        letter = self.letters()
        self.assertEqual((letter.source, letter.rejected_count), ("kuaidi100", 2))
        self.assertIn("神秘状态", letter.reasons)
        # Kuaidi100 resends: counted on the same record
        self.kuaidi100(param)
        self.assertEqual((len(self.letters()), letter.receive_count), (1, 2))
        # the administrator maps the status, then replays
        self.env["logistics.status.mapping"].create(
            {"source": "word", "code": "神秘状态", "state": "in_transit"}
        )
        supervisor = new_test_user(
            self.env,
            "lf_dl_supervisor",
            groups="logistics_followup.group_logistics_supervisor",
        )
        letter.with_user(supervisor).action_replay()
        self.assertEqual(letter.state, "replayed")
        self.assertIn("2", letter.replay_result)
        self.assertEqual(self.events_count(), 2)
        waybill = self.env["logistics.waybill"].search([("number", "=", NUMBER)])
        self.assertEqual(waybill.state, "in_transit")
        # replaying again adds nothing (and a replayed record is left alone)
        letter.action_replay()
        self.assertEqual(self.events_count(), 2)

    def test_kuaidi100_partly_stored_is_acknowledged_and_kept(self):
        param = self.push()
        param["lastResult"]["data"][0]["ftime"] = "not a time"
        param["lastResult"]["data"][0]["time"] = "not a time"
        self.assertEqual(self.kuaidi100(param).json(), webhook_core.KUAIDI100_ACK)
        self.assertEqual(self.events_count(), 1)
        self.assertEqual(self.letters().rejected_count, 1)
        # replay with the row still wrong: outcome recorded, still to check
        letter = self.letters()
        letter.action_replay()
        self.assertEqual(letter.state, "new")
        self.assertTrue(letter.replay_time)
        self.assertEqual(self.events_count(), 1)
        letter.action_discard()
        self.assertEqual(letter.state, "discarded")

    def test_kuaidi100_push_over_the_cap_refused_whole(self):
        param = self.push()
        item = param["lastResult"]["data"][0]
        param["lastResult"]["data"] = [item] * (webhook_core.MAX_EVENTS + 1)
        answer = self.kuaidi100(param).json()
        self.assertEqual(answer["result"], False)
        self.assertEqual(answer["message"], "too_many_events")
        self.assertEqual(self.events_count(), 0)
        self.assertFalse(
            self.env["logistics.waybill"].search([("number", "=", NUMBER)])
        )

    def test_access_supervisors_of_the_company_only(self):
        self.post({"events": [event(), event(time="nonsense")]})
        letter = self.letters()
        DeadLetter = self.env["logistics.tracking.dead.letter"]
        agent = new_test_user(
            self.env, "lf_dl_agent", groups="logistics_followup.group_logistics_agent"
        )
        with self.assertRaises(AccessError):
            DeadLetter.with_user(agent).search([])
        other = self.env["res.company"].create({"name": "LF Other Company"})
        outsider = new_test_user(
            self.env,
            "lf_dl_outsider",
            groups="logistics_followup.group_logistics_supervisor",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertFalse(DeadLetter.with_user(outsider).search([]))
        with self.assertRaises(AccessError):
            letter.with_user(outsider).action_replay()
        with self.assertRaises(AccessError):
            letter.with_user(outsider).read(["body"])
