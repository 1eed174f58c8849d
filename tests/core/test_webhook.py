# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Inbound webhooks: our signed webhook and the Kuaidi100 push (R-WB-3).

Signatures are recomputed here with ``hmac``/``hashlib`` directly, not with
the module's own helpers, so that a wrong message layout in the module fails.
The Kuaidi100 pushes are built from the field names of REFERENCE.md 5.1.
"""

import hashlib
import hmac
import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from logistics_followup.core.webhook import (
    KUAIDI100_ACK,
    KUAIDI100_COMPANIES,
    MAX_BODY,
    MAX_EVENTS,
    WEBHOOK_ERROR_CODES,
    Kuaidi100Push,
    WebhookError,
    kuaidi100_answer,
    kuaidi100_error,
    kuaidi100_sign,
    parse_events_body,
    parse_kuaidi100_push,
    path_courier,
    sign,
    status_for,
    verify_kuaidi100,
    verify_signature,
    with_courier,
)

FAST = settings(max_examples=200, deadline=None)

SECRET = "s3cr3t-密钥"
NOW = 1_767_225_600.0  # 2026-01-01T00:00:00Z
TS = str(int(NOW))
BODY = json.dumps(
    {"events": [{"waybill": "SF1234567890123", "status": "3", "time": "x"}]}
).encode()


def reference_signature(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def error_of(callable_, *args):
    with pytest.raises(WebhookError) as info:
        callable_(*args)
    return info.value


# ---------------------------------------------------------------------------
# sign / verify_signature
# ---------------------------------------------------------------------------


def test_sign_matches_reference_hmac():
    expected = reference_signature(SECRET, TS, BODY)
    assert sign(SECRET, TS, BODY) == expected
    assert sign(SECRET, int(TS), BODY) == expected
    assert expected == expected.lower() and len(expected) == 64


def test_round_trip_valid():
    signature = sign(SECRET, TS, BODY)
    assert verify_signature(SECRET, TS, signature, BODY, NOW) is None


def test_upper_case_signature_accepted():
    signature = reference_signature(SECRET, TS, BODY).upper()
    assert verify_signature(SECRET, TS, signature, BODY, NOW) is None


@pytest.mark.parametrize("secret", [None, ""])
def test_secret_missing(secret):
    signature = reference_signature("x", TS, BODY)
    assert verify_signature(secret, TS, signature, BODY, NOW) == "secret_missing"


@pytest.mark.parametrize("timestamp", [None, ""])
def test_timestamp_missing(timestamp):
    signature = reference_signature(SECRET, TS, BODY)
    result = verify_signature(SECRET, timestamp, signature, BODY, NOW)
    assert result == "timestamp_missing"


@pytest.mark.parametrize(
    "timestamp",
    ["abc", "1.5", "1e9", " 1767225600", "1767225600 ", "0x10", "１２３", "+5", "--1"],
)
def test_timestamp_invalid(timestamp):
    signature = reference_signature(SECRET, timestamp, BODY)
    result = verify_signature(SECRET, timestamp, signature, BODY, NOW)
    assert result == "timestamp_invalid"


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (0, None),
        (300, None),  # exactly the window, past
        (-300, None),  # exactly the window, future
        (301, "timestamp_skew"),
        (-301, "timestamp_skew"),
        (10**9, "timestamp_skew"),
    ],
)
def test_timestamp_window_edges(offset, expected):
    timestamp = str(int(NOW) - offset)
    signature = reference_signature(SECRET, timestamp, BODY)
    assert verify_signature(SECRET, timestamp, signature, BODY, NOW) == expected


def test_custom_window():
    timestamp = str(int(NOW) - 60)
    signature = reference_signature(SECRET, timestamp, BODY)
    assert verify_signature(SECRET, timestamp, signature, BODY, NOW, window=60) is None
    result = verify_signature(SECRET, timestamp, signature, BODY, NOW, window=59)
    assert result == "timestamp_skew"


def test_fractional_now_window():
    # now = ts + 300.5 is more than 300 seconds away.
    signature = reference_signature(SECRET, TS, BODY)
    assert verify_signature(SECRET, TS, signature, BODY, NOW + 300.5) == (
        "timestamp_skew"
    )


@pytest.mark.parametrize("signature", [None, ""])
def test_signature_missing(signature):
    assert verify_signature(SECRET, TS, signature, BODY, NOW) == "signature_missing"


@pytest.mark.parametrize(
    "signature",
    [
        "0" * 64,
        "zz",
        "签名",
        "\ud800",
        reference_signature(SECRET, TS, BODY)[:-1],
        reference_signature(SECRET, TS, BODY) + "0",
        reference_signature("other secret", TS, BODY),
        hashlib.sha256(f"{TS}.".encode() + BODY).hexdigest(),  # no key
        reference_signature(SECRET, "", BODY),  # timestamp not bound
        hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest(),  # no prefix
    ],
)
def test_signature_invalid(signature):
    assert verify_signature(SECRET, TS, signature, BODY, NOW) == "signature_invalid"


def test_tampered_body_rejected():
    signature = reference_signature(SECRET, TS, BODY)
    tampered = BODY.replace(b"SF1234567890123", b"SF1234567890124")
    assert tampered != BODY
    assert verify_signature(SECRET, TS, signature, tampered, NOW) == (
        "signature_invalid"
    )
    assert verify_signature(SECRET, TS, signature, BODY + b" ", NOW) == (
        "signature_invalid"
    )


def test_tampered_timestamp_rejected():
    signature = reference_signature(SECRET, TS, BODY)
    other = str(int(TS) + 1)
    assert verify_signature(SECRET, other, signature, BODY, NOW) == (
        "signature_invalid"
    )
    # Leading zero: same number, different signed text.
    assert verify_signature(SECRET, "0" + TS, signature, BODY, NOW) == (
        "signature_invalid"
    )


def test_verify_uses_compare_digest(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    signature = reference_signature(SECRET, TS, BODY)
    assert verify_signature(SECRET, TS, signature, BODY, NOW) is None
    assert verify_signature(SECRET, TS, "0" * 64, BODY, NOW) == "signature_invalid"
    assert len(calls) == 2


@given(
    secret=st.text(min_size=1, max_size=20),
    timestamp=st.integers(min_value=0, max_value=2**40),
    body=st.binary(max_size=200),
    flip=st.integers(min_value=0, max_value=10**6),
)
@FAST
def test_round_trip_property_and_single_bit_flip(secret, timestamp, body, flip):
    signature = sign(secret, timestamp, body)
    assert verify_signature(secret, str(timestamp), signature, body, timestamp) is None
    if body:
        data = bytearray(body)
        data[flip % len(data)] ^= 1 << (flip % 8)
        result = verify_signature(
            secret, str(timestamp), signature, bytes(data), timestamp
        )
        assert result == "signature_invalid"


# ---------------------------------------------------------------------------
# parse_events_body
# ---------------------------------------------------------------------------


def test_parse_valid_body_returns_rows_unchanged():
    rows = [{"waybill": "SF1", "x": [1, 2]}, "not validated here", 3]
    body = json.dumps({"events": rows}, ensure_ascii=False).encode()
    assert parse_events_body(body) == rows


def test_parse_accepts_bom_and_whitespace():
    body = b"\xef\xbb\xbf \n" + json.dumps({"events": [{"a": "签收"}]}).encode()
    assert parse_events_body(body) == [{"a": "签收"}]


def test_max_events_boundary():
    assert len(parse_events_body(json.dumps({"events": [0] * 10_000}).encode())) == (
        10_000
    )
    error = error_of(parse_events_body, json.dumps({"events": [0] * 10_001}).encode())
    assert (error.code, error.params) == ("too_many_events", {"max": 10_000})


def test_body_too_large():
    body = b'{"events": [' + b" " * MAX_BODY + b"1]}"
    error = error_of(parse_events_body, body)
    assert (error.code, error.params) == ("body_too_large", {"max": MAX_BODY})
    assert status_for(error.code) == 413


def test_body_of_exactly_max_size_is_parsed():
    head, tail = b'{"events": [', b"1]}"
    body = head + b" " * (MAX_BODY - len(head) - len(tail)) + tail
    assert len(body) == MAX_BODY
    assert parse_events_body(body) == [1]


def test_extra_keys_params():
    error = error_of(parse_events_body, b'{"events": [1], "z": 1, "a": 2}')
    assert (error.code, error.params) == ("extra_keys", {"keys": ["a", "z"]})


def test_json_invalid_has_message():
    error = error_of(parse_events_body, b'{"events": [1,]}')
    assert error.code == "json_invalid"
    assert isinstance(error.params["message"], str) and error.params["message"]


def test_webhook_error_is_value_error_with_code_and_params():
    error = WebhookError("too_many_events", max=3)
    assert isinstance(error, ValueError)
    assert error.code == "too_many_events" and error.params == {"max": 3}
    assert "too_many_events" in str(error) and "3" in str(error)
    assert str(WebhookError("body_empty")) == "body_empty"


def malformed_bodies():
    """(id, body, expected code): at least 50 malformed bodies."""
    cases = [
        ("empty", b"", "body_empty"),
        ("blank", b"   \r\n\t", "body_empty"),
        ("latin1", '{"events": ["é"]}'.encode("latin-1"), "body_encoding"),
        ("gbk", '{"events": ["签收"]}'.encode("gbk"), "body_encoding"),
        ("utf16", '{"events": [1]}'.encode("utf-16"), "body_encoding"),
        ("lone_ff", b"\xff", "body_encoding"),
        ("overlong_utf8", b'{"events": ["\xc0\xaf"]}', "body_encoding"),
        ("encoded_surrogate", b'{"events": ["\xed\xa0\x80"]}', "body_encoding"),
        ("truncated_utf8", b'{"events": ["\xe7\xad"]}', "body_encoding"),
        ("null", b"null", "body_not_object"),
        ("list", b"[]", "body_not_object"),
        ("list_of_events", b'[{"events": [1]}]', "body_not_object"),
        ("int", b"42", "body_not_object"),
        ("negative_float", b"-1.5e3", "body_not_object"),
        ("true", b"true", "body_not_object"),
        ("string", b'"events"', "body_not_object"),
        ("empty_object", b"{}", "events_missing"),
        ("typo_key", b'{"event": [1]}', "events_missing"),
        ("case_key", b'{"Events": [1]}', "events_missing"),
        ("extra_key", b'{"events": [1], "token": "x"}', "extra_keys"),
        ("extra_empty_key", b'{"events": [1], "": 0}', "extra_keys"),
        ("events_object", b'{"events": {}}', "events_not_list"),
        ("events_null", b'{"events": null}', "events_not_list"),
        ("events_string", b'{"events": "[1]"}', "events_not_list"),
        ("events_int", b'{"events": 1}', "events_not_list"),
        ("events_true", b'{"events": true}', "events_not_list"),
        (
            "events_object_rows",
            b'{"events": {"0": {"waybill": "x"}}}',
            "events_not_list",
        ),
        ("events_empty", b'{"events": []}', "events_empty"),
        ("too_many", json.dumps({"events": [{}] * 10_001}).encode(), "too_many_events"),
        ("truncated_object", b'{"events": [', "json_invalid"),
        ("truncated_string", b'{"events": ["abc', "json_invalid"),
        ("truncated_key", b'{"eve', "json_invalid"),
        ("only_brace", b"{", "json_invalid"),
        ("trailing_comma", b'{"events": [1,]}', "json_invalid"),
        ("trailing_garbage", b'{"events": [1]} x', "json_invalid"),
        ("two_documents", b'{"events": [1]}{"events": [2]}', "json_invalid"),
        ("single_quotes", b"{'events': [1]}", "json_invalid"),
        ("unquoted_key", b"{events: [1]}", "json_invalid"),
        ("comment", b'{"events": [1] /* c */}', "json_invalid"),
        ("nan", b'{"events": [NaN]}', "json_invalid"),
        ("infinity", b'{"events": [Infinity]}', "json_invalid"),
        ("minus_infinity", b'{"events": [-Infinity]}', "json_invalid"),
        ("duplicate_events", b'{"events": [1], "events": [2]}', "json_invalid"),
        ("duplicate_in_row", b'{"events": [{"a": 1, "a": 2}]}', "json_invalid"),
        ("bad_escape", b'{"events": ["\\x41"]}', "json_invalid"),
        ("control_char", b'{"events": ["a\x01b"]}', "json_invalid"),
        (
            "huge_nesting",
            b'{"events": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "json_invalid",
        ),
        (
            "huge_object_nesting",
            b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
            "json_invalid",
        ),
        ("unclosed_nesting", b"[" * 200_000, "json_invalid"),
        ("huge_integer", b'{"events": [' + b"9" * 5_000 + b"]}", "json_invalid"),
        ("python_none", b'{"events": [None]}', "json_invalid"),
        ("nul_byte", b'{"events": [1]}\x00', "json_invalid"),
        ("leading_zero", b'{"events": [01]}', "json_invalid"),
        ("hex_number", b'{"events": [0x1]}', "json_invalid"),
        ("bare_word", b"events", "json_invalid"),
        ("form_encoded", b"events=1&x=2", "json_invalid"),
        ("too_large", b" " * (MAX_BODY + 1), "body_too_large"),
    ]
    # Wrong types at every level of the envelope, generated.
    wrong_values = [None, 0, -1, 1.5, True, False, "", "x", {}, {"0": 1}]
    for index, value in enumerate(wrong_values):
        body = json.dumps({"events": value}).encode()
        cases.append((f"events_wrong_type_{index}", body, "events_not_list"))
        body = json.dumps(value).encode()
        if not isinstance(value, dict):
            cases.append((f"top_wrong_type_{index}", body, "body_not_object"))
    return cases


MALFORMED = malformed_bodies()


def test_generator_has_at_least_50_distinct_bodies():
    bodies = {body for _name, body, _code in MALFORMED}
    assert len(bodies) >= 50
    assert len({name for name, _body, _code in MALFORMED}) == len(MALFORMED)


@pytest.mark.parametrize(
    ("body", "code"),
    [(body, code) for _name, body, code in MALFORMED],
    ids=[name for name, _body, _code in MALFORMED],
)
def test_malformed_body_rejected(body, code):
    error = error_of(parse_events_body, body)
    assert error.code == code
    assert error.code in WEBHOOK_ERROR_CODES
    assert 400 <= status_for(error.code) < 500


def test_every_body_code_is_exercised():
    body_codes = {
        "body_too_large",
        "body_empty",
        "body_encoding",
        "json_invalid",
        "body_not_object",
        "events_missing",
        "events_not_list",
        "events_empty",
        "too_many_events",
        "extra_keys",
    }
    assert {code for _name, _body, code in MALFORMED} == body_codes


@given(st.binary(max_size=300))
@example(b"\xff\xfe")
@example(b'{"events": [1]}')
@example(b"[" * 5000)
@FAST
def test_parse_events_body_total(body):
    try:
        result = parse_events_body(body)
    except WebhookError as error:
        assert 400 <= status_for(error.code) < 500
    else:
        assert isinstance(result, list) and result


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda children: st.lists(children) | st.dictionaries(st.text(), children),
        max_leaves=20,
    )
)
@FAST
def test_parse_events_body_total_on_json_values(value):
    body = json.dumps({"events": value}).encode("utf-8", "surrogatepass")
    try:
        result = parse_events_body(body)
    except WebhookError as error:
        assert 400 <= status_for(error.code) < 500
    else:
        assert result == value


# ---------------------------------------------------------------------------
# status_for and the code list
# ---------------------------------------------------------------------------

SIGNATURE_CODES = [
    "secret_missing",
    "timestamp_missing",
    "timestamp_invalid",
    "timestamp_skew",
    "signature_missing",
    "signature_invalid",
    "salt_missing",
    "sign_missing",
    "sign_invalid",
]
BAD_REQUEST_CODES = [
    "body_empty",
    "body_encoding",
    "json_invalid",
    "body_not_object",
    "events_missing",
    "events_not_list",
    "events_empty",
    "too_many_events",
    "extra_keys",
    "param_missing",
    "param_not_object",
    "last_result_missing",
    "number_missing",
    "data_not_list",
    "data_item_invalid",
    "status_invalid",
]


@pytest.mark.parametrize("code", SIGNATURE_CODES)
def test_status_401(code):
    assert status_for(code) == 401


@pytest.mark.parametrize("code", BAD_REQUEST_CODES)
def test_status_400(code):
    assert status_for(code) == 400


def test_status_413():
    assert status_for("body_too_large") == 413


def test_error_codes_complete_and_unique():
    assert len(WEBHOOK_ERROR_CODES) == len(set(WEBHOOK_ERROR_CODES))
    assert isinstance(WEBHOOK_ERROR_CODES, tuple)
    expected = {*SIGNATURE_CODES, *BAD_REQUEST_CODES, "body_too_large"}
    assert expected <= set(WEBHOOK_ERROR_CODES)
    for code in WEBHOOK_ERROR_CODES:
        assert status_for(code) in (400, 401, 413)


def test_status_for_unknown_code():
    with pytest.raises(ValueError):
        status_for("no_such_code")


# ---------------------------------------------------------------------------
# Kuaidi100 signature
# ---------------------------------------------------------------------------

SALT = "kd100salt"


def reference_md5(param, salt):
    return hashlib.md5((param + salt).encode()).hexdigest().upper()


def test_kuaidi100_sign_upper_md5():
    param = '{"status":"polling","message":"签收"}'
    assert kuaidi100_sign(param, SALT) == reference_md5(param, SALT)
    assert kuaidi100_sign(param, SALT).isupper()


def test_verify_kuaidi100_round_trip_case_insensitive():
    param = '{"status":"polling"}'
    signature = reference_md5(param, SALT)
    assert verify_kuaidi100(param, signature, SALT) is None
    assert verify_kuaidi100(param, signature.lower(), SALT) is None


@pytest.mark.parametrize(
    ("param", "signature", "salt", "expected"),
    [
        ("{}", "ABC", None, "salt_missing"),
        ("{}", "ABC", "", "salt_missing"),
        ("{}", None, SALT, "sign_missing"),
        ("{}", "", SALT, "sign_missing"),
        ("{}", "0" * 32, SALT, "sign_invalid"),
        ("{}", reference_md5("{}", "other"), SALT, "sign_invalid"),
        ("{}", reference_md5("{} ", SALT), SALT, "sign_invalid"),
        ("{}", reference_md5(SALT + "{}", ""), SALT, "sign_invalid"),  # salt first
        ("{}", "签名", SALT, "sign_invalid"),
        ("\ud800", reference_md5("x", SALT), SALT, "sign_invalid"),
        (None, reference_md5("{}", SALT), SALT, "sign_invalid"),
    ],
)
def test_verify_kuaidi100_errors(param, signature, salt, expected):
    assert verify_kuaidi100(param, signature, salt) == expected


def test_kuaidi100_tampered_param_rejected():
    param = json.dumps({"status": "polling", "lastResult": {"nu": "1"}})
    signature = reference_md5(param, SALT)
    assert verify_kuaidi100(param.replace("1", "2"), signature, SALT) == (
        "sign_invalid"
    )


def test_ack_and_error_answers():
    assert KUAIDI100_ACK == {"result": True, "returnCode": "200", "message": "成功"}
    assert kuaidi100_error("sign_invalid") == {
        "result": False,
        "returnCode": "500",
        "message": "sign_invalid",
    }


def test_kuaidi100_companies():
    assert KUAIDI100_COMPANIES == {
        "shunfeng": "SF",
        "zhongtong": "ZTO",
        "yuantong": "YTO",
        "shentong": "STO",
        "yunda": "YUNDA",
        "jd": "JD",
        "ems": "EMS",
        "youzhengguonei": "EMS",
        "jtexpress": "JT",
        "debangwuliu": "DEPPON",
        "debangkuaidi": "DEPPON",
        "yzgj": "CPI",
    }


# ---------------------------------------------------------------------------
# Kuaidi100 push parsing
# ---------------------------------------------------------------------------


def push(**overrides):
    """A realistic push (REFERENCE.md 5.1 field names), newest event first."""
    payload = {
        "status": "polling",
        "billstatus": "sending",
        "message": "",
        "autoCheck": "0",
        "comOld": "",
        "comNew": "",
        "lastResult": {
            "message": "ok",
            "state": "5",
            "status": "200",
            "condition": "F00",
            "ischeck": "0",
            "com": "zhongtong",
            "nu": "7319 0553-1025 32",
            "data": [
                {
                    "context": "【杭州市】快件已到达杭州西湖营业部，快递员正在派件",
                    "time": "2026-01-02 09:15:00",
                    "ftime": "2026-01-02 09:15:00",
                    "status": "派件",
                    "statusCode": "5",
                    "areaCode": "CN330106000000",
                    "areaName": "浙江,杭州市,西湖区",
                    "areaCenter": "120.130203,30.259324",
                    "areaPinYin": "xi hu qu",
                },
                {
                    "context": "【杭州市】快件已到达 杭州中转部",
                    "time": "2026-01-01 21:03:11",
                    "ftime": "2026-01-01 21:03",
                    "status": "在途",
                    "statusCode": "1002",
                    "areaName": "浙江,杭州市",
                },
                {
                    "context": "【上海市】中通快递 已揽收",
                    "time": "2025-12-31 18:00:00",
                    "status": "揽收",
                },
                {"context": "快件已发出", "time": "2025-12-31 20:00:00"},
            ],
        },
    }
    payload.update(overrides)
    return json.dumps(payload, ensure_ascii=False)


def test_realistic_polling_push():
    result = parse_kuaidi100_push(push())
    assert isinstance(result, Kuaidi100Push)
    assert result.status == "polling"
    assert result.message == ""
    assert result.number == "73190553102532"
    assert result.company == "zhongtong"
    assert result.state == "5"
    assert result.auto_check is False
    assert result.com_old is None and result.com_new is None
    assert result.stop_reason is None
    assert result.rows == [
        {
            "waybill": "73190553102532",
            "courier": None,
            "time": "2026-01-02 09:15:00",
            "place": "浙江,杭州市,西湖区",
            "status": "5",
            "description": "【杭州市】快件已到达杭州西湖营业部，快递员正在派件",
        },
        {
            "waybill": "73190553102532",
            "courier": None,
            "time": "2026-01-01 21:03",  # ftime preferred over time
            "place": "浙江,杭州市",
            "status": "1002",
            "description": "【杭州市】快件已到达 杭州中转部",
        },
        {
            "waybill": "73190553102532",
            "courier": None,
            "time": "2025-12-31 18:00:00",  # no ftime
            "place": "",
            "status": "揽收",  # item status text, no statusCode
            "description": "【上海市】中通快递 已揽收",
        },
        {
            "waybill": "73190553102532",
            "courier": None,
            "time": "2025-12-31 20:00:00",
            "place": "",
            "status": "5",  # neither: the push state
            "description": "快件已发出",
        },
    ]


def test_push_is_frozen():
    result = parse_kuaidi100_push(push())
    with pytest.raises(AttributeError):
        result.status = "abort"


def test_shutdown_signed_push_numeric_codes():
    last = {
        "state": 3,
        "com": "ShunFeng",
        "nu": "sf1234567890123",
        "data": [
            {
                "context": "[深圳市]您的快件已签收，签收人：本人",
                "ftime": "2026-01-03 10:00:00",
                "statusCode": 301,
            }
        ],
    }
    result = parse_kuaidi100_push(push(status="shutdown", lastResult=last))
    assert result.status == "shutdown"
    assert result.number == "SF1234567890123"
    assert result.company == "shunfeng"
    assert result.state == "3"
    assert result.rows[0]["status"] == "301"
    assert result.stop_reason is None


def test_abort_no_record():
    last = {"state": "0", "com": "yunda", "nu": "3914712788236", "data": []}
    result = parse_kuaidi100_push(
        push(status="abort", message="3天查询无记录", lastResult=last)
    )
    assert result.stop_reason == "no_record"
    assert result.message == "3天查询无记录"
    assert result.rows == []


def test_abort_no_change():
    result = parse_kuaidi100_push(
        push(status="abort", message="快件60天无变化，停止监控")
    )
    assert result.stop_reason == "no_change"
    assert len(result.rows) == 4


def test_abort_other_reason():
    result = parse_kuaidi100_push(push(status="abort", message="单号错误"))
    assert result.stop_reason == "aborted"


@pytest.mark.parametrize("status", ["polling", "shutdown", "updateall"])
def test_no_stop_reason_unless_abort(status):
    result = parse_kuaidi100_push(push(status=status, message="3天查询无记录"))
    assert result.stop_reason is None


def test_company_correction():
    last = {
        "state": "0",
        "com": "yuantong",
        "nu": "YT1234588888888",
        "data": [{"context": "快件已揽收", "ftime": "2026-01-01 08:00:00"}],
    }
    result = parse_kuaidi100_push(
        push(
            status="abort",
            message="3天查询无记录",
            autoCheck="1",
            comOld="zhongtong",
            comNew="YuanTong",
            lastResult=last,
        )
    )
    assert result.auto_check is True
    assert result.com_old == "zhongtong"
    assert result.com_new == "yuantong"
    assert result.company == "yuantong"
    assert result.stop_reason == "no_record"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), (1, True), (True, True), ("0", False), (0, False), ("", False)],
)
def test_auto_check_values(value, expected):
    assert parse_kuaidi100_push(push(autoCheck=value)).auto_check is expected


def test_missing_optional_fields():
    param = json.dumps({"status": "updateall", "lastResult": {"nu": "JT1234567890123"}})
    result = parse_kuaidi100_push(param)
    assert result == Kuaidi100Push(
        status="updateall",
        message="",
        number="JT1234567890123",
        company="",
        state=None,
        auto_check=False,
        com_old=None,
        com_new=None,
        rows=[],
        stop_reason=None,
    )


def test_missing_item_fields():
    last = {"nu": "1136281381675", "com": "ems", "data": [{}]}
    result = parse_kuaidi100_push(json.dumps({"status": "polling", "lastResult": last}))
    assert result.rows == [
        {
            "waybill": "1136281381675",
            "courier": None,
            "time": None,
            "place": "",
            "status": None,
            "description": "",
        }
    ]


def kd100_error(param):
    return error_of(parse_kuaidi100_push, param)


@pytest.mark.parametrize(
    ("param", "code"),
    [
        (None, "param_missing"),
        ("", "param_missing"),
        ("  ", "param_missing"),
        ("{", "json_invalid"),
        ('{"status": NaN}', "json_invalid"),
        ('{"status": "polling", "status": "abort"}', "json_invalid"),
        ("[]", "param_not_object"),
        ("null", "param_not_object"),
        ('"polling"', "param_not_object"),
        ("{}", "status_invalid"),
        ('{"status": "POLLING", "lastResult": {"nu": "1"}}', "status_invalid"),
        ('{"status": 1, "lastResult": {"nu": "1"}}', "status_invalid"),
        ('{"status": ["polling"], "lastResult": {"nu": "1"}}', "status_invalid"),
        ('{"status": "polling"}', "last_result_missing"),
        ('{"status": "polling", "lastResult": null}', "last_result_missing"),
        ('{"status": "polling", "lastResult": []}', "field_invalid"),
        ('{"status": "polling", "lastResult": {}}', "number_missing"),
        ('{"status": "polling", "lastResult": {"nu": ""}}', "number_missing"),
        ('{"status": "polling", "lastResult": {"nu": " - "}}', "number_missing"),
        ('{"status": "polling", "lastResult": {"nu": ["1"]}}', "number_missing"),
        ('{"status": "polling", "lastResult": {"nu": true}}', "number_missing"),
        (
            '{"status": "polling", "lastResult": {"nu": "1", "data": {}}}',
            "data_not_list",
        ),
        (
            '{"status": "polling", "lastResult": {"nu": "1", "data": "x"}}',
            "data_not_list",
        ),
        (
            '{"status": "polling", "message": 5, "lastResult": {"nu": "1"}}',
            "field_invalid",
        ),
        (
            '{"status": "polling", "autoCheck": "yes", "lastResult": {"nu": "1"}}',
            "field_invalid",
        ),
        (
            '{"status": "polling", "comNew": 3, "lastResult": {"nu": "1"}}',
            "field_invalid",
        ),
        ('{"status": "polling", "lastResult": {"nu": "1", "com": 1}}', "field_invalid"),
        (
            '{"status": "polling", "lastResult": {"nu": "1", "state": 1.5}}',
            "field_invalid",
        ),
        (
            '{"status": "polling", "lastResult": {"nu": "1", "state": {}}}',
            "field_invalid",
        ),
    ],
)
def test_kuaidi100_param_errors(param, code):
    error = kd100_error(param)
    assert error.code == code
    assert code in WEBHOOK_ERROR_CODES
    assert 400 <= status_for(code) < 500


@pytest.mark.parametrize(
    ("data", "index", "field"),
    [
        ([1], 0, None),
        ([{}, None], 1, None),
        ([{}, {}, "text"], 2, None),
        ([[{"context": "x"}]], 0, None),
        ([{"context": 1}], 0, "context"),
        ([{}, {"time": 20260101}], 1, "time"),
        ([{"ftime": ["x"]}], 0, "ftime"),
        ([{"areaName": {}}], 0, "areaName"),
        ([{"status": 3}], 0, "status"),
        ([{"statusCode": 1.5}], 0, "statusCode"),
        ([{"statusCode": False}], 0, "statusCode"),
    ],
)
def test_data_item_invalid(data, index, field):
    param = json.dumps({"status": "polling", "lastResult": {"nu": "1", "data": data}})
    error = kd100_error(param)
    assert error.code == "data_item_invalid"
    assert error.params["index"] == index
    assert error.params.get("field") == field


def test_status_invalid_params():
    error = kd100_error('{"status": "paused", "lastResult": {"nu": "1"}}')
    assert error.params == {"value": "paused"}


@pytest.mark.parametrize(
    ("body", "rows"),
    [
        (b'{"events": ["\\ud800"]}', ["\ud800"]),
        (b'{"events": [{"\\udfff": 1}]}', [{"\udfff": 1}]),
        (
            b'{"events": [{"description": "a\\u0000b"}, {"place": "\\ud800"}]}',
            [{"description": "a\x00b"}, {"place": "\ud800"}],
        ),
    ],
)
def test_unstorable_rows_left_to_ingest(body, rows):
    """Issue 11 item 1: a NUL or a lone surrogate inside a row does not
    reject the whole body (its valid rows would be lost with it): the rows
    are returned and the ingest service rejects the bad ones alone
    (``normalize_row``: ``text_invalid`` / ``unknown_field``)."""
    assert parse_events_body(body) == rows


@pytest.mark.parametrize(
    "value", ["sf", " SF ", "JT_2", "SF\x00", "S F", "SF/..", "\ud800", "", "A" * 17]
)
def test_path_courier(value):
    """Issue 11 item 1: the courier code of a webhook URL is checked before
    any search (``/logistics/webhook/SF%00`` is an unknown courier, 404)."""
    expected = {"sf": "SF", " SF ": "SF", "JT_2": "JT_2"}.get(value)
    assert path_courier(value) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("comNew", "shunfeng\x00"),
        ("comOld", "\x00"),
        ("comNew", "shun feng"),
        ("lastResult.com", "yunda\x00"),
        ("lastResult.nu", "SF\x001234567"),
    ],
)
def test_kuaidi100_unstorable_fields(field, value):
    """Issue 11 item 1: a company code or a number holding a NUL (or any
    character a code cannot hold) is a ``field_invalid`` answer (Kuaidi100's
    JSON protocol), never a search that fails in the database."""
    last = {"nu": "SF1234567890123", "com": "shunfeng", "data": []}
    payload = {"status": "polling", "lastResult": last}
    if field.startswith("lastResult."):
        last[field.split(".")[1]] = value
    else:
        payload[field] = value
    error = kd100_error(json.dumps(payload))
    assert error.code == "field_invalid"
    assert error.params["field"] == field.split(".")[-1]
    assert status_for(error.code) == 400


def test_param_too_large():
    error = kd100_error(" " * (MAX_BODY + 1))
    assert error.code == "body_too_large"


@given(st.text(max_size=300))
@example("")
@example("{")
@example('{"status": "polling", "lastResult": {"nu": "1", "data": [1]}}')
@example('{"status":"abort","lastResult":{"nu":"\\ud800"}}')
@FAST
def test_parse_kuaidi100_push_total_on_text(param):
    try:
        result = parse_kuaidi100_push(param)
    except WebhookError as error:
        assert 400 <= status_for(error.code) < 500
    else:
        assert isinstance(result, Kuaidi100Push)


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)
ITEM = st.dictionaries(
    st.sampled_from(["context", "time", "ftime", "status", "statusCode", "areaName"]),
    JSON_VALUES,
)


@given(
    status=st.sampled_from(["polling", "shutdown", "abort", "updateall"]) | JSON_VALUES,
    message=JSON_VALUES,
    auto_check=JSON_VALUES,
    nu=st.text(max_size=20) | JSON_VALUES,
    state=JSON_VALUES,
    data=st.lists(ITEM | JSON_VALUES, max_size=4) | JSON_VALUES,
)
@FAST
def test_parse_kuaidi100_push_total_on_structured_json(
    status, message, auto_check, nu, state, data
):
    payload = {
        "status": status,
        "message": message,
        "autoCheck": auto_check,
        "lastResult": {"nu": nu, "state": state, "data": data},
    }
    param = json.dumps(payload)
    try:
        result = parse_kuaidi100_push(param)
    except WebhookError as error:
        assert 400 <= status_for(error.code) < 500
    else:
        assert isinstance(result, Kuaidi100Push)
        assert len(result.rows) == len(data or [])  # no data: no rows
        assert all(row["waybill"] == result.number for row in result.rows)


# ---------------------------------------------------------------------------
# Issue 11 item 4: Kuaidi100's answer once the rows went to ingest, the cap
# ---------------------------------------------------------------------------


@given(stored=st.integers(0, 50), rejected=st.integers(0, 50))
def test_kuaidi100_answer_acks_only_what_is_stored(stored, rejected):
    """Nothing stored while rows were rejected: Kuaidi100 must resend
    (``result`` false); anything stored, or nothing to store: acknowledged."""
    answer = kuaidi100_answer(stored, rejected)
    if rejected and not stored:
        assert answer == {
            "result": False,
            "returnCode": "500",
            "message": "rows_rejected",
        }
    else:
        assert answer == KUAIDI100_ACK


def test_kuaidi100_push_capped_like_the_webhook():
    item = {"context": "x", "ftime": "2026-11-10 09:00:00", "status": "在途"}
    last = {"nu": "SF3299150988269", "com": "shunfeng", "state": "0"}
    param = {"status": "polling", "lastResult": dict(last, data=[item] * MAX_EVENTS)}
    assert len(parse_kuaidi100_push(json.dumps(param)).rows) == MAX_EVENTS
    param["lastResult"]["data"].append(item)
    with pytest.raises(WebhookError) as info:
        parse_kuaidi100_push(json.dumps(param))
    assert info.value.code == "too_many_events"
    assert info.value.params == {"max": MAX_EVENTS}


@given(
    st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "courier": st.one_of(
                        st.none(), st.sampled_from(["", " ", "SF", "ZTO", "zto"])
                    )
                },
            ),
            st.integers(),
            st.text(max_size=3),
        ),
        max_size=8,
    )
)
def test_with_courier_fills_blank_couriers_only(rows):
    before = [dict(row) if isinstance(row, dict) else row for row in rows]
    after = with_courier(rows, "SF")
    for old, new in zip(before, after, strict=True):
        if not isinstance(old, dict):
            assert new == old
        elif (old.get("courier") or "").strip():
            assert new["courier"] == old["courier"]  # checked by ingest
        else:
            assert new["courier"] == "SF"
