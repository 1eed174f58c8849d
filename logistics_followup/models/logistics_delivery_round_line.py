# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..core import delivery as delivery_core

REASON_SELECTION = [
    ("nobody_home", "Nobody home"),
    ("refused", "Refused by the receiver"),
    ("bad_address", "Wrong or incomplete address"),
    ("phone_unreachable", "Phone unreachable"),
    ("appointment", "Receiver asked for an appointment"),
    ("damaged", "Damaged parcel"),
    ("other", "Other"),
]
DISPOSITION_SELECTION = [
    ("next_round", "Re-deliver next round"),
    ("another_day", "Re-deliver another day (appointment)"),
    ("return", "Cannot deliver: return to sender"),
    ("hold", "Cannot deliver: hold at the station"),
]


class LogisticsDeliveryRoundLine(models.Model):
    """One undelivered parcel of a delivery round report (R-PP-1)."""

    _name = "logistics.delivery.round.line"
    _description = "Undelivered Parcel of a Delivery Round"
    _order = "round_id, sequence, id"
    _check_company_auto = True

    round_id = fields.Many2one(
        comodel_name="logistics.delivery.round",
        string="Round Report",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    waybill_id = fields.Many2one(
        comodel_name="logistics.waybill",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    reason = fields.Selection(selection=REASON_SELECTION, string="Exception Reason")
    note = fields.Char(help="Required when the reason is 'Other'.")
    exception_signed = fields.Boolean(
        help="The courier signed the parcel off as an exception (异常签收).",
    )
    exception_signed_time = fields.Datetime(
        string="Signed Off At",
        compute="_compute_exception_signed_time",
        store=True,
        readonly=False,
    )
    disposition = fields.Selection(selection=DISPOSITION_SELECTION)
    appointment_date = fields.Date(
        help="Agreed delivery day when re-delivered another day (预约派送)."
    )
    storage_place = fields.Char(
        help="Where the parcel is kept at the station (shelf, cage, bin), so it "
        "is found fast when the shipper or receiver calls (归类存放).",
    )
    state = fields.Selection(related="round_id.state", store=True, index=True)
    round_end = fields.Datetime(related="round_id.round_end", store=True)
    station = fields.Char(related="round_id.station")
    courier_partner_id = fields.Many2one(related="round_id.courier_partner_id")
    company_id = fields.Many2one(
        related="round_id.company_id", store=True, index=True, precompute=True
    )

    _round_waybill_uniq = models.Constraint(
        "UNIQUE(round_id, waybill_id)",
        "A waybill is listed once per delivery round report.",
    )

    @api.depends("exception_signed")
    def _compute_exception_signed_time(self):
        for line in self:
            if not line.exception_signed:
                line.exception_signed_time = False
            elif not line.exception_signed_time:
                line.exception_signed_time = fields.Datetime.now()

    # ------------------------------------------------------------
    # CRUD: a submitted report is frozen
    # ------------------------------------------------------------

    def _check_round_editable(self, rounds):
        if "submitted" in rounds.mapped("state"):
            raise UserError(
                self.env._(
                    "The lines of a submitted delivery round report cannot be "
                    "changed; ask a supervisor to reset it to draft."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_round_editable(
            self.env["logistics.delivery.round"].browse(
                {vals["round_id"] for vals in vals_list if vals.get("round_id")}
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        rounds = self.round_id
        if vals.get("round_id"):
            rounds |= rounds.browse(vals["round_id"])
        self._check_round_editable(rounds)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_round_draft(self):
        self._check_round_editable(self.round_id)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _to_core(self):
        self.ensure_one()
        return delivery_core.ReportLine(
            reason=self.reason or None,
            note=self.note,
            signed=self.exception_signed,
            signed_at=self.exception_signed_time or None,
            disposition=self.disposition or None,
            appointment_date=self.appointment_date or None,
            storage_place=self.storage_place,
        )

    @api.model
    def _fault_labels(self):
        """Translated text of each code of ``core.delivery.check_line``."""
        labels = {}
        labels["missing_reason"] = self.env._("no exception reason")
        labels["missing_note"] = self.env._("the reason 'Other' needs a note")
        labels["not_signed"] = self.env._("no exception sign-off")
        labels["missing_sign_time"] = self.env._("no sign-off time")
        labels["missing_disposition"] = self.env._("no disposition")
        labels["missing_appointment"] = self.env._(
            "re-delivery another day needs an appointment date"
        )
        labels["appointment_too_early"] = self.env._(
            "the appointment must be after the round's day"
        )
        labels["missing_storage_place"] = self.env._("no storage place")
        return labels
