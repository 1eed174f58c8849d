# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import time

from odoo.tests import HttpCase, new_test_user

from odoo.addons.base.tests.common import BaseCommon

from ..core import webhook as webhook_core

WEBHOOK_NUMBER = "SF3299150988269"


def scan_row(**overrides):
    """One courier webhook row of a pick-up scan of ``WEBHOOK_NUMBER``."""
    row = {
        "waybill": WEBHOOK_NUMBER,
        "time": "2026-11-10T09:00:00+08:00",
        "status": "1",
        "place": "深圳宝安",
        "description": "已揽收",
    }
    row.update(overrides)
    return row


def kuaidi100_param(data, status="polling", message="", **extra):
    """A Kuaidi100 subscription push of ``WEBHOOK_NUMBER`` (SF) with the scans
    ``data``; ``extra`` adds or replaces top-level keys."""
    param = {
        "status": status,
        "message": message,
        "lastResult": {
            "message": "ok",
            "nu": WEBHOOK_NUMBER,
            "com": "shunfeng",
            "state": "0",
            "data": data,
        },
    }
    param.update(extra)
    return param


class WebhookCase(HttpCase):
    """Signed calls of the courier webhook and the Kuaidi100 push: SF with
    ``secret``, the Kuaidi100 salt ``salt``, and the events stored since the
    class started (demo data's left out)."""

    secret = "s3cret-for-tests"
    salt = "salty"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.courier = cls.env.ref("logistics_followup.courier_sf")
        cls.courier.webhook_secret = cls.secret
        cls.env["ir.config_parameter"].set_param(
            "logistics_followup.kuaidi100_salt", cls.salt
        )
        cls.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM logistics_tracking_event")
        cls.first_event_id = cls.env.cr.fetchone()[0]

    def post(
        self,
        body,
        timestamp=None,
        signature=None,
        secret=None,
        url="/logistics/webhook/SF",
        method="POST",
    ):
        """POST ``body`` (JSON-encoded unless bytes) signed with ``secret``;
        an empty ``timestamp`` or ``signature`` leaves that header out."""
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        timestamp = str(int(time.time())) if timestamp is None else timestamp
        if signature is None:
            signature = webhook_core.sign(secret or self.secret, timestamp, body)
        headers = {"Content-Type": "application/json"}
        if timestamp != "":
            headers[webhook_core.TIMESTAMP_HEADER] = timestamp
        if signature != "":
            headers[webhook_core.SIGNATURE_HEADER] = signature
        return self.url_open(url, data=body, headers=headers, method=method)

    def kuaidi100(self, param, salt=None):
        """A Kuaidi100 push of ``param`` (a dict, or its text) signed with ``salt``."""
        text = param if isinstance(param, str) else json.dumps(param)
        return self.url_open(
            "/logistics/webhook/kuaidi100",
            data={
                "param": text,
                "sign": webhook_core.kuaidi100_sign(text, salt or self.salt),
            },
        )

    def new_events(self):
        """The events stored since the class started."""
        return self.env["logistics.tracking.event"].search(
            [("id", ">", self.first_event_id)]
        )


class LogisticsCommon(BaseCommon):
    """Users of each role, created without relying on demo data."""

    def run_cron(self, xmlid, ready_only=False):
        """The cron as Odoo's cron runner starts it: its job acquired and
        processed from a fresh cursor and environment (``ready_only``: only
        if it is due or triggered, as the runner would)."""
        cron = self.env.ref(xmlid)
        self.env.flush_all()
        IrCron = self.registry["ir.cron"]
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            job = IrCron._acquire_one_job(cr, cron.id, include_not_ready=not ready_only)
            self.assertTrue(job, "the cron job could be acquired")
            IrCron._process_job(cr, job)
        self.env.invalidate_all()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env, "lf_agent", groups="logistics_followup.group_logistics_agent"
        )
        cls.supervisor = new_test_user(
            cls.env,
            "lf_supervisor",
            groups="logistics_followup.group_logistics_supervisor",
        )
        cls.clerk = new_test_user(
            cls.env,
            "lf_clerk",
            groups="logistics_followup.group_logistics_receipt_clerk",
        )
        cls.portal_user = new_test_user(
            cls.env, "lf_portal", groups="base.group_portal"
        )
        cls.courier_sf = cls.env.ref("logistics_followup.courier_sf")
        cls.courier_cpi = cls.env.ref("logistics_followup.courier_cpi")

    def set_tracking(self, waybill, **values):
        """Put ``waybill`` in a tracking situation: its state and times
        written by SQL, as the ingestion's recompute writes them."""
        assignments = ", ".join(f"{k} = %s" for k in values)
        self.env.cr.execute(
            f"UPDATE logistics_waybill SET {assignments} WHERE id = %s",
            [*values.values(), waybill.id],
        )
        waybill.invalidate_recordset()
        return waybill
