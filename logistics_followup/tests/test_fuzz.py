# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 11 "must show": generated hostile input against the courier webhook,
the Kuaidi100 webhook and the public look-up, over HTTP.

A seeded generator (the same inputs on every run, reproducible from the
seed) builds at least 1,000 hostile inputs (bad rows among good ones, bad
bodies, bad URL codes, bad Kuaidi100 pushes and items, bad look-ups) and
checks, request by request: no 5xx; a refused request stored nothing; a
partially bad batch stored exactly its good rows; every failed look-up is
counted by the throttle.
"""

import json
import logging
import random
import time
from urllib.parse import quote_from_bytes

from odoo.http import Request
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..core import webhook as webhook_core
from .common import WEBHOOK_NUMBER, WebhookCase, kuaidi100_param

_logger = logging.getLogger(__name__)

SEED = 20261201
SECRET = "s3cret-for-fuzz"
SALT = "fuzz-salt"
NUMBER = WEBHOOK_NUMBER
#: hostile inputs to send at least, and the time after which no new request
#: starts (a 2-core machine shared with other work needs about 30 s)
MIN_INPUTS = 1000
DEADLINE = 150

UNSTORABLE = ("\x00", "a\x00b", "\ud800", "x\udfffy", "\x00" * 3)


def _unstorable(rng):
    text = rng.choice(("", "快件", "Montréal", "顺丰 13912345678"))
    at = rng.randint(0, len(text))
    return text[:at] + rng.choice(UNSTORABLE) + text[at:]


def _row_breakers(rng):
    """``(name, function(row) -> row)``: each makes the row rejected by the
    core validation, whatever the rest of it."""
    return [
        ("text", lambda row: dict(row, **{rng.choice(TEXT_FIELDS): _unstorable(rng)})),
        (
            "time",
            lambda row: dict(
                row,
                time=rng.choice(
                    (
                        "0001-01-01T00:00:00Z",
                        "1989-12-31 23:00:00",
                        "1970-01-01T00:00:00+00:00",
                        "9999-12-31T23:59:59Z",
                        "2026-02-30 10:00:00",
                        "",
                        "yesterday",
                        "2026-11-11\x00 08:00:00",
                        12345,
                        None,
                        [],
                        {"t": 1},
                    )
                ),
            ),
        ),
        (
            "waybill",
            lambda row: dict(
                row,
                waybill=rng.choice(
                    ("", "\x00", "SF\x003299150988269", "é" * 10, 42, None, "A" * 40)
                ),
            ),
        ),
        (
            "status",
            lambda row: dict(
                row, status=rng.choice((None, "", " ", 5, "1\x00", "\ud800", "x" * 70))
            ),
        ),
        (
            "courier",
            lambda row: dict(
                row, courier=rng.choice(("\x00", "A" * 17, "bad-code", 5, "S\x00F"))
            ),
        ),
        (
            "key",
            lambda row: dict(row, **{rng.choice(("\x00", "evil", "k\ud800")): "x"}),
        ),
        ("too_long", lambda row: dict(row, description="长" * 1025)),
        ("not_a_row", lambda row: rng.choice(("x", 5, None, [], ["a"], True))),
    ]


TEXT_FIELDS = ("place", "description", "operator", "operator_phone")


@tagged("post_install", "-at_install")
class TestFuzzEndpoints(WebhookCase):
    secret = SECRET
    salt = SALT

    def setUp(self):
        super().setUp()
        self.rng = random.Random(SEED)
        self.good = 0  # a counter making every good row a new event
        self.inputs = 0
        self.started = time.monotonic()

    def time_left(self):
        return time.monotonic() - self.started < DEADLINE

    def stored(self):
        self.env.cr.execute(
            "SELECT count(*) FROM logistics_tracking_event WHERE id > %s",
            [self.first_event_id],
        )
        return self.env.cr.fetchone()[0]

    def good_row(self):
        self.good += 1
        return {
            "waybill": NUMBER,
            "time": f"2026-11-{1 + self.good // 1440:02d}T"
            f"{self.good // 60 % 24:02d}:{self.good % 60:02d}:00+08:00",
            "status": self.rng.choice(("1", "5", "在途", "【深圳】已发出")),
            "place": "深圳宝安",
            "description": f"fuzz good row {self.good}",
        }

    def post_signed(self, body, url="/logistics/webhook/SF", secret=SECRET, skew=0):
        return self.post(
            body, timestamp=str(int(time.time()) + skew), secret=secret, url=url
        )

    def assert_answer(self, response, what):
        self.assertLess(response.status_code, 500, what)
        return response

    # ------------------------------------------------------------ webhook

    def bad_bodies(self):
        rng = self.rng
        valid = json.dumps({"events": [self.good_row()]}).encode()
        self.good -= 1  # never stored
        return [
            (b"", {}),
            (bytes(rng.getrandbits(8) for _i in range(200)), {}),
            (b"\xff\xfe\x00\x00", {}),
            (b"{", {}),
            (b'{"events": []}', {}),
            (b'{"events": "x"}', {}),
            (b"[1, 2]", {}),
            (b'{"events": [1], "x": 1}', {}),
            (b'{"events": [NaN]}', {}),
            (b'{"events": [{"a": 1, "a": 2}]}', {}),
            (b'{"events": ' + b"[" * 3000 + b"]" * 3000 + b"}", {}),
            (b'{"events": [' + b"{}," * 10_000 + b"{}]}", {}),
            (valid, {"secret": "wrong"}),
            (valid, {"skew": -3600}),
            (valid[:-3], {}),
        ]

    def fuzz_webhook(self, requests):
        breakers = _row_breakers(self.rng)
        bodies = self.bad_bodies()
        for _i in range(requests):
            if not self.time_left():
                return
            before = self.stored()
            if self.rng.random() < 0.12:
                body, options = self.rng.choice(bodies)
                response = self.assert_answer(
                    self.post_signed(body, **options), body[:60]
                )
                self.assertGreaterEqual(response.status_code, 400, body[:60])
                self.assertEqual(self.stored(), before, body[:60])
                self.inputs += 1
                continue
            rows, bad = [], []
            for index in range(self.rng.randint(1, 6)):
                row = self.good_row()
                if self.rng.random() < 0.6:
                    self.good -= 1
                    _name, breaker = self.rng.choice(breakers)
                    row = breaker(row)
                    bad.append(index)
                rows.append(row)
            body = json.dumps({"events": rows}).encode()
            response = self.assert_answer(self.post_signed(body), rows)
            self.assertEqual(response.status_code, 200, rows)
            result = response.json()
            self.assertEqual([r["index"] for r in result["rejected"]], bad, rows)
            self.assertEqual(result["accepted"], len(rows) - len(bad), rows)
            self.assertEqual(self.stored(), before + len(rows) - len(bad), rows)
            self.inputs += len(bad)

    def fuzz_courier_codes(self, requests):
        codes = (
            "SF%00",
            "%00",
            "%ED%A0%80",
            "%FF%FE",
            "S%C3%9F",
            "..%2F..%2Fetc",
            "x" * 300,
            "%E9%A1%BA%E4%B8%B0",
            "SF%20%00",
            "'%3B--",
        )
        body = json.dumps({"events": [self.good_row()]}).encode()
        self.good -= 1
        for _i in range(requests):
            if not self.time_left():
                return
            before = self.stored()
            code = self.rng.choice(codes)
            response = self.assert_answer(
                self.post_signed(body, url=f"/logistics/webhook/{code}"), code
            )
            self.assertGreaterEqual(response.status_code, 400, code)
            self.assertEqual(self.stored(), before, code)
            self.inputs += 1

    # ---------------------------------------------------------- Kuaidi100

    def kuaidi100_item(self):
        row = self.good_row()
        return {
            "context": row["description"],
            "ftime": row["time"][:19].replace("T", " "),
            "areaName": "广东,深圳市",
            "status": "在途",
        }

    def fuzz_kuaidi100(self, requests):
        rng = self.rng
        item_breakers = [
            # a NUL rejects the item alone (a lone surrogate, the whole push:
            # Kuaidi100's param is refused as invalid JSON, below)
            lambda item: dict(
                item, context=rng.choice(("\x00", "a\x00b", "快件\x00" * 3))
            ),
            lambda item: dict(item, areaName="\x00" + item["areaName"]),
            lambda item: dict(
                item, ftime=rng.choice(("0001-01-01 00:00:00", "", "x", "1989-01-01"))
            ),
        ]
        push_breakers = [
            lambda param: dict(param, comNew="shunfeng\x00", comOld="zhongtong"),
            lambda param: dict(
                param, lastResult=dict(param["lastResult"], com="s\x00")
            ),
            lambda param: dict(
                param, lastResult=dict(param["lastResult"], nu="SF\x00")
            ),
            lambda param: dict(param, status=rng.choice(("\x00", "x", None, 5))),
            lambda param: {k: v for k, v in param.items() if k != "lastResult"},
            lambda param: dict(
                param,
                lastResult=dict(
                    param["lastResult"], data=["x", *param["lastResult"]["data"]]
                ),
            ),
            lambda param: dict(
                param,
                lastResult=dict(
                    param["lastResult"],
                    data=[{"context": "\ud800", "ftime": "2026-11-10 09:00:00"}],
                ),
            ),
        ]
        for _i in range(requests):
            if not self.time_left():
                return
            before = self.stored()
            items, bad = [], 0
            for _j in range(rng.randint(1, 4)):
                item = self.kuaidi100_item()
                if rng.random() < 0.5:
                    self.good -= 1
                    item = rng.choice(item_breakers)(item)
                    bad += 1
                items.append(item)
            param = kuaidi100_param(items)
            refused = rng.random() < 0.25
            if refused:
                self.good -= len(items) - bad
                param = rng.choice(push_breakers)(param)
            text = json.dumps(param)
            sign = webhook_core.kuaidi100_sign(text, SALT)
            if refused and rng.random() < 0.2:
                sign = "0" * 32
            response = self.assert_answer(
                self.url_open(
                    "/logistics/webhook/kuaidi100", data={"param": text, "sign": sign}
                ),
                text[:200],
            )
            answer = response.json()  # Kuaidi100's JSON protocol, never HTML
            self.assertIn("returnCode", answer, text[:200])
            if refused:
                self.assertFalse(answer["result"], text[:200])
                self.assertEqual(self.stored(), before, text[:200])
                self.inputs += 1
            else:
                self.assertEqual(self.stored(), before + len(items) - bad, text[:200])
                self.inputs += bad

    # ----------------------------------------------------- public look-up

    def fuzz_lookup(self, requests):
        rng = self.rng
        self.authenticate(None, None)
        csrf = Request.csrf_token(self)
        numbers = (
            b"\x00",
            b"SF\x003299150988269",
            NUMBER.encode() + b"\x00",
            b"\xed\xa0\x80",
            b"\xff\xfe",
            b"' OR 1=1 --",
            b"%" * 50,
            "顺丰３２９９".encode(),
            b"A" * 5000,
            NUMBER.encode(),
        )
        last4s = (b"\x00", b"5678", b"\xed\xa0\x80", b"12a", b"", "５６７８".encode())
        Lookup = self.env["logistics.tracking.lookup"]
        before = Lookup.search_count([])
        failures = 0
        for _i in range(requests):
            if not self.time_left():
                break
            number, last4 = rng.choice(numbers), rng.choice(last4s)
            data = (
                f"number={quote_from_bytes(number)}&last4={quote_from_bytes(last4)}"
                f"&csrf_token={csrf}"
            )
            response = self.assert_answer(
                self.url_open(
                    "/parcel/track",
                    data=data,
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                ),
                data[:200],
            )
            # the parcel has no phone: no look-up can succeed
            self.assertIn(response.status_code, (400, 404, 429), data[:200])
            failures += response.status_code == 404
            self.inputs += 1
        Lookup.invalidate_model()
        self.assertEqual(Lookup.search_count([]), before + failures)

    @mute_logger(
        "odoo.addons.logistics_followup.controllers.main",
        "odoo.http",
        "werkzeug",
    )
    def test_fuzz_endpoints(self):
        """At least 1,000 generated hostile inputs: no 5xx, nothing
        half-written, every failed look-up counted."""
        self.fuzz_webhook(340)
        self.fuzz_courier_codes(40)
        self.fuzz_kuaidi100(220)
        self.fuzz_lookup(120)
        _logger.info(
            "fuzz: %s hostile inputs in %.1f s",
            self.inputs,
            time.monotonic() - self.started,
        )
        self.assertGreaterEqual(self.inputs, MIN_INPUTS)
