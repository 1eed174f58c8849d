# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pulling tracking from a courier or aggregator (R-WB-3, source "pull").

An adapter turns the waybills due for a pull into one request each and each
answer into rows for the one ingestion service. The network call itself is
the ORM layer's (``logistics.courier._pull_<adapter>``); everything here is
pure, so it is tested on recorded answers.

Kuaidi100 real-time query (REFERENCE.md 5.1): ``POST poll/query.do`` with
``customer``, ``param`` (JSON: com, num, phone, resultv2) and ``sign`` =
upper-case MD5(param + key + customer). The same number may be queried at
most once every 30 minutes, or it gets locked (锁单).
"""

import hashlib
import json
from datetime import datetime, timedelta

from .webhook import WebhookError, loads_strict, parse_kuaidi100_result

KUAIDI100_QUERY_URL = "https://poll.kuaidi100.com/poll/query.do"

#: Kuaidi100 locks a number queried more often than this.
MIN_PULL_INTERVAL = timedelta(minutes=30)

#: Waybills pulled per courier and cron run (one HTTP call each).
PULL_BATCH = 200

#: Seconds to wait for the aggregator (Kuaidi100 itself times out at 20 s).
PULL_TIMEOUT = 20


def due_for_pull(last_pull: datetime | None, now: datetime) -> bool:
    """Whether a waybill may be pulled again (never more often than
    :data:`MIN_PULL_INTERVAL`): the "Refresh Tracking" button's check; the
    hourly pull selects the same waybills in SQL (``last_pull_time <=
    now - MIN_PULL_INTERVAL``)."""
    return last_pull is None or now - last_pull >= MIN_PULL_INTERVAL


def kuaidi100_query_form(
    customer: str, key: str, company: str, number: str, phone_last4: str = ""
) -> dict[str, str]:
    """The form fields of a Kuaidi100 real-time query.

    ``phone_last4``: Kuaidi100 needs the sender's or receiver's phone (the
    last 4 digits suffice) for SF and ZTO; only those 4 digits are sent.
    """
    param = {"com": company, "num": number, "resultv2": "4"}
    if phone_last4:
        param["phone"] = phone_last4
    text = json.dumps(param, ensure_ascii=False, separators=(",", ":"))
    # MD5 is Kuaidi100's signing scheme, not our choice
    sign = hashlib.md5((text + key + customer).encode()).hexdigest().upper()
    return {"customer": customer, "param": text, "sign": sign}


def parse_kuaidi100_query(body: object) -> list[dict]:
    """Rows for ``ingest`` from the answer of a real-time query, or raise
    :class:`WebhookError`: ``json_invalid``, ``param_not_object``,
    ``query_refused`` (params: message; Kuaidi100 answers
    ``{"result": false, "returnCode": ..., "message": ...}``) and the codes of
    :func:`~.webhook.parse_kuaidi100_result`."""
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WebhookError("body_encoding") from exc
    if not isinstance(body, str) or not body.strip():
        raise WebhookError("body_empty")
    payload = loads_strict(body)
    if not isinstance(payload, dict):
        raise WebhookError("param_not_object")
    if payload.get("result") is False or (
        "returnCode" in payload and str(payload.get("returnCode")) != "200"
    ):
        message = payload.get("message")
        raise WebhookError(
            "query_refused", message=message if isinstance(message, str) else ""
        )
    _number, _company, _state, rows = parse_kuaidi100_result(payload, "result")
    return rows
