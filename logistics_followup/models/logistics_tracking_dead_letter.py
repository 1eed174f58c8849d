# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib

from odoo import api, fields, models

from ..core import webhook as webhook_core


class LogisticsTrackingDeadLetter(models.Model):
    """A courier webhook body or a Kuaidi100 push that could not be fully
    stored (issue 11 item 4, R-WB-3): at least one row was rejected. The raw
    body is kept so that an administrator can read why, fix the status
    mapping or the courier's number formats, and replay it through ingest
    (a replay adds only what is missing). Written with sudo by the webhook
    controllers; read by supervisors only."""

    _name = "logistics.tracking.dead.letter"
    _description = "Tracking Push Not Fully Stored"
    _order = "received_time desc, id desc"
    _rec_name = "received_time"

    source = fields.Selection(
        selection=[("webhook", "Courier Webhook"), ("kuaidi100", "Kuaidi100 Push")],
        required=True,
        readonly=True,
    )
    courier_id = fields.Many2one(
        comodel_name="logistics.courier",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    body = fields.Text(
        required=True,
        readonly=True,
        help="The body as received: the webhook's JSON, or Kuaidi100's param.",
    )
    body_hash = fields.Char(
        required=True,
        readonly=True,
        index=True,
        help="SHA-1 of the body: the same body received again is counted, not "
        "kept twice.",
    )
    received_time = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now
    )
    receive_count = fields.Integer(string="Times Received", readonly=True, default=1)
    row_count = fields.Integer(string="Rows", readonly=True)
    rejected_count = fields.Integer(string="Rejected Rows", readonly=True)
    reasons = fields.Text(string="Rejected Rows' Reasons", readonly=True)
    state = fields.Selection(
        selection=[
            ("new", "To Check"),
            ("replayed", "Replayed"),
            ("discarded", "Discarded"),
        ],
        required=True,
        default="new",
        readonly=True,
    )
    replay_time = fields.Datetime(string="Last Replay", readonly=True)
    replay_result = fields.Text(string="Outcome of the Last Replay", readonly=True)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_replay(self):
        """Send the stored body through ingest again, as its source did, and
        record the outcome: replayed when no row was rejected any more, else
        still to check with the new reasons."""
        self.check_access("write")
        Event = self.env["logistics.tracking.event"].sudo()
        for letter in self.filtered(lambda r: r.state == "new"):
            try:
                rows = letter._rows()
            except webhook_core.WebhookError as error:
                letter.write(
                    {
                        "replay_time": fields.Datetime.now(),
                        "replay_result": self.env._(
                            "The body cannot be read: %(error)s.", error=str(error)
                        ),
                    }
                )
                continue
            result = Event.with_company(letter.company_id).ingest(
                rows, source=letter.source, courier=letter.courier_id.code
            )
            outcome = self.env._(
                "%(accepted)s rows stored, %(duplicates)s already known, "
                "%(rejected)s rejected.",
                accepted=result["accepted"],
                duplicates=result["duplicates"],
                rejected=len(result["rejected"]),
            )
            values = {"replay_time": fields.Datetime.now(), "replay_result": outcome}
            if result["rejected"]:
                values.update(
                    rejected_count=len(result["rejected"]),
                    reasons=self._reasons_text(result["rejected"]),
                )
            else:
                values["state"] = "replayed"
            letter.write(values)
        return True

    def action_discard(self):
        self.check_access("write")
        self.filtered(lambda r: r.state == "new").write({"state": "discarded"})
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _record(self, source, courier, body, rows, result):
        """Keep ``body`` when ``result`` (of ingest) rejected any row; the
        same body still to check is counted instead of kept again (Kuaidi100
        resends what it was not acknowledged)."""
        if not result["rejected"]:
            return self.browse()
        digest = hashlib.sha1(body.encode("utf-8", "replace")).hexdigest()
        values = {
            "row_count": len(rows) if isinstance(rows, list) else 0,
            "rejected_count": len(result["rejected"]),
            "reasons": self._reasons_text(result["rejected"]),
        }
        same = self.search(
            [
                ("body_hash", "=", digest),
                ("source", "=", source),
                ("courier_id", "=", courier.id),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "new"),
            ],
            limit=1,
        )
        if same:
            same.write(
                dict(
                    values,
                    receive_count=same.receive_count + 1,
                    received_time=fields.Datetime.now(),
                )
            )
            return same
        return self.create(
            dict(
                values,
                source=source,
                courier_id=courier.id,
                body=body,
                body_hash=digest,
            )
        )

    @api.model
    def _reasons_text(self, rejected):
        return "\n".join(
            self.env._(
                "Row %(row)s: %(reason)s", row=r["index"] + 1, reason=r["reason"]
            )
            for r in rejected
        )

    def _rows(self):
        """The rows of the stored body, as the controller built them."""
        self.ensure_one()
        if self.source == "kuaidi100":
            push = webhook_core.parse_kuaidi100_push(self.body)
            return [dict(row, courier=self.courier_id.code) for row in push.rows]
        rows = webhook_core.parse_events_body(self.body.encode("utf-8"))
        return webhook_core.with_courier(rows, self.courier_id.code)
