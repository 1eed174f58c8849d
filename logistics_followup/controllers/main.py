# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging
import time

from odoo import http
from odoo.http import request

from ..core import waybill as waybill_core
from ..core import webhook as webhook_core
from ..models.settings import get_setting

_logger = logging.getLogger(__name__)


class LogisticsWebhookController(http.Controller):
    """Tracking pushes of couriers and aggregators, all through ``ingest``.

    Short by design (validate, ingest one batch, answer) so that any worker
    of a multi-process server can take them.
    """

    def _json(self, payload, status=200):
        return request.make_response(
            json.dumps(payload, ensure_ascii=False),
            headers=[("Content-Type", "application/json; charset=utf-8")],
            status=status,
        )

    def _error(self, code, status=None):
        return self._json(
            {"error": code, "message": self._error_message(code)},
            status or webhook_core.status_for(code),
        )

    def _error_message(self, code):
        env = request.env
        messages = {
            "secret_missing": env._(
                "No webhook secret is configured for this courier."
            ),
            "timestamp_missing": env._("The X-Logistics-Timestamp header is missing."),
            "timestamp_invalid": env._(
                "The X-Logistics-Timestamp header is not unix seconds."
            ),
            "timestamp_skew": env._("The timestamp is more than 300 seconds away."),
            "signature_missing": env._("The X-Logistics-Signature header is missing."),
            "signature_invalid": env._("The signature does not match the body."),
            "body_too_large": env._("The body is larger than 5 MB."),
            "courier_unknown": env._("Unknown courier."),
        }
        return messages.get(code) or env._(
            'The body must be JSON of the form {"events": [...]} (%(code)s).', code=code
        )

    def _not_post(self):
        """Odoo's router lets OPTIONS (and only it) reach a POST-only route:
        answered 405 without any CORS header, nothing read or stored."""
        response = self._json(
            {
                "error": "method_not_allowed",
                "message": request.env._("Only POST requests are accepted."),
            },
            405,
        )
        response.headers["Allow"] = "POST"
        return response

    def _read_body(self):
        length = request.httprequest.content_length
        if length and length > webhook_core.MAX_BODY:
            return None
        body = request.httprequest.get_data(cache=True)
        return None if len(body) > webhook_core.MAX_BODY else body

    @http.route(
        "/logistics/webhook/<string:courier_code>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def courier_webhook(self, courier_code, **kwargs):
        if request.httprequest.method != "POST":
            return self._not_post()
        body = self._read_body()
        if body is None:
            return self._error("body_too_large")
        code = webhook_core.path_courier(courier_code)
        courier = (
            request.env["logistics.courier"]
            .sudo()
            .search([("code", "=", code)], limit=1)
            if code
            else None
        )
        if not courier:
            return self._error("courier_unknown", 404)
        headers = request.httprequest.headers
        error = webhook_core.verify_signature(
            courier.webhook_secret or "",
            headers.get(webhook_core.TIMESTAMP_HEADER),
            headers.get(webhook_core.SIGNATURE_HEADER),
            body,
            time.time(),
        )
        if error:
            _logger.warning("webhook %s refused: %s", courier.code, error)
            return self._error(error)
        try:
            rows = webhook_core.parse_events_body(body)
        except webhook_core.WebhookError as exc:
            return self._error(exc.code)
        rows = webhook_core.with_courier(rows, courier.code)
        env = request.env(su=True)
        result = env["logistics.tracking.event"].ingest(
            rows, source="webhook", courier=courier.code
        )
        # acknowledged with the rejected rows listed: kept for a replay too
        env["logistics.tracking.dead.letter"]._record(
            "webhook", courier, body.decode("utf-8-sig"), rows, result
        )
        return self._json(result)

    @http.route(
        "/logistics/webhook/kuaidi100",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def kuaidi100_webhook(self, **post):
        """Kuaidi100 (快递100) subscription push: form fields ``param`` and
        ``sign`` = MD5(param + salt); answered with Kuaidi100's JSON."""
        if request.httprequest.method != "POST":
            return self._not_post()
        param = post.get("param")
        salt = get_setting(request.env, "kuaidi100_salt")
        error = webhook_core.verify_kuaidi100(param, post.get("sign"), salt)
        if error:
            _logger.warning("kuaidi100 push refused: %s", error)
            return self._json(webhook_core.kuaidi100_error(error))
        try:
            push = webhook_core.parse_kuaidi100_push(param)
        except webhook_core.WebhookError as exc:
            return self._json(webhook_core.kuaidi100_error(exc.code))
        env = request.env(su=True)
        courier = env["logistics.courier"]._find_by_kuaidi100_code(
            push.com_new or push.company
        )
        if not courier:
            return self._json(webhook_core.kuaidi100_error("courier_unknown"))
        if push.com_new and push.com_old:
            old = env["logistics.courier"]._find_by_kuaidi100_code(push.com_old)
            env["logistics.waybill"]._apply_courier_correction(
                push.number, old, courier
            )
        rows = [dict(row, courier=courier.code) for row in push.rows]
        result = env["logistics.tracking.event"].ingest(
            rows, source="kuaidi100", courier=courier.code
        )
        env["logistics.tracking.dead.letter"]._record(
            "kuaidi100", courier, param, rows, result
        )
        if push.stop_reason:
            env["logistics.waybill"].search(
                [
                    ("number", "=", waybill_core.normalize_number(push.number)),
                    ("courier_id", "=", courier.id),
                ]
            ).write({"tracking_stop_reason": push.stop_reason})
        if result["rejected"]:
            _logger.info("kuaidi100 push %s: %s", push.number, result["rejected"])
        return self._json(
            webhook_core.kuaidi100_answer(
                result["accepted"] + result["duplicates"], len(result["rejected"])
            )
        )
