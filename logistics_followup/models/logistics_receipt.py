# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import os

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, config

from ..core import encryption, masking
from ..core import identity as identity_core
from ..core import receipt as receipt_core
from .common import FALLBACK_TZ, client_notification, local_tz_name
from .settings import get_setting

RECEIPT_REQUIREMENT_SELECTION = [
    ("signature", "Signature"),
    ("signature_id", "Signature and ID number"),
    ("seal", "Company seal"),
    ("shipper_document", "Shipper's own document"),
]
RECEIPT_STATE_SELECTION = [
    ("required", "Required"),
    ("signed", "Signed"),
    ("rejected", "Returned for Re-signing"),
    ("sent", "Sent"),
    ("received", "Received"),
    ("verified", "Verified"),
    ("handed_over", "Handed Over"),
    ("missing", "Missing"),
]
# who may read ID numbers in clear (docs/architecture.md "Security", PIPL Art. 51)
CLEAR_ID_GROUPS = (
    "logistics_followup.group_logistics_receipt_clerk,"
    "logistics_followup.group_logistics_supervisor"
)
ID_KEY_OPTION = "logistics_id_key"
ID_KEY_ENV = "LOGISTICS_ID_KEY"


class LogisticsReceipt(models.Model):
    """A signed receipt (回单) to bring back to the origin (R-RC-1..R-RC-9).

    One per waybill whose shipper requires it. ID numbers are stored
    encrypted (``*_id_number_enc``, key from the server configuration) with a
    masked copy for display; the clear value is a non-stored field readable
    by receipt clerks and supervisors only, and every read is logged
    (``logistics.receipt.reveal``).
    """

    _name = "logistics.receipt"
    _description = "Signed Receipt"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id desc"
    _rec_name = "waybill_number"
    _check_company_auto = True

    waybill_id = fields.Many2one(
        comodel_name="logistics.waybill",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    waybill_number = fields.Char(related="waybill_id.number", store=True, index=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        related="waybill_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    requirement = fields.Selection(
        selection=RECEIPT_REQUIREMENT_SELECTION,
        compute="_compute_requirement",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        help="What the shipper requires on the returned receipt, recorded by the "
        "origin station on the waybill.",
    )
    state = fields.Selection(
        selection=RECEIPT_STATE_SELECTION,
        required=True,
        default="required",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Receipt Clerk",
        index="btree_not_null",
        tracking=True,
        domain=lambda self: [
            (
                "all_group_ids",
                "in",
                self.env.ref("logistics_followup.group_logistics_receipt_clerk").ids,
            )
        ],
        help="Chased when the receipt is overdue. Empty: the default clerk of "
        "the settings, else the company's first receipt clerk.",
    )
    location = fields.Char(
        string="Current Holder",
        readonly=True,
        copy=False,
        help="Station or person holding the receipt now.",
    )
    origin_station = fields.Char(related="waybill_id.origin_station")
    destination_station = fields.Char(related="waybill_id.destination_station")
    # consignee (R-RC-3..R-RC-5)
    consignee_name = fields.Char(
        compute="_compute_consignee",
        store=True,
        readonly=False,
        precompute=True,
        help="The waybill's receiver; the ID must match it exactly.",
    )
    consignee_is_company = fields.Boolean(
        string="Consignee is a Company",
        compute="_compute_consignee",
        store=True,
        readonly=False,
        precompute=True,
        # R-RC-5
        help="From the receiver partner: a company signs with its official seal.",
    )
    # signer: the consignee (person) or the picker (company)
    signer_name = fields.Char(tracking=True)
    signer_id_type_id = fields.Many2one(
        comodel_name="logistics.id.document.type", string="Signer ID Type"
    )
    signer_id_photocopy = fields.Boolean(
        string="Signer ID is a Photocopy",
        help="Photocopies are never valid ID.",
    )
    signer_id_number_enc = fields.Char(
        copy=False, prefetch=False, groups="base.group_system"
    )
    signer_id_number_masked = fields.Char(
        string="Signer ID Number", readonly=True, copy=False
    )
    signer_id_number = fields.Char(
        string="Signer ID Number (clear)",
        compute="_compute_id_numbers",
        inverse="_inverse_signer_id_number",
        groups=CLEAR_ID_GROUPS,
        copy=False,
    )
    signer_id_number_entry = fields.Char(
        string="New Signer ID Number",
        compute="_compute_id_number_entries",
        inverse="_inverse_signer_id_number_entry",
        groups=CLEAR_ID_GROUPS,
        copy=False,
        help="Type the number to record or replace it; it is stored encrypted "
        "and shown masked.",
    )
    # delegate pickup (被委托人, R-RC-3)
    is_delegate = fields.Boolean(
        string="Picked Up by a Delegate",
        help="Someone collected for the consignee: both IDs and both numbers are "
        "required, and the delegate signs as delegate.",
    )
    delegate_name = fields.Char()
    delegate_id_type_id = fields.Many2one(
        comodel_name="logistics.id.document.type", string="Delegate ID Type"
    )
    delegate_id_photocopy = fields.Boolean(string="Delegate ID is a Photocopy")
    delegate_id_number_enc = fields.Char(
        copy=False, prefetch=False, groups="base.group_system"
    )
    delegate_id_number_masked = fields.Char(
        string="Delegate ID Number", readonly=True, copy=False
    )
    delegate_id_number = fields.Char(
        string="Delegate ID Number (clear)",
        compute="_compute_id_numbers",
        inverse="_inverse_delegate_id_number",
        groups=CLEAR_ID_GROUPS,
        copy=False,
    )
    delegate_id_number_entry = fields.Char(
        string="New Delegate ID Number",
        compute="_compute_id_number_entries",
        inverse="_inverse_delegate_id_number_entry",
        groups=CLEAR_ID_GROUPS,
        copy=False,
    )
    id_erased_date = fields.Datetime(
        string="ID Numbers Erased On",
        readonly=True,
        copy=False,
        help="The retention period after hand-over ended: the ID numbers were "
        "erased, only their masked form is kept (PIPL Art. 19).",
    )
    # seal (R-RC-5) and documents
    seal_present = fields.Boolean(
        string="Official Seal on the Receipt",
    )
    sealed_authorisation = fields.Boolean(
        string="Sealed Written Authorisation",
        help="A written authorisation bearing the company's official seal, kept "
        "with the receipt, plus the picker's ID.",
    )
    authorisation_attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="logistics_receipt_authorisation_attachment_rel",
        column1="receipt_id",
        column2="attachment_id",
        string="Authorisation Letter",
        copy=False,
    )
    scan_attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="logistics_receipt_scan_attachment_rel",
        column1="receipt_id",
        column2="attachment_id",
        string="Scans",
        copy=False,
    )
    change_proof_attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="logistics_receipt_change_proof_attachment_rel",
        column1="receipt_id",
        column2="attachment_id",
        string="Consignee-Change Proof",
        copy=False,
        help="The shipper's consignee-change proof (收货人更改证明): lifts the "
        "exact name match with the consignee.",
    )
    shipper_document_returned = fields.Boolean(
        string="Shipper's Document Signed",
        help="The shipper's own document came back signed.",
    )
    # dates (R-RC-7, R-RC-8)
    due_date = fields.Date(
        compute="_compute_due_date",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="Arrival (last batch) + 10 / 15 / 20 days for 0 / 1 / 2 transfers, "
        "never more than 25 days (configurable in Settings).",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        readonly=True,
        copy=False,
        default=False,
        help="Not back at the origin by its due date; set by the daily cron.",
    )
    signed_date = fields.Datetime(readonly=True, copy=False)
    sent_date = fields.Datetime(readonly=True, copy=False)
    received_date = fields.Datetime(readonly=True, copy=False)
    verified_date = fields.Datetime(readonly=True, copy=False)
    handed_over_date = fields.Datetime(readonly=True, copy=False, index=True)
    handed_over_to = fields.Char(
        help="The customer or sales owner the receipt was handed to."
    )
    reject_reason = fields.Text(
        string="Reason for Re-signing",
        copy=False,
        help="Why the receipt goes back for re-signing / re-stamping.",
    )
    reject_count = fields.Integer(
        string="Times Returned", readonly=True, copy=False, default=0
    )
    move_ids = fields.One2many(
        comodel_name="logistics.receipt.move",
        inverse_name="receipt_id",
        string="Movements",
        readonly=True,
    )
    violation_text = fields.Text(
        string="Problems", compute="_compute_violation_text", compute_sudo=True
    )

    _waybill_uniq = models.Constraint(
        "UNIQUE(waybill_id)", "This waybill already has a signed receipt."
    )
    # filters of the daily crons (overdue flag, retention)
    _overdue_flag_idx = models.Index(
        "(due_date) WHERE state IN ('required', 'signed', 'rejected', 'sent', "
        "'missing') AND is_overdue IS NOT TRUE"
    )
    _overdue_set_idx = models.Index("(id) WHERE is_overdue")
    _retention_idx = models.Index(
        "(handed_over_date) WHERE state = 'handed_over' AND "
        "(signer_id_number_enc IS NOT NULL OR delegate_id_number_enc IS NOT NULL)"
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("waybill_id.receipt_requirement")
    def _compute_requirement(self):
        for receipt in self:
            receipt.requirement = (
                receipt.waybill_id.receipt_requirement or receipt.requirement
            ) or "signature"

    @api.depends(
        "waybill_id.receiver_partner_id",
        "waybill_id.receiver_partner_id.is_company",
        "waybill_id.receiver_name",
    )
    def _compute_consignee(self):
        for receipt in self:
            partner = receipt.waybill_id.receiver_partner_id
            receipt.consignee_name = (
                receipt.waybill_id.receiver_name or partner.name or False
            )
            receipt.consignee_is_company = bool(partner.is_company)

    @api.depends("waybill_id.arrival_date", "waybill_id.transfer_count")
    def _compute_due_date(self):
        days = self._deadline_days()
        for receipt in self:
            arrival = receipt.waybill_id.arrival_date
            receipt.due_date = receipt_core.return_deadline(
                receipt._local_date(arrival) if arrival else None,
                receipt.waybill_id.transfer_count,
                **days,
            )

    def _compute_id_numbers(self):
        """Clear ID numbers, for clerks and supervisors (the field's groups);
        every record read with a number is logged as a reveal."""
        secret = self._get_id_secret()
        revealed = self.browse()
        for receipt in self:
            stored = receipt.sudo()
            signer = delegate = False
            if stored.signer_id_number_enc or stored.delegate_id_number_enc:
                signer = receipt._decrypt(secret, stored.signer_id_number_enc)
                delegate = receipt._decrypt(secret, stored.delegate_id_number_enc)
                revealed |= receipt
            receipt.signer_id_number = signer
            receipt.delegate_id_number = delegate
        revealed._log_reveal("field")

    def _compute_id_number_entries(self):
        # input only: reading them reveals nothing
        self.signer_id_number_entry = False
        self.delegate_id_number_entry = False

    def _inverse_signer_id_number(self):
        for receipt in self:
            receipt._set_id_number("signer", receipt.signer_id_number)

    def _inverse_delegate_id_number(self):
        for receipt in self:
            receipt._set_id_number("delegate", receipt.delegate_id_number)

    def _inverse_signer_id_number_entry(self):
        for receipt in self.filtered("signer_id_number_entry"):
            receipt._set_id_number("signer", receipt.signer_id_number_entry)

    def _inverse_delegate_id_number_entry(self):
        for receipt in self.filtered("delegate_id_number_entry"):
            receipt._set_id_number("delegate", receipt.delegate_id_number_entry)

    @api.depends(
        "state",
        "requirement",
        "consignee_name",
        "consignee_is_company",
        "signer_name",
        "signer_id_type_id",
        "signer_id_photocopy",
        "signer_id_number_masked",
        "is_delegate",
        "delegate_name",
        "delegate_id_type_id",
        "delegate_id_photocopy",
        "delegate_id_number_masked",
        "seal_present",
        "sealed_authorisation",
        "change_proof_attachment_ids",
        "shipper_document_returned",
    )
    def _compute_violation_text(self):
        secret = self._get_id_secret()
        for receipt in self:
            if receipt.state == "required" or (
                not secret
                and (receipt.signer_id_number_enc or receipt.delegate_id_number_enc)
            ):
                receipt.violation_text = False
                continue
            try:
                violations = receipt._get_violations(secret)
            except UserError as error:
                receipt.violation_text = str(error)
                continue
            messages = receipt._violation_messages(violations)
            receipt.violation_text = "\n".join(messages) or False

    @api.depends("waybill_number", "consignee_name")
    def _compute_display_name(self):
        for receipt in self:
            receipt.display_name = receipt.env._(
                "Receipt %(number)s", number=receipt.waybill_number or ""
            )

    # ------------------------------------------------------------
    # ONCHANGE: ID numbers checked as they are typed (R-RC-2)
    # ------------------------------------------------------------

    @api.onchange("signer_id_number_entry", "signer_id_type_id")
    def _onchange_signer_id_number_entry(self):
        return self._id_number_warning(
            self.signer_id_type_id, self.signer_id_number_entry, "signer"
        )

    @api.onchange("delegate_id_number_entry", "delegate_id_type_id")
    def _onchange_delegate_id_number_entry(self):
        return self._id_number_warning(
            self.delegate_id_type_id, self.delegate_id_number_entry, "delegate"
        )

    def _id_number_warning(self, doc_type, number, role):
        """The warning of an ID number that fails its check
        (``core.receipt.check_typed_id``: the check digit of a resident ID,
        the format of the other documents); signing checks it again."""
        result = receipt_core.check_typed_id(
            doc_type.code, number, fields.Date.context_today(self)
        )
        if result is None or result.valid:
            return None
        reason = self._identity_reasons().get(result.code, result.code)
        if role == "delegate":
            message = self.env._(
                "The delegate's ID number %(number)s is not valid: %(reason)s",
                number=masking.mask_id_number(result.normalized),
                reason=reason,
            )
        else:
            message = self.env._(
                "The ID number %(number)s is not valid: %(reason)s",
                number=masking.mask_id_number(result.normalized),
                reason=reason,
            )
        return {
            "warning": {
                "title": self.env._("Check the ID number"),
                "message": message,
            }
        }

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    # set only from the ID number itself (_set_id_number) and by the erasure:
    # read-only in the views is not enough, an RPC write must fail too
    _PROTECTED_ID_FIELDS = frozenset(
        ("signer_id_number_masked", "delegate_id_number_masked", "id_erased_date")
    )

    def _check_protected_id_fields(self, vals):
        if self.env.su or not self._PROTECTED_ID_FIELDS.intersection(vals):
            return
        raise AccessError(
            self.env._(
                "The masked ID numbers and their erasure date are set from the ID "
                "number itself: they cannot be written."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_protected_id_fields(vals)
        receipts = super().create(vals_list)
        for receipt in receipts:
            if not receipt.location and receipt.origin_station:
                receipt.location = receipt.origin_station
        self.env["logistics.receipt.move"].sudo().create(
            [
                {
                    "receipt_id": receipt.id,
                    "state_to": receipt.state,
                    "location_to": receipt.origin_station or False,
                    "note": self.env._("Receipt required by the shipper."),
                }
                for receipt in receipts
            ]
        )
        return receipts

    def write(self, vals):
        self._check_protected_id_fields(vals)
        if "state" not in vals:
            return super().write(vals)
        vals = dict(vals)
        step = receipt_core.PARCEL_STEPS.get(vals["state"])
        if step:
            self.filtered(lambda r: r.state != vals["state"])._check_parcel_arrived(
                step
            )
        if vals["state"] not in receipt_core.OPEN_STATES:
            vals["is_overdue"] = False
        before = {r.id: (r.state, r.location) for r in self}
        note = self.env.context.get("receipt_move_note")
        res = super().write(vals)
        self.env["logistics.receipt.move"].sudo().create(
            [
                {
                    "receipt_id": receipt.id,
                    "state_from": before[receipt.id][0],
                    "state_to": receipt.state,
                    "location_from": before[receipt.id][1] or False,
                    "location_to": receipt.location or False,
                    "note": note or False,
                }
                for receipt in self
                if before[receipt.id][0] != receipt.state
            ]
        )
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_sign(self):
        """Signed at the destination (R-RC-2..R-RC-5 checked), once the
        parcel is there (R-RC-7)."""
        self._check_state(receipt_core.ACTION_FROM_STATES["sign"])
        self._check_parcel_arrived("sign")
        self._raise_violations()
        for receipt in self:
            receipt.write(
                {
                    "state": "signed",
                    "signed_date": fields.Datetime.now(),
                    "location": receipt.destination_station
                    or self.env._("Destination station"),
                }
            )
        return True

    def action_reject(self):
        """Back to the destination for re-signing, with the reason (R-RC-6)."""
        self._check_state(receipt_core.ACTION_FROM_STATES["reject"])
        for receipt in self:
            reason = receipt.reject_reason or receipt.violation_text
            if not reason:
                raise UserError(
                    self.env._(
                        "%(receipt)s: write why it goes back for re-signing.",
                        receipt=receipt.display_name,
                    )
                )
            receipt.with_context(receipt_move_note=reason).write(
                {
                    "state": "rejected",
                    "reject_reason": reason,
                    "reject_count": receipt.reject_count + 1,
                    "location": receipt.destination_station
                    or self.env._("Destination station"),
                }
            )
            receipt.message_post(
                body=self.env._("Returned for re-signing: %(reason)s", reason=reason)
            )
        return True

    def action_verify(self):
        """Checked at the origin (R-RC-7); refused while rules are broken."""
        self._check_state(receipt_core.ACTION_FROM_STATES["verify"])
        self._raise_violations()
        self.write({"state": "verified", "verified_date": fields.Datetime.now()})
        return True

    def action_hand_over(self):
        """Handed over to the customer or the sales owner (R-RC-7)."""
        self._check_state(receipt_core.ACTION_FROM_STATES["hand_over"])
        for receipt in self:
            if not receipt.handed_over_to:
                raise UserError(
                    self.env._(
                        "%(receipt)s: enter who receives it.",
                        receipt=receipt.display_name,
                    )
                )
            receipt.write(
                {
                    "state": "handed_over",
                    "handed_over_date": fields.Datetime.now(),
                    "location": receipt.handed_over_to,
                }
            )
        return True

    def action_mark_missing(self):
        self._check_state(receipt_core.ACTION_FROM_STATES["mark_missing"])
        self.write({"state": "missing"})
        return True

    def action_found(self):
        """A missing receipt turned up at the origin."""
        self._check_state(receipt_core.ACTION_FROM_STATES["found"])
        for receipt in self:
            receipt.write(
                {
                    "state": "received",
                    "received_date": fields.Datetime.now(),
                    "location": receipt.origin_station or self.env._("Origin station"),
                }
            )
        return True

    def action_show_id_numbers(self):
        """The "Show ID" button: clear numbers in a notification, logged."""
        self.ensure_one()
        if not self.env.user.has_groups(CLEAR_ID_GROUPS):
            raise AccessError(
                self.env._("Only receipt clerks and supervisors may see ID numbers.")
            )
        secret = self._get_id_secret()
        stored = self.sudo()
        signer = self._decrypt(secret, stored.signer_id_number_enc)
        delegate = self._decrypt(secret, stored.delegate_id_number_enc)
        self._log_reveal("button")
        lines = [self.env._("Signer: %(number)s", number=signer or "-")]
        if self.is_delegate or delegate:
            lines.append(self.env._("Delegate: %(number)s", number=delegate or "-"))
        return client_notification(
            "\n".join(lines),
            title=self.env._("ID numbers of %(receipt)s", receipt=self.display_name),
            kind="warning",
            sticky=True,
        )

    def action_view_waybill(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.waybill",
            "view_mode": "form",
            "res_id": self.waybill_id.id,
        }

    # ------------------------------------------------------------
    # VALIDATION (core.receipt)
    # ------------------------------------------------------------

    def _check_parcel_arrived(self, step):
        """R-RC-7: a receipt is signed (then received at the origin, then
        handed over) only once its parcel has arrived at its delivering
        station or been delivered (``core.receipt.parcel_ready``); the error
        names every receipt refused and its parcel's state."""
        labels = dict(
            self.env["logistics.waybill"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        problems = []
        for receipt in self:
            waybill = receipt.sudo().waybill_id
            if receipt_core.parcel_ready(waybill.state, bool(waybill.arrival_date)):
                continue
            values = {
                "receipt": receipt.display_name,
                "state": labels.get(waybill.state, waybill.state or "-"),
            }
            if step == "receive":
                problems.append(
                    self.env._(
                        "%(receipt)s cannot be received yet: its parcel is %(state)s.",
                        **values,
                    )
                )
            elif step == "hand_over":
                problems.append(
                    self.env._(
                        "%(receipt)s cannot be handed over yet: its parcel is "
                        "%(state)s.",
                        **values,
                    )
                )
            else:
                problems.append(
                    self.env._(
                        "%(receipt)s cannot be signed yet: its parcel is %(state)s.",
                        **values,
                    )
                )
        if problems:
            raise UserError(
                "\n".join(
                    [
                        *problems,
                        self.env._(
                            "A receipt is signed once its parcel has arrived at the "
                            "delivering station or been delivered."
                        ),
                    ]
                )
            )

    def _check_state(self, allowed):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for receipt in self:
            if receipt.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(receipt)s is %(state)s: this step needs it to be "
                        "%(allowed)s.",
                        receipt=receipt.display_name,
                        state=labels[receipt.state],
                        allowed=" / ".join(labels[s] for s in allowed),
                    )
                )

    @api.model
    def _accepted_document_types(self):
        return frozenset(
            self.env["logistics.id.document.type"]
            .sudo()
            .search([("accepted", "=", True)])
            .mapped("code")
        )

    def _get_violations(self, secret=None, accepted=None):
        """``core.receipt.validate_receipt`` on this receipt."""
        self.ensure_one()
        stored = self.sudo()
        if accepted is None:
            accepted = self._accepted_document_types()
        if secret is None:
            secret = self._get_id_secret()
        data = receipt_core.ReceiptData(
            requirement=self.requirement,
            consignee_name=self.consignee_name or "",
            consignee_is_company=self.consignee_is_company,
            signer_name=self.signer_name or "",
            signer_id_type=stored.signer_id_type_id.code or "",
            signer_id_number=self._decrypt(secret, stored.signer_id_number_enc) or "",
            signer_id_photocopy=self.signer_id_photocopy,
            is_delegate=self.is_delegate,
            delegate_name=self.delegate_name or "",
            delegate_id_type=stored.delegate_id_type_id.code or "",
            delegate_id_number=self._decrypt(secret, stored.delegate_id_number_enc)
            or "",
            delegate_id_photocopy=self.delegate_id_photocopy,
            seal_present=self.seal_present,
            sealed_authorisation=self.sealed_authorisation,
            consignee_change_proof=bool(self.change_proof_attachment_ids),
            shipper_document_returned=self.shipper_document_returned,
            accepted_types=accepted,
        )
        today = fields.Date.context_today(self)
        return receipt_core.validate_receipt(data, today)

    def _raise_violations(self):
        secret = self._get_id_secret()
        accepted = self._accepted_document_types()
        problems = []
        for receipt in self:
            messages = receipt._violation_messages(
                receipt._get_violations(secret, accepted)
            )
            if messages:
                problems.append(
                    self.env._(
                        "%(receipt)s:\n%(problems)s",
                        receipt=receipt.display_name,
                        problems="\n".join(f"- {m}" for m in messages),
                    )
                )
        if problems:
            raise ValidationError("\n\n".join(problems))

    def _violation_messages(self, violations):
        """Translated text of ``core.receipt`` violation codes."""
        roles = {
            "signer": self.env._("the consignee's (or picker's) ID"),
            "delegate": self.env._("the delegate's ID"),
        }
        missing_labels = {
            "consignee_id": self.env._("the consignee's ID type and number"),
            "delegate_name": self.env._("the delegate's name"),
            "delegate_id": self.env._("the delegate's ID type and number"),
        }
        doc_types = {
            t.code: t.name
            for t in self.env["logistics.id.document.type"]
            .sudo()
            .with_context(active_test=False)
            .search([])
        }
        reasons = self._identity_reasons()
        messages = []
        for violation in violations:
            params = violation.params
            role = roles.get(params.get("role"), "")
            code = violation.code
            if code == "signer_missing":
                msg = self.env._("Nobody signed: the signer's name is missing.")
            elif code == "id_missing":
                msg = self.env._(
                    "The type and number of %(role)s are required.", role=role
                )
            elif code == "id_type_not_accepted":
                msg = self.env._(
                    "%(doc_type)s is not accepted as valid ID (%(role)s).",
                    doc_type=doc_types.get(params["doc_type"], params["doc_type"]),
                    role=role,
                )
            elif code == "id_photocopy":
                msg = self.env._(
                    "A photocopy is never valid ID (%(role)s).",
                    role=role,
                )
            elif code == "id_number_invalid":
                msg = self.env._(
                    "The number of %(role)s is not valid: %(reason)s",
                    role=role,
                    reason=reasons.get(params.get("reason"), params.get("reason")),
                )
            elif code == "name_mismatch":
                msg = self.env._(
                    "The signer's name %(signer)s differs from the consignee "
                    "%(consignee)s: the shipper must provide a consignee-change "
                    "proof.",
                    signer=params["signer"],
                    consignee=params["consignee"],
                )
            elif code == "delegate_incomplete":
                msg = self.env._(
                    "Pickup by a delegate needs %(missing)s.",
                    missing=", ".join(
                        missing_labels[m] for m in params.get("missing", ())
                    ),
                )
            elif code == "seal_missing":
                msg = self.env._(
                    "The official seal is required: stamped on the receipt, or a "
                    "written authorisation bearing the seal plus the picker's ID."
                )
            elif code == "shipper_document_missing":
                msg = self.env._("The shipper's own document has not come back signed.")
            else:  # pragma: no cover - every code of core.receipt is listed
                msg = code
            messages.append(msg)
        return messages

    def _identity_reasons(self):
        return {
            "empty": self.env._("nothing entered."),
            "format": self.env._("its format is wrong."),
            "legacy_15": self.env._(
                "15-digit numbers have no check digit; use the 18-character number."
            ),
            "region": self.env._("the leading region code is impossible."),
            "birth_date": self.env._("the birth date in it is not a real date."),
            "check_digit": self.env._("the check digit does not match."),
            "too_long": self.env._("it is too long."),
            "unknown_type": self.env._("unknown document type."),
        }

    # ------------------------------------------------------------
    # ID NUMBERS: encryption at rest, reveal log
    # ------------------------------------------------------------

    @api.model
    def _get_id_secret(self):
        """The encryption secret: option ``logistics_id_key`` of the [options]
        section of the server configuration file (Odoo keeps unknown options
        as they are), else the environment variable ``LOGISTICS_ID_KEY``.
        Never read from the database."""
        return config.get(ID_KEY_OPTION) or os.environ.get(ID_KEY_ENV) or ""

    def _key_error(self, code):
        if code in ("no_key", "weak_key"):
            return UserError(
                self.env._(
                    "ID numbers are stored encrypted and no usable key is "
                    "configured. Set the option %(option)s (at least %(length)s "
                    "random characters) in the [options] section of the Odoo "
                    "configuration file, or the environment variable %(env)s, and "
                    "restart the server.",
                    option=ID_KEY_OPTION,
                    length=encryption.MIN_SECRET_LENGTH,
                    env=ID_KEY_ENV,
                )
            )
        return UserError(
            self.env._(
                "An ID number cannot be decrypted: the configured key %(option)s is "
                "not the one it was stored with.",
                option=ID_KEY_OPTION,
            )
        )

    def _decrypt(self, secret, token):
        if not token:
            return False
        try:
            return encryption.decrypt(secret, token)
        except encryption.EncryptionError as error:
            raise self._key_error(error.code) from None

    def _set_id_number(self, role, clear):
        """Encrypt ``clear`` into ``<role>_id_number_enc`` and keep its masked
        form; empty clears both. Raises before writing anything without a
        key: clear text is never stored."""
        self.ensure_one()
        if clear:
            doc_type = self[f"{role}_id_type_id"].code
            if doc_type:
                number = identity_core.validate_document(doc_type, clear).normalized
            else:
                number = identity_core.normalize_number(clear)
            try:
                token = encryption.encrypt(self._get_id_secret(), number)
            except encryption.EncryptionError as error:
                raise self._key_error(error.code) from None
            values = {
                f"{role}_id_number_enc": token,
                f"{role}_id_number_masked": masking.mask_id_number(number),
                "id_erased_date": False,
            }
        else:
            values = {f"{role}_id_number_enc": False, f"{role}_id_number_masked": False}
        self.sudo().write(values)

    def _log_reveal(self, how):
        if not self:
            return
        self.env["logistics.receipt.reveal"].sudo().create(
            [
                {"receipt_id": receipt.id, "user_id": self.env.uid, "method": how}
                for receipt in self
            ]
        )

    # ------------------------------------------------------------
    # DEADLINES AND CRONS (R-RC-8, PIPL Art. 19)
    # ------------------------------------------------------------

    @api.model
    def _deadline_days(self):
        days = {}
        for key in receipt_core.DEFAULT_DEADLINE_DAYS:
            value = get_setting(self.env, f"receipt_days_{key}")
            days["maximum" if key == "max" else key] = value
        return days

    def _local_date(self, value):
        """The calendar day of a UTC datetime where the company is (its
        partner's time zone, else the user's, else China)."""
        tz_name = local_tz_name(self.env, self.company_id.partner_id.tz)
        try:
            tz = pytz.timezone(tz_name)
        except pytz.UnknownTimeZoneError:
            tz = pytz.timezone(FALLBACK_TZ)
        return pytz.utc.localize(value).astimezone(tz).date()

    @api.model
    def _cron_flag_overdue(self):
        """Daily (R-RC-8): flag receipts not back by their due date, unflag
        the others, then schedule one chase activity per overdue receipt
        that has none open. Set-based, safe to rerun."""
        self.env.flush_all()
        today = fields.Date.context_today(self)
        open_states = list(receipt_core.OPEN_STATES)
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_receipt SET is_overdue = TRUE "
                "WHERE state IN ('required', 'signed', 'rejected', 'sent', "
                "'missing') AND is_overdue IS NOT TRUE AND due_date < %(today)s",
                today=today,
            )
        )
        flagged = self.env.cr.rowcount
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_receipt SET is_overdue = FALSE WHERE is_overdue "
                "AND (state != ALL(%(open)s) OR due_date IS NULL "
                "OR due_date >= %(today)s)",
                open=open_states,
                today=today,
            )
        )
        self.invalidate_model(["is_overdue"])
        self._schedule_chase_activities()
        return flagged

    @api.model
    def _schedule_chase_activities(self):
        activity_type = self.env.ref(
            "logistics_followup.mail_activity_type_receipt_chase"
        )
        self.env.cr.execute(
            SQL(
                "SELECT r.id, r.user_id, r.company_id FROM logistics_receipt r "
                "WHERE r.is_overdue AND NOT EXISTS (SELECT 1 FROM mail_activity a "
                "WHERE a.res_model = %(model)s AND a.res_id = r.id "
                "AND a.activity_type_id = %(type)s AND a.active) ORDER BY r.id",
                model=self._name,
                type=activity_type.id,
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return self.env["mail.activity"]
        model_id = self.env["ir.model"]._get_id(self._name)
        defaults = {}
        today = fields.Date.context_today(self)
        values = []
        for receipt_id, user_id, company_id in rows:
            if not user_id:
                if company_id not in defaults:
                    defaults[company_id] = self._default_clerk(company_id)
                user_id = defaults[company_id]
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": receipt_id,
                    "activity_type_id": activity_type.id,
                    "user_id": user_id or self.env.uid,
                    "date_deadline": today,
                    "summary": self.env._("Chase the overdue signed receipt"),
                }
            )
        return self.env["mail.activity"].sudo().create(values)

    @api.model
    def _default_clerk(self, company_id):
        """Settings' default clerk, else the company's first receipt clerk."""
        clerk_id = get_setting(self.env, "receipt_clerk_id")
        if clerk_id and clerk_id > 0:
            user = self.env["res.users"].sudo().browse(clerk_id).exists()
            if user and user.active:
                return user.id
        group = self.env.ref("logistics_followup.group_logistics_receipt_clerk")
        user = (
            self.env["res.users"]
            .sudo()
            .search(
                [("all_group_ids", "in", group.ids), ("company_ids", "in", company_id)],
                order="id",
                limit=1,
            )
        )
        return user.id or False

    @api.model
    def _cron_erase_id_numbers(self):
        """PIPL Art. 19: erase the ID numbers N days (Settings) after
        hand-over; the masked form stays. One UPDATE over the partial
        index."""
        days = get_setting(self.env, "receipt_id_retention_days")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_receipt SET signer_id_number_enc = NULL, "
                "delegate_id_number_enc = NULL, "
                "id_erased_date = now() at time zone 'UTC' "
                "WHERE state = 'handed_over' AND (signer_id_number_enc IS NOT NULL "
                "OR delegate_id_number_enc IS NOT NULL) AND handed_over_date < "
                "(now() at time zone 'UTC') - make_interval(days => %(days)s)",
                days=days,
            )
        )
        erased = self.env.cr.rowcount
        self.invalidate_model(
            ["signer_id_number_enc", "delegate_id_number_enc", "id_erased_date"]
        )
        return erased

    @api.model
    def _recompute_due_dates(self, waybill_ids):
        """Waybills whose arrival date was written in SQL (ingestion): their
        receipts' due dates follow (R-RC-8)."""
        receipts = self.sudo().search([("waybill_id", "in", list(waybill_ids))])
        if receipts:
            self.env.add_to_compute(self._fields["due_date"], receipts)
            receipts.flush_recordset(["due_date"])

    @api.model
    def _demo_set_id_numbers(self, numbers):
        """Demo data: ID numbers only when a key is configured (else the demo
        receipts carry none). ``numbers``: {xmlid: (signer, delegate)}."""
        if not self._get_id_secret():
            return False
        for xmlid, (signer, delegate) in numbers.items():
            receipt = self.env.ref(xmlid, raise_if_not_found=False)
            if receipt:
                if signer:
                    receipt._set_id_number("signer", signer)
                if delegate:
                    receipt._set_id_number("delegate", delegate)
        return True
