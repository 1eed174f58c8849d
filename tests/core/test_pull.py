# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pull adapters on recorded answers (R-WB-3, source "pull")."""

import hashlib
import json
from datetime import datetime, timedelta

import pytest

from logistics_followup.core import pull
from logistics_followup.core.webhook import WebhookError

# A real-time query answer as documented (REFERENCE.md 5.1), recorded shape.
ANSWER = {
    "message": "ok",
    "nu": "SF3299150988269",
    "ischeck": "1",
    "condition": "F00",
    "com": "shunfeng",
    "status": "200",
    "state": "3",
    "data": [
        {
            "time": "2026-11-11 10:30:00",
            "ftime": "2026-11-11 10:30:00",
            "context": "您的快件已由前台代签",
            "status": "签收",
            "statusCode": "303",
            "areaName": "浙江,杭州市",
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


def test_query_form_signature():
    """sign = upper-case MD5(param + key + customer); only the last four
    digits of a phone leave the building."""
    form = pull.kuaidi100_query_form("CUST", "KEY", "shunfeng", "SF1", "1234")
    param = json.loads(form["param"])
    assert param == {"com": "shunfeng", "num": "SF1", "resultv2": "4", "phone": "1234"}
    expected = hashlib.md5((form["param"] + "KEY" + "CUST").encode()).hexdigest()
    assert form["sign"] == expected.upper()
    assert form["customer"] == "CUST"
    assert "phone" not in json.loads(
        pull.kuaidi100_query_form("C", "K", "ems", "1")["param"]
    )


def test_parse_answer():
    rows = pull.parse_kuaidi100_query(json.dumps(ANSWER, ensure_ascii=False).encode())
    assert [row["status"] for row in rows] == ["303", "揽收"]
    assert rows[0]["waybill"] == "SF3299150988269"
    assert rows[0]["place"] == "浙江,杭州市"
    assert rows[1]["time"] == "2026-11-10 09:00:00"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", "body_empty"),
        (b"\xff", "body_encoding"),
        (b"{", "json_invalid"),
        (b"[]", "param_not_object"),
        (
            '{"result": false, "returnCode": "500", "message": "查询无结果"}'.encode(),
            "query_refused",
        ),
        (b'{"returnCode": "601", "message": "key expired"}', "query_refused"),
        (b'{"status": "200", "data": []}', "number_missing"),
        (b'{"nu": "SF1", "data": {}}', "data_not_list"),
    ],
)
def test_parse_errors(body, code):
    with pytest.raises(WebhookError) as err:
        pull.parse_kuaidi100_query(body)
    assert err.value.code == code


def test_pull_interval():
    """Kuaidi100 locks a number queried more than once in 30 minutes: the
    pull cron's domain (logistics.courier) waits this long between two pulls
    of a waybill (tested through it in tests/test_pull.py)."""
    assert timedelta(minutes=30) == pull.MIN_PULL_INTERVAL


def test_due_for_pull():
    """Kuaidi100 locks a number queried more than once in 30 minutes."""
    now = datetime(2026, 11, 22, 12, 0)
    assert pull.due_for_pull(None, now)
    assert pull.due_for_pull(now - timedelta(minutes=30), now)
    assert not pull.due_for_pull(now - timedelta(minutes=29), now)
