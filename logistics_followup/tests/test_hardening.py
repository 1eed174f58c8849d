# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 11: every endpoint answers bad input with a 4xx and a reason, a bad
row is rejected alone, the look-up throttle holds under concurrency, stored
dates never break a page."""

import json
import threading
import time

from odoo import SUPERUSER_ID, api
from odoo.http import Request
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..core import portal as portal_core
from .common import WEBHOOK_NUMBER as NUMBER
from .common import WebhookCase, kuaidi100_param
from .common import scan_row as event


class HardeningCommon(WebhookCase):
    secret = "s3cret-for-hardening"

    def push(self, data=None, **extra):
        if data is None:
            data = [
                {
                    "context": "顺丰速运 已收取快件",
                    "ftime": "2026-11-10 09:00:00",
                    "areaName": "广东,深圳市",
                    "status": "揽收",
                }
            ]
        return kuaidi100_param(data, **extra)

    def events(self):
        return self.new_events()

    def csrf(self):
        return Request.csrf_token(self)


@tagged("post_install", "-at_install")
class TestBadInput(HardeningCommon):
    def test_webhook_unstorable_rows_rejected_alone(self):
        """Item 1: a NUL or a lone surrogate in a row's description, place,
        operator or status rejects that row with a reason; the good rows of
        the batch are stored (the sender does not retry a batch that can
        never pass)."""
        rows = [
            event(),
            event(description="a\x00b", time="2026-11-10T10:00:00+08:00"),
            event(place="\ud800", time="2026-11-10T11:00:00+08:00"),
            event(operator="\x00", time="2026-11-10T12:00:00+08:00"),
            event(status="1\x00", time="2026-11-10T13:00:00+08:00"),
            {**event(time="2026-11-10T14:00:00+08:00"), "k\x00\udfff": 1},
            event(status="5", time="2026-11-11T08:00:00+08:00"),
        ]
        response = self.post({"events": rows})
        self.assertEqual(response.status_code, 200, response.text)
        result = response.json()
        self.assertEqual(result["accepted"], 2)
        self.assertEqual([r["index"] for r in result["rejected"]], [1, 2, 3, 4, 5])
        self.assertIn("cannot be stored", result["rejected"][0]["reason"])
        self.assertEqual(len(self.events()), 2)

    def test_rpc_ingest_unstorable_rows(self):
        """Item 1: the rule is in the core validation, so every source
        benefits: ``ingest`` called directly (RPC, import, pull) too."""
        result = self.env["logistics.tracking.event"].ingest(
            [event(), event(description="x\x00", time="2026-11-10T10:00:00+08:00")]
        )
        self.assertEqual(result["accepted"], 1)
        self.assertEqual([r["index"] for r in result["rejected"]], [1])

    @mute_logger("odoo.addons.logistics_followup.controllers.main")
    def test_webhook_courier_code_with_nul(self):
        """Item 1: ``/logistics/webhook/SF%00`` is an unknown courier (404
        with a JSON reason), not a server error."""
        for code in ("SF%00", "%00", "S%C3%9F%00", "SF%ED%A0%80", "x" * 300):
            response = self.post(
                {"events": [event()]}, url=f"/logistics/webhook/{code}"
            )
            self.assertEqual(response.status_code, 404, code)
            self.assertEqual(response.json()["error"], "courier_unknown")
        self.assertFalse(self.events())

    def test_webhook_options_not_ingested(self):
        """Item 10: an OPTIONS request (Odoo's router lets it reach a
        POST-only route) is answered 405 without CORS headers and stores
        nothing, even signed with a valid body."""
        for url in ("/logistics/webhook/SF", "/logistics/webhook/kuaidi100"):
            response = self.post({"events": [event()]}, url=url, method="OPTIONS")
            self.assertEqual(response.status_code, 405, url)
            self.assertEqual(response.headers.get("Allow"), "POST")
            self.assertNotIn("Access-Control-Allow-Origin", response.headers)
        self.assertFalse(self.events())

    @mute_logger("odoo.addons.logistics_followup.controllers.main")
    def test_kuaidi100_unstorable_fields(self):
        """Item 1: a NUL in ``comNew`` / ``lastResult.com`` is answered in
        Kuaidi100's JSON protocol (nothing stored); a NUL in an item's
        ``context`` / ``areaName`` rejects that item only."""
        for extra in ({"comNew": "shunfeng\x00", "comOld": "zhongtong"},):
            response = self.kuaidi100(self.push(**extra))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json()["result"], False)
        param = self.push()
        param["lastResult"]["com"] = "shun\x00feng"
        self.assertEqual(self.kuaidi100(param).json()["result"], False)
        self.assertFalse(self.events())
        good = {
            "context": "【深圳】已发出",
            "ftime": "2026-11-10 21:00:00",
            "areaName": "广东,深圳市",
            "status": "在途",
        }
        response = self.kuaidi100(
            self.push(
                [
                    good,
                    dict(good, context="a\x00", ftime="2026-11-10 22:00:00"),
                    dict(good, areaName="\x00", ftime="2026-11-10 23:00:00"),
                ]
            )
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("returnCode", response.json())
        self.assertEqual(len(self.events()), 1)

    def test_event_times_out_of_range(self):
        """Item 9: event times before the earliest plausible date (setting,
        default 1990-01-01) are rejected per row with a reason."""
        Event = self.env["logistics.tracking.event"]
        result = Event.ingest(
            [
                event(time="0001-01-01T00:00:00+00:00"),
                event(time="1989-12-31T23:00:00+00:00"),
                event(time="1990-01-01T09:00:00+08:00"),
            ]
        )
        self.assertEqual(result["accepted"], 1)
        self.assertEqual([r["index"] for r in result["rejected"]], [0, 1])
        self.assertIn("1990-01-01", result["rejected"][0]["reason"])
        settings = self.env["res.config.settings"].create(
            {"logistics_event_time_min": "2026-01-01"}
        )
        settings.execute()
        result = Event.ingest([event(time="2025-12-31T09:00:00+08:00")])
        self.assertEqual(result["accepted"], 0)
        self.assertIn("2026-01-01", result["rejected"][0]["reason"])


@tagged("post_install", "-at_install")
class TestPortalBadInput(HardeningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = new_test_user(
            cls.env, "lf_hd_customer", groups="base.group_portal", tz="America/New_York"
        )
        cls.waybill = cls.env["logistics.waybill"].create(
            {
                "number": NUMBER,
                "courier_id": cls.courier.id,
                "direction": "outbound",
                "sender_partner_id": cls.customer.partner_id.id,
                "sender_name": "李华强",
                "sender_phone": "13800138000",
                "receiver_name": "王小明",
                "receiver_phone": "13912345678",
            }
        )
        cls.env["logistics.tracking.event"].ingest(
            [
                event(
                    status="3",
                    description="已签收,签收人:王小明 电话:139 1234 5678,"
                    "身份证110105 19491231 002X",
                )
            ]
        )

    def track(self, number, last4):
        return self.url_open(
            "/parcel/track",
            data={"number": number, "last4": last4, "csrf_token": self.csrf()},
        )

    def test_parcel_track_unstorable_number(self):
        """Item 1: a NUL (or a lone surrogate) in the looked-up number is a
        404 like any wrong number, and it counts as a failure."""
        self.authenticate(None, None)
        Lookup = self.env["logistics.tracking.lookup"]
        before = Lookup.search_count([])
        for number in ("SF\x003299150988269", NUMBER + "\x00", "\x00"):
            self.assertEqual(self.track(number, "5678").status_code, 404)
        self.assertEqual(Lookup.search_count([]), before + 3)
        # the other parameters of the public pages
        self.assertEqual(self.url_open("/parcel/track?number=SF%00").status_code, 200)
        response = self.url_open(
            f"/my/parcels/{self.waybill.id}?access_token=%00", allow_redirects=False
        )
        self.assertLess(response.status_code, 400)

    def test_lookup_counted_per_number(self):
        """Item 7: one mistyped number does not lock the client out of its
        other parcels; the per-client limit still holds over all numbers."""
        self.authenticate(None, None)
        for _attempt in range(portal_core.LOOKUP_FAILURE_LIMIT):
            self.assertEqual(self.track("SF1111111111111", "0000").status_code, 404)
        self.assertEqual(self.track("SF1111111111111", "0000").status_code, 429)
        self.assertEqual(self.track(NUMBER, "5678").status_code, 200)

    def test_my_parcels_search_unstorable(self):
        """Item 1: ``/my/parcels?search=`` with a NUL answers 400."""
        self.authenticate("lf_hd_customer", "lf_hd_customer")
        self.assertEqual(self.url_open("/my/parcels?search=SF%00").status_code, 400)
        self.assertEqual(self.url_open("/my/parcels?search=SF").status_code, 200)

    def test_owner_page_masks_other_party_in_scan_texts(self):
        """Item 8: on the sender's own page the scan texts do not leak the
        receiver's name, phone or ID number (his block is masked too)."""
        self.authenticate("lf_hd_customer", "lf_hd_customer")
        response = self.url_open(f"/my/parcels/{self.waybill.id}")
        self.assertEqual(response.status_code, 200)
        for secret in ("王小明", "139 1234 5678", "19491231", "13912345678"):
            self.assertNotIn(secret, response.text)
        self.assertIn("王*明", response.text)

    def test_stored_dates_render_in_any_timezone(self):
        """Item 9: an event stored at year 1 or 9999 (before the check
        existed) does not break the parcel page or the list for a customer
        in America/New_York or Asia/Tokyo."""
        self.env.cr.execute(
            "UPDATE logistics_tracking_event SET event_time = '0001-01-01 00:00:00' "
            "WHERE waybill_id = %s",
            [self.waybill.id],
        )
        self.env.cr.execute(
            "UPDATE logistics_waybill SET last_event_time = '0001-01-01 00:00:00' "
            "WHERE id = %s",
            [self.waybill.id],
        )
        self.env.invalidate_all()
        self.authenticate("lf_hd_customer", "lf_hd_customer")
        for tz, moment in (
            ("America/New_York", "0001-01-01 00:00:00"),
            ("Asia/Tokyo", "9999-12-31 23:00:00"),
        ):
            self.customer.tz = tz
            self.env.cr.execute(
                "UPDATE logistics_waybill SET last_event_time = %s WHERE id = %s",
                [moment, self.waybill.id],
            )
            self.env.invalidate_all()
            page = self.url_open(f"/my/parcels/{self.waybill.id}")
            self.assertEqual(page.status_code, 200, tz)
            self.assertEqual(self.url_open("/my/parcels").status_code, 200, tz)


@tagged("post_install", "-at_install")
class TestSharedLinkChatter(HardeningCommon):
    def rpc(self, route, **params):
        return self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        ).json()

    def test_token_gives_no_chatter_access(self):
        """Item 10: a parcel's shared link opens the masked page only; its
        token neither posts into nor reads the waybill's back-office
        chatter through Odoo's portal message routes."""
        waybill = self.env["logistics.waybill"].create(
            {"number": NUMBER, "courier_id": self.courier.id}
        )
        waybill.message_post(body="internal: call the station", message_type="comment")
        token = waybill._portal_ensure_token()
        self.authenticate(None, None)
        self.assertEqual(
            self.url_open(f"/my/parcels/{waybill.id}?access_token={token}").status_code,
            200,
        )
        before = waybill.message_ids
        for credentials in ({"token": token}, {}):
            answer = self.rpc(
                "/mail/message/post",
                thread_model="logistics.waybill",
                thread_id=waybill.id,
                post_data={
                    "body": "spam from a link holder",
                    "message_type": "comment",
                },
                **credentials,
            )
            self.assertIn("error", answer)
        waybill.invalidate_recordset()
        self.assertEqual(waybill.message_ids, before)
        answer = self.rpc(
            "/mail/thread/messages",
            thread_model="logistics.waybill",
            thread_id=waybill.id,
            token=token,
        )
        self.assertNotIn("call the station", json.dumps(answer, ensure_ascii=False))


@tagged("post_install", "-at_install")
class TestLookupThrottleConcurrency(TransactionCase):
    def test_limit_holds_with_concurrent_requests(self):
        """Item 7: 15 failed look-ups of one client released at once, each
        in its own transaction (real cursors, as concurrent HTTP workers):
        exactly the limit is processed, the others are refused. Without the
        advisory lock most of them pass the check before any is recorded."""
        address = f"198.51.100.{int(time.time()) % 250}"
        attempts = portal_core.LOOKUP_FAILURE_LIMIT + 5
        barrier = threading.Barrier(attempts)
        results = []
        errors = []

        def attempt(cr):
            # the environment is made by the main thread: making one looks the
            # registry up, under a lock the test runner holds
            env = api.Environment(cr, SUPERUSER_ID, {})

            def find():
                time.sleep(0.05)  # the look-up's own queries
                return env["logistics.waybill"].browse()

            def run():
                try:
                    with cr:
                        barrier.wait(timeout=30)
                        _found, wait = env["logistics.tracking.lookup"]._throttled(
                            address, NUMBER, find
                        )
                        results.append(wait is None)
                except Exception as error:  # reported by the assertion below
                    errors.append(error)

            return run

        Lookup = self.env["logistics.tracking.lookup"]
        client_key = Lookup._client_key(address)
        threads = [
            threading.Thread(target=attempt(self.registry.cursor()))
            for _i in range(attempts)
        ]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            self.assertFalse(errors)
            self.assertEqual(results.count(True), portal_core.LOOKUP_FAILURE_LIMIT)
            self.assertEqual(results.count(False), 5)
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM logistics_tracking_lookup "
                    "WHERE client_key = %s",
                    [client_key],
                )
                self.assertEqual(cr.fetchone()[0], portal_core.LOOKUP_FAILURE_LIMIT)
        finally:
            with self.registry.cursor() as cr:
                cr.execute(
                    "DELETE FROM logistics_tracking_lookup WHERE client_key = %s",
                    [client_key],
                )
