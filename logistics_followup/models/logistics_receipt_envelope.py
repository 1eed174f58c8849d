# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..core import receipt as receipt_core


class LogisticsReceiptEnvelope(models.Model):
    """A sealed envelope of signed receipts sent back to the origin (R-RC-7).

    The destination station lists the receipts it packs (count and waybill
    numbers, printable), seals and sends it; the origin receives it, enters
    or scans the numbers found inside and checks them against the list:
    missing receipts become ``missing``, extra ones are reported.
    """

    _name = "logistics.receipt.envelope"
    _description = "Signed Receipt Envelope"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("sent", "Sealed and Sent"),
            ("received", "Received"),
            ("checked", "Checked"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    from_station = fields.Char(
        string="Packed At", help="The destination station that signs the receipts."
    )
    to_station = fields.Char(string="Sent To", help="The origin station.")
    line_ids = fields.One2many(
        comodel_name="logistics.receipt.envelope.line",
        inverse_name="envelope_id",
        string="Receipts",
        copy=False,
    )
    receipt_count = fields.Integer(
        string="Receipts Listed", compute="_compute_counts", store=True
    )
    missing_count = fields.Integer(compute="_compute_counts", store=True)
    extra_count = fields.Integer(compute="_compute_counts", store=True)
    sent_date = fields.Datetime(readonly=True, copy=False)
    received_date = fields.Datetime(readonly=True, copy=False)
    checked_date = fields.Datetime(readonly=True, copy=False)
    found_numbers = fields.Text(
        string="Numbers Found Inside",
        copy=False,
        help="Scan or type the waybill numbers of the receipts found in the "
        "envelope, one per line (or separated by spaces or commas).",
    )

    # ------------------------------------------------------------
    # COMPUTES / CRUD
    # ------------------------------------------------------------

    @api.depends("line_ids.listed", "line_ids.result")
    def _compute_counts(self):
        for envelope in self:
            lines = envelope.line_ids
            envelope.receipt_count = len(lines.filtered("listed"))
            envelope.missing_count = len(
                lines.filtered(lambda line: line.result == "missing")
            )
            envelope.extra_count = len(
                lines.filtered(lambda line: line.result == "extra")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("logistics.receipt.envelope")
                    or "/"
                )
        return super().create(vals_list)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _check_state(self, allowed):
        for envelope in self:
            if envelope.state != allowed:
                raise UserError(
                    self.env._(
                        "Envelope %(envelope)s is not in the right state for this "
                        "step.",
                        envelope=envelope.name,
                    )
                )

    def action_add_signed(self):
        """List every signed receipt of the packing station that is in no
        other open envelope."""
        self._check_state("draft")
        Line = self.env["logistics.receipt.envelope.line"]
        for envelope in self:
            domain = [
                ("state", "=", "signed"),
                ("company_id", "=", envelope.company_id.id),
                ("id", "not in", envelope.line_ids.receipt_id.ids),
            ]
            if envelope.from_station:
                domain.append(("destination_station", "=", envelope.from_station))
            receipts = self.env["logistics.receipt"].search(domain)
            busy = Line.search(
                [
                    ("receipt_id", "in", receipts.ids),
                    ("envelope_id.state", "in", ("draft", "sent")),
                ]
            ).receipt_id
            Line.create(
                [
                    {"envelope_id": envelope.id, "receipt_id": receipt.id}
                    for receipt in receipts - busy
                ]
            )
        return True

    def action_send(self):
        """Seal and send: the listed receipts become ``sent``."""
        self._check_state("draft")
        for envelope in self:
            receipts = envelope.line_ids.filtered("listed").receipt_id
            if not receipts:
                raise UserError(
                    self.env._(
                        "Envelope %(envelope)s lists no receipt.",
                        envelope=envelope.name,
                    )
                )
            not_signed = receipts.filtered(lambda r: r.state != "signed")
            if not_signed:
                raise UserError(
                    self.env._(
                        "Only signed receipts can be sent; not signed: %(numbers)s",
                        numbers=", ".join(not_signed.mapped("waybill_number")),
                    )
                )
            receipts.with_context(
                receipt_move_note=self.env._(
                    "Sent in envelope %(envelope)s", envelope=envelope.name
                )
            ).write(
                {
                    "state": "sent",
                    "sent_date": fields.Datetime.now(),
                    "location": self.env._(
                        "Envelope %(envelope)s", envelope=envelope.name
                    ),
                }
            )
            envelope.write({"state": "sent", "sent_date": fields.Datetime.now()})
        return True

    def action_receive(self):
        """The envelope arrived at the origin, still sealed."""
        self._check_state("sent")
        self.write({"state": "received", "received_date": fields.Datetime.now()})
        return True

    def action_check(self):
        """Compare the list with the numbers found inside (R-RC-7)."""
        self._check_state("received")
        Receipt = self.env["logistics.receipt"]
        for envelope in self:
            found = receipt_core.parse_numbers(envelope.found_numbers)
            if not found:
                raise UserError(
                    self.env._(
                        "Enter the waybill numbers of the receipts found in envelope "
                        "%(envelope)s.",
                        envelope=envelope.name,
                    )
                )
            listed_lines = envelope.line_ids.filtered("listed")
            by_number = {
                receipt_core.normalize_waybill_number(line.waybill_number): line
                for line in listed_lines
            }
            check = receipt_core.check_envelope(by_number, found)
            ok_lines = listed_lines.browse([by_number[n].id for n in check.matched])
            missing_lines = listed_lines.browse(
                [by_number[n].id for n in check.missing]
            )
            ok_lines.write({"found": True, "result": "ok"})
            missing_lines.write({"found": False, "result": "missing"})
            location = envelope.to_station or self.env._("Origin station")
            ok_lines.receipt_id.filtered(lambda r: r.state == "sent").with_context(
                receipt_move_note=self.env._(
                    "Found in envelope %(envelope)s", envelope=envelope.name
                )
            ).write(
                {
                    "state": "received",
                    "received_date": fields.Datetime.now(),
                    "location": location,
                }
            )
            missing_lines.receipt_id.filtered(lambda r: r.state == "sent").with_context(
                receipt_move_note=self.env._(
                    "Listed but not found in envelope %(envelope)s",
                    envelope=envelope.name,
                )
            ).write({"state": "missing"})
            extras = Receipt.search(
                [
                    ("waybill_number", "in", list(check.extra)),
                    ("company_id", "=", envelope.company_id.id),
                ]
            )
            extra_by_number = {r.waybill_number: r for r in extras}
            self.env["logistics.receipt.envelope.line"].create(
                [
                    {
                        "envelope_id": envelope.id,
                        "receipt_id": extra_by_number[n].id
                        if n in extra_by_number
                        else False,
                        "waybill_number": n,
                        "listed": False,
                        "found": True,
                        "result": "extra",
                    }
                    for n in check.extra
                ]
            )
            envelope.write({"state": "checked", "checked_date": fields.Datetime.now()})
            envelope.message_post(body=envelope._check_summary(check))
        return True

    def _check_summary(self, check):
        body = Markup("<p>%s</p>") % self.env._(
            "Checked: %(ok)s of %(listed)s listed receipts found.",
            ok=len(check.matched),
            listed=len(check.matched) + len(check.missing),
        )
        if check.missing:
            body += Markup("<p>%s</p>") % self.env._(
                "Missing (set to missing, to chase with the station): %(numbers)s",
                numbers=", ".join(check.missing),
            )
        if check.extra:
            body += Markup("<p>%s</p>") % self.env._(
                "Extra, not on the list: %(numbers)s", numbers=", ".join(check.extra)
            )
        return body
