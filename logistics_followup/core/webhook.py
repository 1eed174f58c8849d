# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Inbound tracking webhooks: signature checks and body parsing.

Two endpoints feed tracking events into the ingest service (R-WB-3: the flow
of a parcel is merged from several sources, carrier push among them):

* Our own signed webhook, ``POST /logistics/webhook/<courier_code>``. The body
  is JSON ``{"events": [row, ...]}``; the headers ``X-Logistics-Timestamp``
  (unix seconds) and ``X-Logistics-Signature`` (lower-case hex HMAC-SHA256 of
  ``b"<timestamp>." + raw_body`` keyed with the courier's secret) authenticate
  it. :func:`verify_signature` checks the headers, :func:`parse_events_body`
  the envelope; the rows themselves are validated one by one by the ingest
  service, so one bad row does not reject a whole batch.
* The Kuaidi100 (快递100) subscription push, ``/logistics/webhook/kuaidi100``,
  form fields ``param`` (JSON) and ``sign`` = MD5(param + salt)
  (REFERENCE.md section 5.1). :func:`verify_kuaidi100` checks the signature,
  :func:`parse_kuaidi100_push` turns ``param`` into a :class:`Kuaidi100Push`
  whose ``rows`` have the ingest row shape of our own webhook.

This module returns codes and parameters only (:data:`WEBHOOK_ERROR_CODES`,
:attr:`WebhookError.params`); the controller turns them into HTTP answers
with :func:`status_for`, :data:`KUAIDI100_ACK` and :func:`kuaidi100_error`.
"""

import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field

from .events import courier_code as _courier_code
from .text import storable
from .waybill import normalize_number

__all__ = [
    "KUAIDI100_ACK",
    "KUAIDI100_COMPANIES",
    "KUAIDI100_STATUSES",
    "MAX_BODY",
    "MAX_EVENTS",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WEBHOOK_ERROR_CODES",
    "Kuaidi100Push",
    "WebhookError",
    "kuaidi100_answer",
    "kuaidi100_error",
    "kuaidi100_sign",
    "loads_strict",
    "parse_events_body",
    "parse_kuaidi100_push",
    "path_courier",
    "sign",
    "status_for",
    "verify_kuaidi100",
    "verify_signature",
    "with_courier",
]

#: Header names of our own webhook.
TIMESTAMP_HEADER = "X-Logistics-Timestamp"
SIGNATURE_HEADER = "X-Logistics-Signature"

#: Largest accepted body (and Kuaidi100 ``param``), in bytes (characters).
MAX_BODY = 5 * 1024 * 1024
#: Largest number of rows in one ``{"events": [...]}`` body.
MAX_EVENTS = 10_000
#: Default tolerance between the sender's timestamp and our clock, seconds.
DEFAULT_WINDOW = 300

# ---------------------------------------------------------------------------
# Error codes
# ---------------------------------------------------------------------------

#: Authentication failures of our own webhook (HTTP 401). ``secret_missing``
#: is a configuration problem on our side, but we cannot tell a genuine sender
#: from a forger without the secret, so the request is refused (fail closed).
SIGNATURE_CODES = (
    "secret_missing",
    "timestamp_missing",
    "timestamp_invalid",
    "timestamp_skew",
    "signature_missing",
    "signature_invalid",
)
#: Authentication failures of the Kuaidi100 push (HTTP 401 as well).
KUAIDI100_SIGN_CODES = ("salt_missing", "sign_missing", "sign_invalid")
#: Body problems of our own webhook (HTTP 400, 413 for ``body_too_large``).
BODY_CODES = (
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
)
#: Problems of a Kuaidi100 ``param`` (HTTP 400). ``json_invalid`` and
#: ``body_too_large`` are shared with :data:`BODY_CODES`. ``field_invalid``
#: (params: field) is an optional field of the wrong type, e.g. a numeric
#: ``message``; ``data_item_invalid`` (params: index, and field when one field
#: of an object item is wrong) is an item of ``lastResult.data``.
KUAIDI100_PARAM_CODES = (
    "param_missing",
    "param_not_object",
    "status_invalid",
    "last_result_missing",
    "number_missing",
    "data_not_list",
    "data_item_invalid",
    "field_invalid",
)

#: Every code this module can return or raise.
WEBHOOK_ERROR_CODES = (
    SIGNATURE_CODES + KUAIDI100_SIGN_CODES + BODY_CODES + KUAIDI100_PARAM_CODES
)

_STATUS = dict.fromkeys(SIGNATURE_CODES + KUAIDI100_SIGN_CODES, 401)
_STATUS.update(dict.fromkeys(BODY_CODES + KUAIDI100_PARAM_CODES, 400))
_STATUS["body_too_large"] = 413


class WebhookError(ValueError):
    """A rejected webhook body: ``code`` (see :data:`WEBHOOK_ERROR_CODES`)
    and ``params`` for the translated message."""

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self):
        if not self.params:
            return self.code
        details = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{self.code} ({details})"


def status_for(code: str) -> int:
    """HTTP status for an error code: 401 authentication, 413 too large,
    400 any other body or ``param`` problem.

    An unknown code raises ``ValueError`` (a typo in a caller, not a request
    problem).
    """
    try:
        return _STATUS[code]
    except KeyError:
        raise ValueError(f"unknown webhook error code: {code!r}") from None


# ---------------------------------------------------------------------------
# JSON decoding shared by both endpoints
# ---------------------------------------------------------------------------


def _reject_constant(name):
    # NaN, Infinity and -Infinity are accepted by ``json`` but are not JSON.
    raise ValueError(f"non-standard constant {name}")


def _pairs(pairs):
    # Duplicate keys are ambiguous (which one did the sender mean, which one
    # did another parser read?), so they are an error rather than "last wins".
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _has_lone_surrogate(value) -> bool:
    """Whether any string in ``value`` holds a lone surrogate (``"\\ud800"``
    is valid JSON but cannot be encoded, so it would fail later in the
    database rather than here)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def loads_strict(text: str, *, surrogates: bool = False):
    """Strict ``json.loads``: any failure is ``WebhookError("json_invalid")``;
    a lone surrogate in a string too unless ``surrogates`` (then the caller
    rejects the rows holding one, :func:`text.storable`)."""
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_reject_constant
        )
    except RecursionError:
        raise WebhookError("json_invalid", message="nesting too deep") from None
    except ValueError as error:
        # JSONDecodeError, our hooks, and int() refusing a 5,000-digit number.
        raise WebhookError("json_invalid", message=str(error)[:200]) from None
    if not surrogates and _has_lone_surrogate(value):
        raise WebhookError("json_invalid", message="lone surrogate in a string")
    return value


# ---------------------------------------------------------------------------
# Our own signed webhook
# ---------------------------------------------------------------------------

_TIMESTAMP = re.compile(r"-?[0-9]{1,15}")


def _utf8(text: str) -> bytes:
    # "surrogatepass": a lone surrogate gives bytes nobody signed (so the
    # check fails) rather than an exception.
    return text.encode("utf-8", "surrogatepass")


def sign(secret: str, timestamp: str | int, body: bytes) -> str:
    """Lower-case hex HMAC-SHA256 of ``b"<timestamp>." + body``."""
    message = _utf8(str(timestamp)) + b"." + bytes(body)
    return hmac.new(_utf8(secret), message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str | None,
    timestamp_header: str | None,
    signature_header: str | None,
    body: bytes,
    now: float,
    window: int = DEFAULT_WINDOW,
) -> str | None:
    """Check the headers of a webhook request; ``None`` when valid.

    Otherwise return the first error code found, in this order:
    ``secret_missing``, ``timestamp_missing``, ``timestamp_invalid`` (not an
    integer string), ``timestamp_skew`` (more than ``window`` seconds from
    ``now``, either way; exactly ``window`` is accepted), ``signature_missing``,
    ``signature_invalid``. The signature is compared in constant time and
    case-insensitively. The timestamp is signed as sent (the header text), so
    ``"0123"`` and ``"123"`` are different messages.
    """
    if not secret:
        return "secret_missing"
    if timestamp_header is None or timestamp_header == "":
        return "timestamp_missing"
    if not isinstance(timestamp_header, str) or not _TIMESTAMP.fullmatch(
        timestamp_header
    ):
        return "timestamp_invalid"
    if abs(now - int(timestamp_header)) > window:
        return "timestamp_skew"
    if not signature_header or not isinstance(signature_header, str):
        return "signature_missing"
    expected = sign(secret, timestamp_header, body).encode("ascii")
    # Lower-casing only ASCII letters: str.lower() could map a foreign
    # character onto a hex digit.
    given = _utf8(signature_header.strip()).lower()
    if not hmac.compare_digest(expected, given):
        return "signature_invalid"
    return None


def path_courier(value: object) -> str | None:
    """The courier code of a webhook URL (``/logistics/webhook/<code>``),
    upper-case, or ``None`` when it cannot be one (any character outside
    ``A-Z0-9_``, a NUL included): the courier is then unknown (404)."""
    return _courier_code(value) if isinstance(value, str) else None


def parse_events_body(body: bytes) -> list:
    """Return the ``events`` list of a webhook body, or raise
    :class:`WebhookError`.

    Codes: ``body_too_large`` (params: max), ``body_empty``, ``body_encoding``
    (not UTF-8; a leading BOM is tolerated), ``json_invalid`` (params:
    message; also NaN/Infinity, duplicate keys, nesting too deep and lone
    surrogates), ``body_not_object``, ``events_missing``, ``extra_keys``
    (params: keys, sorted), ``events_not_list``, ``events_empty``,
    ``too_many_events`` (params: max). The rows are returned as they are:
    the ingest service validates each one, so a row holding a NUL or a lone
    surrogate (``"\\u0000"``, ``"\\ud800"``) is rejected alone there.
    """
    body = bytes(body)
    if len(body) > MAX_BODY:
        raise WebhookError("body_too_large", max=MAX_BODY)
    if not body.strip():
        raise WebhookError("body_empty")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WebhookError("body_encoding") from None
    payload = loads_strict(text, surrogates=True)
    if not isinstance(payload, dict):
        raise WebhookError("body_not_object")
    if "events" not in payload:
        raise WebhookError("events_missing")
    extra = sorted(key for key in payload if key != "events")
    if extra:
        raise WebhookError("extra_keys", keys=extra)
    events = payload["events"]
    if not isinstance(events, list):
        raise WebhookError("events_not_list")
    if not events:
        raise WebhookError("events_empty")
    if len(events) > MAX_EVENTS:
        raise WebhookError("too_many_events", max=MAX_EVENTS)
    return events


# ---------------------------------------------------------------------------
# Kuaidi100 subscription push (REFERENCE.md section 5.1)
# ---------------------------------------------------------------------------

#: Monitoring statuses of a push: polling (monitoring), shutdown (ended,
#: sent once signed), abort (stopped), updateall (full re-push).
KUAIDI100_STATUSES = ("polling", "shutdown", "abort", "updateall")

#: Default mapping of kuaidi100 ``com`` codes (always lower-case,
#: REFERENCE.md section 4) to our courier codes. The ORM layer's per-courier
#: ``kuaidi100_code`` field takes precedence; this is the default.
KUAIDI100_COMPANIES = {
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

#: The answer Kuaidi100 requires once a push is saved (REFERENCE.md 5.1).
KUAIDI100_ACK = {"result": True, "returnCode": "200", "message": "成功"}

# Answer policy of the Kuaidi100 endpoint: we answer KUAIDI100_ACK only after
# the push is verified and saved ("save the data first, then answer"), and
# kuaidi100_error(<error code>) (returnCode "500", so Kuaidi100 retries) for
# everything else, a bad signature included:
# * Only Kuaidi100 retries. A forger gets nothing from a 500 it would not get
#   from a 200, while for a genuine push a signature failure means our salt is
#   misconfigured (or missing): with 500 the pushes sent meanwhile are
#   delivered again once the salt is fixed, with 200 they would be lost.
# * A signed but unparseable ``param`` is also answered 500: the event was not
#   saved, and a retry after a parser fix can still save it. Kuaidi100 gives
#   up after a limited number of retries, and each push carries the full
#   ``lastResult``, so the retries are bounded and the next push repairs any
#   gap anyway.
# The message is our error code (never translated text); the controller logs
# it with the code's parameters.


def kuaidi100_error(message: str) -> dict:
    """The answer to a push we did not save: Kuaidi100 retries it."""
    return {"result": False, "returnCode": "500", "message": message}


def kuaidi100_answer(stored: int, rejected: int) -> dict:
    """The answer to a verified, parsed push whose rows went to ingest:
    ``stored`` rows were recorded (new or already known), ``rejected`` were
    not. :data:`KUAIDI100_ACK` once something is stored or there was nothing
    to store; ``kuaidi100_error("rows_rejected")`` when every row was
    rejected, so that Kuaidi100 resends it (a mapping fixed meanwhile stores
    it then). A partly stored push is acknowledged: its rejected rows are
    kept aside by the caller for an administrator to replay."""
    if rejected and not stored:
        return kuaidi100_error("rows_rejected")
    return KUAIDI100_ACK


def with_courier(rows: list, code: str) -> list:
    """The rows of a courier's own webhook: a row without a courier (missing,
    empty or blank) is that courier's. Rows that are not objects are left for
    the ingest service to reject."""
    for row in rows:
        if isinstance(row, dict):
            courier = row.get("courier")
            if courier is None or (isinstance(courier, str) and not courier.strip()):
                row["courier"] = code
    return rows


def kuaidi100_sign(param: str, salt: str) -> str:
    """Upper-case hex MD5 of ``param + salt``, as Kuaidi100 sends it."""
    # MD5 is Kuaidi100's choice, not ours; it is not used as a security
    # primitive of our own (usedforsecurity is a FIPS hint only).
    return hashlib.md5(_utf8(param + salt), usedforsecurity=False).hexdigest().upper()


def verify_kuaidi100(
    param: str | None, sign: str | None, salt: str | None
) -> str | None:
    """Check the ``sign`` form field of a push; ``None`` when valid.

    Error codes: ``salt_missing`` (no salt configured: fail closed),
    ``sign_missing``, ``sign_invalid``. Compared in constant time,
    case-insensitively. ``param`` is the form value as received.
    """
    if not salt or not isinstance(salt, str):
        return "salt_missing"
    if not sign or not isinstance(sign, str):
        return "sign_missing"
    if not isinstance(param, str):
        param = ""
    expected = kuaidi100_sign(param, salt).encode("ascii")
    given = _utf8(sign.strip()).upper()
    if not hmac.compare_digest(expected, given):
        return "sign_invalid"
    return None


@dataclass(frozen=True)
class Kuaidi100Push:
    """A parsed Kuaidi100 push.

    ``rows`` have the ingest row shape of our own webhook: ``waybill``,
    ``courier`` (always ``None``: the ORM layer resolves ``company`` through
    the couriers' ``kuaidi100_code``), ``time`` (``ftime`` else ``time``, the
    text as given; the ingest side parses it in the company timezone),
    ``place``, ``status`` and ``description``, one per ``lastResult.data``
    item, in the order given (Kuaidi100 sends the newest first).
    ``stop_reason`` is set for ``status == "abort"`` only: ``no_record``
    ("3天查询无记录"), ``no_change`` ("60天无变化") or ``aborted``.
    """

    status: str
    message: str
    number: str
    company: str
    state: str | None
    auto_check: bool
    com_old: str | None
    com_new: str | None
    rows: list = field(default_factory=list)
    stop_reason: str | None = None


def _optional_text(value, field_name, *, code="field_invalid", **params):
    """A text field that may be absent: ``None`` or a str."""
    if value is None or isinstance(value, str):
        return value
    raise WebhookError(code, field=field_name, **params)


def _code_text(value, field_name, *, code="field_invalid", **params):
    """A code Kuaidi100 sends as a string or a number: str, or ``None`` when
    absent or empty."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise WebhookError(code, field=field_name, **params)
    text = str(value).strip()
    return text or None


_COMPANY = re.compile(r"[a-z0-9_]{1,64}", re.ASCII)


def _company(value, field_name):
    """A Kuaidi100 company code (``shunfeng``): ``None`` when absent or
    blank, ``field_invalid`` unless lower-case letters, digits and ``_``
    (a NUL or any other character is refused before any search)."""
    text = _optional_text(value, field_name)
    text = (text or "").strip().lower()
    if text and not _COMPANY.fullmatch(text):
        raise WebhookError("field_invalid", field=field_name)
    return text or None


def _auto_check(value) -> bool:
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip() in ("0", "1"):
        return value.strip() == "1"
    raise WebhookError("field_invalid", field="autoCheck")


def _stop_reason(status, message):
    if status != "abort":
        return None
    if "3天查询无记录" in message:
        return "no_record"
    if "60天无变化" in message:
        return "no_change"
    return "aborted"


def _row(index, item, number, state):
    if not isinstance(item, dict):
        raise WebhookError("data_item_invalid", index=index)

    def text(name):
        return _optional_text(
            item.get(name), name, code="data_item_invalid", index=index
        )

    context = text("context")
    ftime = text("ftime")
    raw_time = text("time")
    area = text("areaName")
    status_text = text("status")
    status_code = _code_text(
        item.get("statusCode"), "statusCode", code="data_item_invalid", index=index
    )
    return {
        "waybill": number,
        "courier": None,
        "time": ftime or raw_time,
        "place": area or "",
        "status": status_code or (status_text or None) or state,
        "description": context or "",
    }


def parse_kuaidi100_result(last: object, field: str = "lastResult"):
    """Parse a Kuaidi100 tracking result (a push's ``lastResult``, or the
    answer of a real-time query): ``(number, company, state, rows)`` with
    ``rows`` in our ingest shape, or raise :class:`WebhookError`."""
    if not isinstance(last, dict):
        raise WebhookError("field_invalid", field=field)
    raw_number = last.get("nu")
    if isinstance(raw_number, int) and not isinstance(raw_number, bool):
        raw_number = str(raw_number)
    number = normalize_number(raw_number)
    if not number:
        raise WebhookError("number_missing")
    if not storable(number):
        raise WebhookError("field_invalid", field="nu")
    company = _company(last.get("com"), "com") or ""
    state = _code_text(last.get("state"), "state")

    data = last.get("data")
    if data is None:
        data = []
    if not isinstance(data, list):
        raise WebhookError("data_not_list")
    if len(data) > MAX_EVENTS:
        raise WebhookError("too_many_events", max=MAX_EVENTS)
    rows = [_row(index, item, number, state) for index, item in enumerate(data)]
    return number, company, state, rows


def parse_kuaidi100_push(param: str) -> Kuaidi100Push:
    """Parse the ``param`` form field of a Kuaidi100 push, or raise
    :class:`WebhookError`.

    Codes: ``param_missing``, ``body_too_large`` (params: max),
    ``json_invalid`` (params: message), ``param_not_object``,
    ``status_invalid`` (params: value), ``last_result_missing``,
    ``number_missing``, ``data_not_list``, ``data_item_invalid`` (params:
    index, and field for a wrong-typed field of an item), ``field_invalid``
    (params: field), ``too_many_events`` (params: max; more than
    :data:`MAX_EVENTS` items, as for the courier webhook). Optional fields
    may be missing; present fields must have the documented type. Check
    the signature first (:func:`verify_kuaidi100`).
    """
    if isinstance(param, str) and len(param) > MAX_BODY:
        raise WebhookError("body_too_large", max=MAX_BODY)
    if not isinstance(param, str) or not param.strip():
        raise WebhookError("param_missing")
    payload = loads_strict(param)
    if not isinstance(payload, dict):
        raise WebhookError("param_not_object")

    status = payload.get("status")
    if status not in KUAIDI100_STATUSES:
        # ``in`` on a tuple of str is safe for unhashable values too.
        shown = status if isinstance(status, str) else repr(status)
        raise WebhookError("status_invalid", value=shown[:50])
    message = _optional_text(payload.get("message"), "message") or ""
    auto_check = _auto_check(payload.get("autoCheck"))
    com_old = _company(payload.get("comOld"), "comOld")
    com_new = _company(payload.get("comNew"), "comNew")

    last = payload.get("lastResult")
    if last is None:
        raise WebhookError("last_result_missing")
    number, company, state, rows = parse_kuaidi100_result(last, "lastResult")

    return Kuaidi100Push(
        status=status,
        message=message,
        number=number,
        company=company,
        state=state,
        auto_check=auto_check,
        com_old=com_old,
        com_new=com_new,
        rows=rows,
        stop_reason=_stop_reason(status, message),
    )
