# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import html2plaintext

from ..core import problem as problem_core
from ..core import reply as reply_core
from ..core import reporting as reporting_core
from ..core import ticketing as ticketing_core
from .common import client_notification, count_by
from .logistics_problem_type import KIND_SELECTION
from .settings import get_setting

SIGNED_CASE_SELECTION = [
    ("early_signing", "Signed before delivery (false signing)"),
    ("proxy_no_notice", "Left with a doorman, neighbour or property office"),
    ("locker_no_consent", "Dropped in a locker or station without consent"),
    ("delivered_found", "Delivered, the receiver found it"),
    ("other", "Other"),
]
DEADLINE_STATE_SELECTION = [
    ("none", "No Deadline"),
    ("ok", "On Time"),
    ("warning", "Due Soon"),
    ("overdue", "Overdue"),
]
COMPENSATION_BASIS_SELECTION = [
    ("insured_total", "Insured, total loss: the insured amount"),
    ("insured_partial", "Insured, partial loss: in proportion"),
    ("uninsured_actual", "Uninsured: the actual loss"),
    ("uninsured_capped", "Uninsured: capped at a multiple of the freight"),
]
# where the partner a reply goes to comes from (reply_partner_id)
REPLY_PARTNER_PATHS = (
    "partner_id",
    "waybill_id.sender_partner_id",
    "waybill_id.receiver_partner_id",
)
# facts of third parties, internal analysis and money: never for portal users
INTERNAL = "base.group_user"


class HelpdeskTicket(models.Model):
    """Chases, problem parcels and complaints as helpdesk tickets.

    R-WB-1 (required facts before the first stage is left), R-PP-1..10
    (problem types, checklists, deadlines, detection), R-CP-1..3 (closed
    loop, response targets), compensation (REFERENCE.md 6.3).

    Naming rule of the fields this addon adds to ``helpdesk.ticket``: no
    prefix (``waybill_id``, ``sender_phone``, ``revisit_ids``...), except
    ``logistics_`` where the bare name would clash with, or read as, a
    generic helpdesk notion of helpdesk_mgmt or its OCA siblings:
    ``logistics_kind`` (not helpdesk_type's ``type_id``),
    ``logistics_deadline`` (not an SLA deadline), ``logistics_slot`` (not an
    appointment slot), ``logistics_open`` (not the negation of
    helpdesk_mgmt's ``closed``: also active).
    """

    _inherit = "helpdesk.ticket"

    logistics_kind = fields.Selection(
        KIND_SELECTION,
        tracking=True,
        help="Set for logistics tickets: they must know the waybill, both "
        "addresses and both phones before leaving their first stage.",
    )
    waybill_id = fields.Many2one(
        "logistics.waybill",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        groups=INTERNAL,
    )
    waybill_state = fields.Selection(
        related="waybill_id.state", string="Parcel State", groups=INTERNAL
    )
    waybill_overdue = fields.Boolean(
        related="waybill_id.is_overdue", string="Beyond Transit Time", groups=INTERNAL
    )
    problem_type_id = fields.Many2one(
        "logistics.problem.type",
        index="btree_not_null",
        tracking=True,
        groups=INTERNAL,
    )
    compensation_possible = fields.Boolean(
        related="problem_type_id.compensation_possible", groups=INTERNAL
    )
    # R-WB-1 facts, filled from the waybill, editable when it does not know them
    sender_address = fields.Char(
        compute="_compute_waybill_facts", store=True, readonly=False, groups=INTERNAL
    )
    sender_phone = fields.Char(
        compute="_compute_waybill_facts", store=True, readonly=False, groups=INTERNAL
    )
    receiver_address = fields.Char(
        compute="_compute_waybill_facts", store=True, readonly=False, groups=INTERNAL
    )
    receiver_phone = fields.Char(
        compute="_compute_waybill_facts", store=True, readonly=False, groups=INTERNAL
    )
    missing_facts = fields.Char(
        compute="_compute_missing_facts",
        help="What the ticket must still record before it can move on.",
        groups=INTERNAL,
    )
    step_ids = fields.One2many(
        "logistics.ticket.step",
        "ticket_id",
        string="Checklist",
        copy=True,
        groups=INTERNAL,
    )
    step_progress = fields.Float(
        string="Checklist Progress", compute="_compute_step_progress", groups=INTERNAL
    )
    logistics_deadline = fields.Datetime(string="Deadline", tracking=True, copy=False)
    deadline_state = fields.Selection(
        DEADLINE_STATE_SELECTION,
        compute="_compute_deadline_state",
        search="_search_deadline_state",
    )
    logistics_slot = fields.Char(
        compute="_compute_logistics_slot",
        store=True,
        help="At most one open ticket per waybill and slot: the problem type, "
        "else the kind for chases and complaints.",
        groups=INTERNAL,
    )
    portal_shared = fields.Boolean(
        string="Shared with the Customer",
        tracking=True,
        copy=False,
        help="Shown to the customer in the portal. Tickets the customer opened "
        "are shared; tickets opened by agents or by the detection stay "
        "internal until an agent shares them.",
    )
    logistics_open = fields.Boolean(
        string="Open Logistics Ticket",
        compute="_compute_logistics_open",
        store=True,
        help="Open (not in a closed stage, not archived): at most one open "
        "ticket per waybill and problem type.",
    )
    appointment_date = fields.Datetime(
        string="Appointment", tracking=True, help="预约派送: agreed delivery time."
    )
    responsible_station_id = fields.Many2one(
        "res.partner", tracking=True, groups=INTERNAL
    )
    responsible_courier_id = fields.Many2one(
        "res.partner", tracking=True, groups=INTERNAL
    )
    root_cause = fields.Text(
        tracking=True, help="Required to close a complaint.", groups=INTERNAL
    )
    # R-CP-6: a structured cause and the station it is counted against
    cause_id = fields.Many2one(
        "logistics.cause",
        index="btree_not_null",
        tracking=True,
        help="Proposed by the problem type; required to close a complaint. "
        "The root cause keeps the detail.",
        groups=INTERNAL,
    )
    responsible_station = fields.Char(
        string="Station in Reports",
        compute="_compute_responsible_station",
        store=True,
        index="btree_not_null",
        help="The station chased when there is one, else the parcel's "
        "delivering station, else its origin station: what the reports "
        "group by.",
        groups=INTERNAL,
    )
    reopen_count = fields.Integer(
        string="Reopened", readonly=True, copy=False, groups=INTERNAL
    )
    signed_case = fields.Selection(
        SIGNED_CASE_SELECTION,
        string="Signed but Not Received",
        tracking=True,
        help="What happened to a parcel shown as signed.",
        groups=INTERNAL,
    )
    # R-PP-4: a type-1 message returns the parcel once its deadline passes
    parcel_returned_date = fields.Datetime(
        string="Return Recorded On", readonly=True, copy=False, groups=INTERNAL
    )
    # detection
    detected_date = fields.Datetime(
        string="Detected On", readonly=True, copy=False, groups=INTERNAL
    )
    detection_key = fields.Char(readonly=True, copy=False, groups=INTERNAL)
    # R-CP-3 response targets
    response_target_id = fields.Many2one(
        "logistics.response.target", readonly=True, copy=False, groups=INTERNAL
    )
    first_response_deadline = fields.Datetime(
        string="Answer Due", readonly=True, copy=False, groups=INTERNAL
    )
    first_response_date = fields.Datetime(
        string="Answered On", readonly=True, copy=False, groups=INTERNAL
    )
    response_breached = fields.Boolean(
        string="Response Target Missed", readonly=True, copy=False, groups=INTERNAL
    )
    response_overdue = fields.Boolean(
        string="Answer Overdue",
        compute="_compute_response_overdue",
        search="_search_response_overdue",
        help="Missed its response target, or still unanswered past the due "
        "time: true from the minute the due time passes.",
        groups=INTERNAL,
    )
    # compensation
    currency_id = fields.Many2one(related="company_id.currency_id")
    insured = fields.Boolean(string="Insured (保价)", groups=INTERNAL)
    insured_amount = fields.Monetary(currency_field="currency_id", groups=INTERNAL)
    declared_value = fields.Monetary(
        currency_field="currency_id",
        help="The full value of the goods.",
        groups=INTERNAL,
    )
    freight_amount = fields.Monetary(
        string="Freight", currency_field="currency_id", groups=INTERNAL
    )
    actual_loss = fields.Monetary(currency_field="currency_id", groups=INTERNAL)
    partial_loss = fields.Boolean(
        help="Partial damage or missing contents, not a total loss.", groups=INTERNAL
    )
    cap_waived = fields.Boolean(
        help="Intentional damage or gross negligence: the uninsured cap does "
        "not apply (Postal Law Art. 47).",
        groups=INTERNAL,
    )
    compensation_proposed = fields.Monetary(
        string="Proposed Compensation",
        currency_field="currency_id",
        compute="_compute_compensation_proposed",
        groups=INTERNAL,
    )
    compensation_basis = fields.Selection(
        COMPENSATION_BASIS_SELECTION,
        compute="_compute_compensation_proposed",
        groups=INTERNAL,
    )
    compensation_claimed = fields.Monetary(
        string="Claimed", currency_field="currency_id", tracking=True, groups=INTERNAL
    )
    compensation_approved = fields.Monetary(
        string="Approved Compensation",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        tracking=True,
        groups=INTERNAL,
    )
    compensation_approved_uid = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False, groups=INTERNAL
    )
    compensation_approved_date = fields.Datetime(
        string="Approved On", readonly=True, copy=False, groups=INTERNAL
    )
    escalation_ids = fields.One2many(
        "logistics.escalation", "ticket_id", string="Escalations", groups=INTERNAL
    )
    escalation_count = fields.Integer(
        compute="_compute_escalation_count", groups=INTERNAL
    )
    # R-RV-3 / R-RV-5: the revisits this ticket caused, and the revisit it
    # was raised in (a follow-up ticket)
    revisit_ids = fields.One2many(
        "logistics.revisit", "ticket_id", string="Revisits", groups=INTERNAL
    )
    source_revisit_ids = fields.One2many(
        "logistics.revisit",
        "followup_ticket_id",
        string="Raised In Revisits",
        groups=INTERNAL,
    )

    # R-CP-5 replies: who they go to and how they address him
    reply_partner_id = fields.Many2one(
        "res.partner",
        string="Reply To",
        compute="_compute_reply_partner_id",
        help="Who the replies go to: the ticket's contact, else the waybill's "
        "customer (the sender of a parcel we send, the receiver of a parcel "
        "we deliver).",
        groups=INTERNAL,
    )
    reply_salutation = fields.Char(
        compute="_compute_reply_salutation",
        help="The opening line of a reply, in the recipient's language.",
        groups=INTERNAL,
    )
    reply_phone = fields.Char(
        compute="_compute_reply_phone",
        inverse="_inverse_reply_phone",
        help="The customer's phone for calls and text messages: the ticket's "
        "phone of the customer's side, else the contact's phone.",
        groups=INTERNAL,
    )
    logistics_sms_available = fields.Boolean(
        string="SMS Available",
        compute="_compute_logistics_sms_available",
        help="Text messages can be sent (the SMS module is installed).",
        groups=INTERNAL,
    )
    call_log_ids = fields.One2many(
        "logistics.call.log", "ticket_id", string="Calls", groups=INTERNAL
    )
    call_count = fields.Integer(compute="_compute_call_count", groups=INTERNAL)

    # at most one open ticket per waybill and slot (problem type, or kind of
    # a chase or complaint): whoever asks, concurrent requests cannot
    # duplicate
    _open_slot_uniq = models.UniqueIndex(
        "(waybill_id, logistics_slot) WHERE logistics_open "
        "AND waybill_id IS NOT NULL AND logistics_slot IS NOT NULL",
        "This waybill already has an open ticket of this problem type or kind.",
    )
    _response_due_idx = models.Index(
        "(first_response_deadline) WHERE first_response_deadline IS NOT NULL "
        "AND first_response_date IS NULL AND response_breached IS NOT TRUE"
    )
    # the reports' periods and default groupings (R-RP-2, R-CP-4)
    _logistics_created_idx = models.Index(
        "(create_date, logistics_kind) WHERE logistics_kind IS NOT NULL"
    )
    _deadline_open_idx = models.Index(
        "(logistics_deadline) WHERE logistics_open AND parcel_returned_date IS NULL"
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends(
        "responsible_station_id.name",
        "waybill_id.origin_station",
        "waybill_id.destination_station",
    )
    def _compute_responsible_station(self):
        for ticket in self:
            ticket.responsible_station = reporting_core.responsible_station(
                ticket.responsible_station_id.name,
                ticket.waybill_id.origin_station,
                ticket.waybill_id.destination_station,
            )

    @api.depends(
        "partner_id",
        "waybill_id.direction",
        "waybill_id.sender_partner_id",
        "waybill_id.receiver_partner_id",
    )
    def _compute_reply_partner_id(self):
        for ticket in self:
            ticket.reply_partner_id = ticket.partner_id or ticket._waybill_customer()

    def _waybill_customer(self):
        """The waybill's partner this ticket's customer is (R-PP-2/3)."""
        self.ensure_one()
        waybill = self.waybill_id
        if not waybill:
            return self.env["res.partner"]
        side = problem_core.customer_side(waybill.direction)
        return waybill[f"{side}_partner_id"]

    def _customer_phone_field(self):
        """The ticket's phone field of the customer's side, if any."""
        self.ensure_one()
        if not self.waybill_id:
            return None
        return f"{problem_core.customer_side(self.waybill_id.direction)}_phone"

    @api.depends(
        *(
            f"{path}.{name}"
            for path in REPLY_PARTNER_PATHS
            for name in ("name", "lang", "logistics_title", "is_company")
        ),
        "partner_name",
        "waybill_id.direction",
    )
    def _compute_reply_salutation(self):
        for ticket in self:
            partner = ticket.reply_partner_id
            ticket.reply_salutation = reply_core.salutation(
                partner.name or ticket.partner_name,
                partner.lang or ticket._reply_lang(),
                partner.logistics_title,
                is_company=partner.is_company,
            )

    def _reply_lang(self):
        """The language of a reply: the recipient's, else the company's
        partner's, else the user's."""
        self.ensure_one()
        return (
            self.reply_partner_id.lang
            or self.company_id.partner_id.lang
            or self.env.user.lang
        )

    @api.depends(
        "sender_phone",
        "receiver_phone",
        "waybill_id.direction",
        *(f"{path}.phone" for path in REPLY_PARTNER_PATHS),
    )
    def _compute_reply_phone(self):
        for ticket in self:
            field = ticket._customer_phone_field()
            ticket.reply_phone = (
                (field and ticket[field]) or ticket.reply_partner_id.phone or False
            )

    def _inverse_reply_phone(self):
        # the SMS composer writes back a number corrected in its dialog
        for ticket in self:
            field = ticket._customer_phone_field()
            if field:
                ticket[field] = ticket.reply_phone
            elif ticket.reply_partner_id:
                ticket.reply_partner_id.phone = ticket.reply_phone

    def _compute_logistics_sms_available(self):
        available = "sms.composer" in self.env
        for ticket in self:
            ticket.logistics_sms_available = available

    def _compute_call_count(self):
        counts = count_by(self, "logistics.call.log", "ticket_id")
        for ticket in self:
            ticket.call_count = counts.get(ticket, 0)

    @api.depends("waybill_id")
    def _compute_waybill_facts(self):
        for ticket in self.filtered("waybill_id"):
            for name, value in ticket._waybill_facts().items():
                if value or not ticket[name]:
                    ticket[name] = value

    def _waybill_facts(self):
        """R-WB-1 facts the ticket's waybill knows."""
        self.ensure_one()
        return self.waybill_id._ticket_facts()

    def _facts(self):
        self.ensure_one()
        return {
            "waybill_number": self.waybill_id.number,
            "sender_address": self.sender_address,
            "receiver_address": self.receiver_address,
            "sender_phone": self.sender_phone,
            "receiver_phone": self.receiver_phone,
        }

    def _fact_labels(self):
        return {
            "waybill_number": self.env._("waybill number"),
            "sender_address": self.env._("sender address"),
            "receiver_address": self.env._("receiver address"),
            "sender_phone": self.env._("sender phone"),
            "receiver_phone": self.env._("receiver phone"),
        }

    @api.depends(
        "logistics_kind",
        "waybill_id",
        "sender_address",
        "receiver_address",
        "sender_phone",
        "receiver_phone",
    )
    def _compute_missing_facts(self):
        labels = self._fact_labels()
        for ticket in self:
            missing = (
                problem_core.missing_ticket_facts(ticket._facts())
                if ticket.logistics_kind
                else []
            )
            ticket.missing_facts = ", ".join(labels[m] for m in missing) or False

    @api.depends("step_ids.done")
    def _compute_step_progress(self):
        for ticket in self:
            steps = ticket.step_ids
            ticket.step_progress = (
                100.0 * len(steps.filtered("done")) / len(steps) if steps else 0.0
            )

    def _warning_hours(self):
        return get_setting(self.env, "deadline_warning_hours")

    @api.depends("logistics_deadline", "stage_id.closed")
    def _compute_deadline_state(self):
        now = fields.Datetime.now()
        warning = self._warning_hours()
        for ticket in self:
            ticket.deadline_state = problem_core.deadline_state(
                ticket.logistics_deadline, now, warning, done=ticket.closed
            )

    def _search_deadline_state(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        now = fields.Datetime.now()
        warn = now + timedelta(hours=max(self._warning_hours(), 0))
        open_ = Domain("stage_id.closed", "=", False)
        by_state = {
            "none": Domain("logistics_deadline", "=", False)
            | Domain("stage_id.closed", "=", True),
            "ok": open_ & Domain("logistics_deadline", ">", warn),
            "warning": open_
            & Domain("logistics_deadline", ">", now)
            & Domain("logistics_deadline", "<=", warn),
            "overdue": open_ & Domain("logistics_deadline", "<=", now),
        }
        domain = Domain.OR(by_state[v] for v in value if v in by_state)
        return ~domain if operator == "not in" else domain

    @api.depends("problem_type_id", "logistics_kind")
    def _compute_logistics_slot(self):
        for ticket in self:
            ticket.logistics_slot = (
                ticketing_core.slot(ticket.problem_type_id.id, ticket.logistics_kind)
                if ticket.logistics_kind or ticket.problem_type_id
                else False
            )

    @api.depends("response_breached", "first_response_date", "first_response_deadline")
    def _compute_response_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.response_overdue = ticket.response_breached or bool(
                not ticket.first_response_date
                and ticket.first_response_deadline
                and problem_core.response_breached(ticket.first_response_deadline, now)
            )

    def _search_response_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        domain = Domain("response_breached", "=", True) | (
            Domain("first_response_date", "=", False)
            & Domain("first_response_deadline", "<", fields.Datetime.now())
        )
        positive = True in value
        if operator == "not in":
            positive = not positive
        return domain if positive else ~domain

    @api.depends("stage_id.closed", "active")
    def _compute_logistics_open(self):
        for ticket in self:
            ticket.logistics_open = ticket.active and not ticket.stage_id.closed

    @api.depends(
        "insured",
        "insured_amount",
        "declared_value",
        "freight_amount",
        "actual_loss",
        "partial_loss",
        "cap_waived",
    )
    def _compute_compensation_proposed(self):
        multiple = get_setting(self.env, "uninsured_multiple")
        for ticket in self:
            try:
                amount, basis = problem_core.propose_compensation(
                    insured=ticket.insured,
                    insured_amount=ticket.insured_amount,
                    declared_value=ticket.declared_value,
                    actual_loss=ticket.actual_loss,
                    freight=ticket.freight_amount,
                    partial=ticket.partial_loss,
                    multiple=multiple,
                    cap_waived=ticket.cap_waived,
                )
            except ValueError:
                amount, basis = 0.0, False
            ticket.compensation_proposed = float(amount)
            ticket.compensation_basis = basis

    def _compute_escalation_count(self):
        counts = count_by(self, "logistics.escalation", "ticket_id")
        for ticket in self:
            ticket.escalation_count = counts.get(ticket, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(
        "insured", "insured_amount", "declared_value", "actual_loss", "partial_loss"
    )
    def _check_compensation_inputs(self):
        for ticket in self:
            amounts = (
                ticket.insured_amount,
                ticket.declared_value,
                ticket.actual_loss,
                ticket.freight_amount,
                ticket.compensation_claimed,
            )
            if any(a < 0 for a in amounts):
                raise ValidationError(
                    self.env._("Compensation amounts cannot be negative.")
                )
            if ticket.insured and ticket.partial_loss and not ticket.declared_value:
                raise ValidationError(
                    self.env._(
                        "A partial loss of an insured parcel is paid in "
                        "proportion: enter the declared (full) value of the goods."
                    )
                )

    def _first_stage(self):
        self.ensure_one()
        return (
            self.team_id._get_applicable_stages()[:1]
            if self.team_id
            else self.env["helpdesk.ticket.team"]._get_applicable_stages()[:1]
        )

    def _check_logistics_gate(self):
        """R-WB-1: a logistics ticket cannot leave its first stage until the
        waybill number, both addresses and both phones are known."""
        labels = self._fact_labels()
        first_stages = {}  # team: its first stage, one search per team
        for ticket in self.filtered("logistics_kind"):
            if ticket.team_id not in first_stages:
                first_stages[ticket.team_id] = ticket._first_stage()
            if not ticket.stage_id or ticket.stage_id == first_stages[ticket.team_id]:
                continue
            missing = problem_core.missing_ticket_facts(ticket._facts())
            if missing:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s cannot leave its first stage: record "
                        "the %(missing)s first (every inquiry, chase and problem "
                        "parcel needs the waybill number, both addresses and "
                        "both phones).",
                        ticket=ticket.display_name,
                        missing=", ".join(labels[m] for m in missing),
                    )
                )

    def _check_complaint_closure(self):
        """R-CP-1: a complaint is closed only with its root cause; R-CP-6:
        and its structured cause."""
        for ticket in self:
            if problem_core.complaint_needs_root_cause(
                ticket.logistics_kind, ticket.stage_id.closed, ticket.root_cause
            ) or problem_core.complaint_needs_cause(
                ticket.logistics_kind, ticket.stage_id.closed, ticket.cause_id.id
            ):
                raise ValidationError(
                    self.env._(
                        "Complaint %(ticket)s cannot be closed without its cause "
                        "and root cause: analyse why it happened first.",
                        ticket=ticket.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _complete_request_vals(self, vals_list):
        """A request's kind and problem type, each from the other: a type
        gives its kind; chases and complaints without a type get their
        kind's default type (its checklist and deadline)."""
        Type = self.env["logistics.problem.type"].sudo()
        given = Type.browse(
            {v["problem_type_id"] for v in vals_list if v.get("problem_type_id")}
        )
        kinds = {t.id: t.kind for t in given}
        defaults = {}
        for vals in vals_list:
            if vals.get("problem_type_id") and not vals.get("logistics_kind"):
                vals["logistics_kind"] = kinds[vals["problem_type_id"]]
            kind = vals.get("logistics_kind")
            if vals.get("problem_type_id") or kind not in ticketing_core.SLOT_KINDS:
                continue
            if kind not in defaults:
                defaults[kind] = Type._default_for_kind(kind)
            if defaults[kind]:
                vals["problem_type_id"] = defaults[kind].id

    @api.model_create_multi
    def create(self, vals_list):
        types = self.env["logistics.problem.type"].browse(
            {v["problem_type_id"] for v in vals_list if v.get("problem_type_id")}
        )
        by_id = {t.id: t for t in types}
        now = fields.Datetime.now()
        share = self.env.user.share
        for vals in vals_list:
            ptype = by_id.get(vals.get("problem_type_id"))
            if ptype:
                for name, value in ptype._ticket_vals(now).items():
                    # an empty kind counts as none; other values given, even
                    # empty, are kept
                    given = vals.get(name) if name == "logistics_kind" else name in vals
                    if not given:
                        vals[name] = value
            # a customer sees the tickets he opened; those opened by agents
            # or the detection stay internal until shared (ordinary helpdesk
            # tickets keep helpdesk_mgmt's behaviour)
            vals.setdefault("portal_shared", share or not vals.get("logistics_kind"))
        if not self.env.context.get("logistics_slots_planned"):
            self._check_free_slots(vals_list)
        self._prepare_from_waybills(vals_list)
        self._route_vals(vals_list)
        self._prepare_response_targets(vals_list, now)
        tickets = super().create(vals_list)
        tickets._check_logistics_gate()
        tickets._check_complaint_closure()
        closed = tickets.filtered(
            lambda t: t.logistics_kind == "complaint" and t.stage_id.closed
        )
        closed._schedule_complaint_revisit()
        return tickets

    def write(self, vals):
        if self.env.context.get("logistics_no_hooks"):
            return super().write(vals)
        closing = reopening = self.browse()
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if stage.closed:
                closing = self.filtered(
                    lambda t: t.logistics_kind == "complaint" and not t.closed
                )
            else:
                reopening = self.filtered(lambda t: t.logistics_kind and t.closed)
        res = super().write(vals)
        for ticket in reopening:
            # the complaint analysis counts reopened tickets
            ticket.with_context(logistics_no_hooks=True).write(
                {"reopen_count": ticket.reopen_count + 1}
            )
        if "problem_type_id" in vals:
            self._apply_problem_type()
        if "waybill_id" in vals:
            self._fill_from_waybill()
        if {"stage_id", "logistics_kind"} & set(vals) or (
            {"waybill_id", "sender_address", "receiver_address"} & set(vals)
            or {"sender_phone", "receiver_phone"} & set(vals)
        ):
            self._check_logistics_gate()
        if self.env.context.get("logistics_merging"):
            # merged into another ticket: closed as a duplicate, not resolved
            return res
        if "stage_id" in vals or {"root_cause", "cause_id"} & set(vals):
            self._check_complaint_closure()
        closing._schedule_complaint_revisit()
        return res

    def _apply_problem_type(self):
        """A ticket getting a (new) problem type gets its playbook and kind."""
        now = fields.Datetime.now()
        for ticket in self.filtered("problem_type_id"):
            vals = {
                name: value
                for name, value in ticket.problem_type_id._ticket_vals(now).items()
                if not ticket[name]
            }
            if vals:
                ticket.with_context(logistics_no_hooks=True).write(vals)

    def _fill_from_waybill(self):
        """A ticket given a (new) waybill fills what the waybill knows: the
        customer, the R-WB-1 facts and the responsible station."""
        with_waybill = self.filtered("waybill_id")
        matched = self.env["logistics.station"]._match_waybills(with_waybill.waybill_id)
        for ticket in with_waybill:
            vals = {}
            if not ticket.partner_id:
                vals.update(ticket.waybill_id._ticket_customer_vals())
            for name, value in ticket._waybill_facts().items():
                if value and not ticket[name]:
                    vals[name] = value
            vals.update(
                ticket.waybill_id._ticket_responsible_vals(
                    ticket.responsible_courier_id,
                    ticket.responsible_station_id,
                    matched,
                )
            )
            if vals:
                ticket.with_context(logistics_no_hooks=True).write(vals)

    @api.model
    def _check_free_slots(self, vals_list):
        """A ticket created directly (the form, an import) in a slot that
        already has an open ticket of the parcel is refused with the name of
        that ticket (the one creation path adds such requests to it)."""
        wanted = {}
        for vals in vals_list:
            slot = ticketing_core.slot(
                vals.get("problem_type_id"), vals.get("logistics_kind")
            )
            if vals.get("waybill_id") and slot:
                key = (vals["waybill_id"], slot)
                if key in wanted:
                    raise UserError(
                        self.env._(
                            "Two new tickets of the same kind for one parcel: "
                            "make them one ticket."
                        )
                    )
                wanted[key] = vals
        if not wanted:
            return
        taken = self.sudo().search(
            [
                ("waybill_id", "in", list({k[0] for k in wanted})),
                ("logistics_slot", "in", list({k[1] for k in wanted})),
                ("logistics_open", "=", True),
            ]
        )
        for ticket in taken:
            if (ticket.waybill_id.id, ticket.logistics_slot) in wanted:
                raise UserError(
                    self.env._(
                        "Waybill %(number)s already has the open ticket "
                        "%(ticket)s: add the customer's request there.",
                        number=ticket.waybill_id.number,
                        ticket=ticket.display_name,
                    )
                )

    @api.model
    def _prepare_from_waybills(self, vals_list):
        """Before create, the values a new ticket gets from its waybill, read
        once for the batch: the customer, the R-WB-1 facts, the company and
        (R-PP-2) the responsible courier and station of the delivery area."""
        waybills = self.env["logistics.waybill"].browse(
            {v["waybill_id"] for v in vals_list if v.get("waybill_id")}
        )
        by_id = {w.id: w for w in waybills.sudo()}
        matched = self.env["logistics.station"]._match_waybills(waybills)
        for vals in vals_list:
            waybill = by_id.get(vals.get("waybill_id"))
            if not waybill:
                continue
            vals.setdefault("company_id", waybill.company_id.id)
            if not vals.get("partner_id"):
                for name, value in waybill._ticket_customer_vals().items():
                    if not vals.get(name):
                        vals[name] = value
            for name, value in waybill._ticket_facts().items():
                if value and not vals.get(name):
                    vals[name] = value
            vals.update(
                waybill._ticket_responsible_vals(
                    vals.get("responsible_courier_id"),
                    vals.get("responsible_station_id"),
                    matched,
                )
            )

    # ------------------------------------------------------------
    # ROUTING AND ASSIGNMENT
    # ------------------------------------------------------------

    @api.model
    def _route_vals(self, vals_list):
        """The team and assignee of new logistics tickets that have none: the
        problem type's team, else the company's parcel-service team; the
        delivery area's agent for a delivery chase (R-PP-2), else the team's
        available member with the fewest open logistics tickets (balanced,
        ``core.ticketing.assign_balanced``). A portal user is never the
        assignee."""
        Users = self.env["res.users"]
        given = Users.browse({v["user_id"] for v in vals_list if v.get("user_id")})
        shared = set(given.sudo().filtered("share").ids)
        types = (
            self.env["logistics.problem.type"]
            .sudo()
            .browse(
                {v["problem_type_id"] for v in vals_list if v.get("problem_type_id")}
            )
        )
        type_team = {t.id: t.team_id for t in types}
        areas = (
            self.env["logistics.waybill"]
            .sudo()
            .browse(
                {
                    v["waybill_id"]
                    for v in vals_list
                    if v.get("waybill_id")
                    and v.get("logistics_kind") == "delivery_chase"
                }
            )
            .mapped(lambda w: (w.id, w.delivery_area_id.user_id))
        )
        area_user = dict(areas)
        to_balance = {}  # team: [vals, ...] waiting for an assignee
        creator_shared = self.env.user.share
        for vals in vals_list:
            if vals.get("user_id") in shared or (
                creator_shared and not vals.get("user_id")
            ):
                # helpdesk_mgmt's auto-assignment would give a ticket created
                # from the portal to the customer who created it
                vals["user_id"] = False
            if not vals.get("logistics_kind"):
                continue
            if not vals.get("team_id"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                team = (
                    type_team.get(vals.get("problem_type_id"))
                    or company.sudo().logistics_team_id
                )
                if team:
                    vals["team_id"] = team.id
            if vals.get("user_id"):
                continue
            user = area_user.get(vals.get("waybill_id"))
            if user and user.logistics_available and not user.share:
                vals["user_id"] = user.id
                continue
            # set even when nobody is found: helpdesk_mgmt's auto-assignment
            # would otherwise give the ticket to whoever created it
            vals["user_id"] = False
            if vals.get("team_id"):
                to_balance.setdefault(vals["team_id"], []).append(vals)
        if to_balance:
            self._assign_balanced(to_balance)

    @api.model
    def _assign_balanced(self, to_balance):
        """``{team id: [vals, ...]}``: each vals gets the next member of its
        team by balanced assignment; two queries whatever the batch size."""
        teams = self.env["helpdesk.ticket.team"].sudo().browse(list(to_balance))
        members = teams.user_ids.filtered(
            lambda u: not u.share and u.logistics_available
        )
        stats = {
            user.id: (count, last)
            for user, count, last in self.sudo()._read_group(
                [
                    ("user_id", "in", members.ids),
                    ("logistics_open", "=", True),
                    ("logistics_kind", "!=", False),
                ],
                groupby=["user_id"],
                aggregates=["__count", "assigned_date:max"],
            )
        }
        for team in teams:
            vals_of_team = to_balance[team.id]
            team_members = [
                ticketing_core.Member(
                    user.id,
                    open_count=stats.get(user.id, (0, None))[0],
                    last_assigned=stats.get(user.id, (0, None))[1],
                )
                for user in team.user_ids & members
                if not vals_of_team[0].get("company_id")
                or vals_of_team[0]["company_id"] in user.company_ids.ids
            ]
            picked = ticketing_core.assign_balanced(team_members, len(vals_of_team))
            for vals, user_id in zip(vals_of_team, picked, strict=True):
                vals["user_id"] = user_id or False
            now = fields.Datetime.now()
            for user_id in set(picked) - {None}:
                count, _last = stats.get(user_id, (0, None))
                stats[user_id] = (count + picked.count(user_id), now)

    def action_rebalance(self):
        """Supervisors: give the selected open tickets to their team's
        available members again, balanced."""
        if not self.env.user.has_group("logistics_followup.group_logistics_supervisor"):
            raise UserError(self.env._("Only a supervisor reassigns tickets in bulk."))
        tickets = self.filtered(lambda t: t.logistics_open and t.team_id)
        # the selected tickets do not count for their current assignee
        tickets.write({"user_id": False})
        to_balance = {}
        vals_by_ticket = []
        for ticket in tickets:
            vals = {"company_id": ticket.company_id.id}
            to_balance.setdefault(ticket.team_id.id, []).append(vals)
            vals_by_ticket.append((ticket, vals))
        if to_balance:
            self._assign_balanced(to_balance)
        for user_id in {vals["user_id"] for _t, vals in vals_by_ticket}:
            self.browse(
                [t.id for t, vals in vals_by_ticket if vals["user_id"] == user_id]
            ).write({"user_id": user_id})
        return self._notify_action(
            self.env._("%(count)s tickets reassigned.", count=len(tickets))
        )

    def _notify_action(self, message, title=None, next_action=None):
        return client_notification(
            message,
            title=title or self.env._("Tickets"),
            then=next_action or {"type": "ir.actions.act_window_close"},
        )

    # ------------------------------------------------------------
    # THE ONE CREATION PATH
    # ------------------------------------------------------------

    @api.model
    def _logistics_request(self, requests):
        """Every ticket the addon opens on a waybill goes through here.

        ``requests``: dicts ``{"vals": ticket values (waybill_id set),
        "partner": requester (res.partner, optional), "body": what the
        requester says (Markup, optional; default the description)}``.
        Requests whose slot (problem type, else the kind of a chase or
        complaint) already has an open ticket on the waybill, or that repeat
        one of the same batch, are added to that ticket as a message and the
        requester follows it; the others are created in one batch through
        ``create()`` (numbering, routing, followers, messages, and every
        installed extension). Returns ``[(ticket, created)]`` in the order of
        ``requests``. Refuses (translated ``UserError``, nothing created) a
        request on an unknown waybill or on one of a company the user may not
        reach."""
        if not requests:
            return []
        Waybill = self.env["logistics.waybill"]
        waybill_ids = {r["vals"].get("waybill_id") for r in requests}
        if None in waybill_ids or False in waybill_ids:
            raise UserError(self.env._("A parcel ticket needs its waybill."))
        waybills = Waybill.sudo().browse(waybill_ids).exists()
        if len(waybills) != len(waybill_ids):
            raise UserError(self.env._("This waybill does not exist."))
        if not self.env.su and not self.env.user.share:
            foreign = waybills.filtered(
                lambda w: w.company_id not in self.env.user.company_ids
            )
            if foreign:
                raise UserError(self.env._("This waybill does not exist."))
        for _attempt in range(3):
            try:
                with self.env.cr.savepoint():
                    return self._logistics_request_once(requests)
            except pg_errors.UniqueViolation:
                # a concurrent request took the slot first: plan again
                self.env.invalidate_all()
        return self._logistics_request_once(requests)

    def _logistics_request_once(self, requests):
        self._complete_request_vals([r["vals"] for r in requests])
        slots = [
            ticketing_core.slot(
                r["vals"].get("problem_type_id"), r["vals"].get("logistics_kind")
            )
            for r in requests
        ]
        keys = [
            (r["vals"]["waybill_id"], slot_)
            for r, slot_ in zip(requests, slots, strict=True)
        ]
        Sudo = self.sudo()
        open_tickets = Sudo.search(
            [
                ("waybill_id", "in", list({k[0] for k in keys})),
                ("logistics_open", "=", True),
                ("logistics_slot", "in", list({s for s in slots if s})),
            ]
        )
        plan = ticketing_core.plan_requests(
            keys, {(t.waybill_id.id, t.logistics_slot): t for t in open_tickets}
        )
        created = self.browse(
            self.with_context(logistics_slots_planned=True)
            .create([requests[i]["vals"] for i in plan.create])
            .ids
        )
        new = dict(zip(plan.create, created, strict=True))
        for index, ticket in new.items():
            partner = requests[index].get("partner")
            if partner:
                ticket.sudo().message_subscribe(partner_ids=partner.ids)
        results = []
        for index, request in enumerate(requests):
            if index in new:
                results.append((new[index], True))
                continue
            target = plan.append[index]
            ticket = new[target[1]] if isinstance(target, tuple) else target
            ticket.sudo()._add_request(request)
            results.append((self.browse(ticket.id), False))
        return results

    def _add_request(self, request):
        """A further request for an open ticket: a message, the requester
        following it (a customer's request shares the ticket with him)."""
        self.ensure_one()
        partner = request.get("partner")
        body = request.get("body") or request["vals"].get("description")
        if body:
            if not isinstance(body, Markup):
                body = Markup("<p>%s</p>") % html2plaintext(body)
            kwargs = {"author_id": partner.id} if partner else {}
            self.message_post(
                body=body,
                message_type="comment" if partner else "notification",
                subtype_xmlid="mail.mt_note",
                **kwargs,
            )
        if partner:
            self.message_subscribe(partner_ids=partner.ids)
            if partner.user_ids.filtered("share") and not self.portal_shared:
                self.portal_shared = True

    # ------------------------------------------------------------
    # R-CP-3 RESPONSE TARGETS
    # ------------------------------------------------------------

    @api.model
    def _prepare_response_targets(self, vals_list, now):
        """R-CP-3: a new logistics ticket's first-response target and due
        time (the most specific target of its company, channel, kind and
        category), set before create; one search per company."""
        Target = self.env["logistics.response.target"]
        Channel = self.env["helpdesk.ticket.channel"]
        Category = self.env["helpdesk.ticket.category"]
        loaded = {}  # company: its targets
        for vals in vals_list:
            if vals.get("first_response_deadline"):
                continue
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            if company not in loaded:
                loaded[company] = Target._load(company)
            target = Target._pick_loaded(
                loaded[company],
                Channel.browse(vals.get("channel_id")),
                vals.get("logistics_kind"),
                Category.browse(vals.get("category_id")),
            )
            if target:
                vals["response_target_id"] = target.id
                vals["first_response_deadline"] = problem_core.response_deadline(
                    now, target
                )

    def _mark_responded(self, when=None):
        when = when or fields.Datetime.now()
        for ticket in self.filtered(lambda t: not t.first_response_date):
            breached = problem_core.response_breached(
                ticket.first_response_deadline, when
            )
            ticket.with_context(logistics_no_hooks=True).write(
                {
                    "first_response_date": when,
                    "response_breached": breached or ticket.response_breached,
                }
            )

    def action_mark_responded(self):
        """The agent answered back by phone (R-CP-3)."""
        self._mark_responded()
        return True

    def _message_post_after_hook(self, message, msg_values):
        # a public answer or an SMS by an employee is the first response
        # (R-CP-3, core.problem.counts_as_response)
        channel = {"comment": "message", "sms": "sms"}.get(
            msg_values.get("message_type")
        )
        if channel and problem_core.counts_as_response(
            channel,
            by_employee=self.env.user._is_internal() and not self.env.user._is_public(),
            public=msg_values.get("subtype_id")
            == self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
        ):
            self._mark_responded()
        return super()._message_post_after_hook(message, msg_values)

    @api.model
    def _cron_flag_response_breaches(self):
        """R-CP-3: unanswered tickets past their target are breached (the
        job runs every few minutes; the "Answer Overdue" filter shows them
        from the minute their due time passes). One search over a partial
        index and one batch write through the ORM."""
        tickets = self.sudo().search(
            [
                ("first_response_date", "=", False),
                ("response_breached", "!=", True),
                ("first_response_deadline", "<", fields.Datetime.now()),
            ]
        )
        tickets.with_context(logistics_no_hooks=True).write({"response_breached": True})
        return len(tickets)

    # ------------------------------------------------------------
    # COMPENSATION
    # ------------------------------------------------------------

    def action_approve_compensation(self):
        """A supervisor approves the compensation (the proposal unless an
        amount was already claimed)."""
        if not self.env.user.has_group("logistics_followup.group_logistics_supervisor"):
            raise UserError(self.env._("Only a supervisor approves compensation."))
        for ticket in self:
            amount = float(
                problem_core.approval_amount(
                    ticket.compensation_claimed, ticket.compensation_proposed
                )
            )
            if amount <= 0:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s has no compensation to approve: enter "
                        "the loss or the claimed amount first.",
                        ticket=ticket.display_name,
                    )
                )
            ticket.write(
                {
                    "compensation_approved": amount,
                    "compensation_approved_uid": self.env.uid,
                    "compensation_approved_date": fields.Datetime.now(),
                }
            )
        return True

    # ------------------------------------------------------------
    # R-CP-1 CLOSED LOOP
    # ------------------------------------------------------------

    def _schedule_complaint_revisit(self):
        """R-CP-1 / R-RV-3: a closed complaint gets its revisit (the revisit
        model when installed, else an activity for the ticket's owner)."""
        if not self:
            return
        if "logistics.revisit" in self.env and hasattr(
            self.env["logistics.revisit"], "_schedule_after_complaint"
        ):
            self.env["logistics.revisit"]._schedule_after_complaint(self)
            return
        self._schedule_complaint_activity()

    def _schedule_complaint_activity(self):
        """A closed complaint whose customer cannot be revisited (unknown, or
        without phone and email): an activity for the ticket's owner."""
        days = get_setting(self.env, "complaint_revisit_days")
        for ticket in self:
            ticket.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=fields.Date.context_today(ticket) + timedelta(days=days),
                summary=self.env._("Revisit after the complaint"),
                note=self.env._(
                    "Call the customer back: is the complaint resolved to their "
                    "satisfaction? Root cause: %(cause)s",
                    cause=ticket.root_cause,
                ),
                user_id=ticket.user_id.id or self.env.uid,
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_waybill(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.waybill",
            "res_id": self.waybill_id.id,
            "view_mode": "form",
        }

    def action_view_escalations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_followup.logistics_escalation_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action

    def action_escalate(self):
        """催件 / 转派: chase the responsible station or courier."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Chase the Station or Courier"),
            "res_model": "logistics.escalation.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    # ------------------------------------------------------------
    # R-CP-5 REPLIES: E-MAIL, SMS, PHONE CALLS
    # ------------------------------------------------------------

    def _reply_template(self):
        """The reply template a button asks for (``logistics_template`` in
        the context), else the one the ticket's situation calls for."""
        self.ensure_one()
        xmlid = self.env.context.get("logistics_template")
        if not xmlid:
            name = (
                "resolution"
                if self.closed
                else "missing_info"
                if self.missing_facts
                else "appointment"
                if self.appointment_date
                else "apology"
            )
            xmlid = f"logistics_followup.mail_template_ticket_{name}"
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template or template._name != "mail.template":
            raise UserError(self.env._("This reply template does not exist."))
        return template

    def _check_reply_email(self):
        for ticket in self:
            if not (ticket.reply_partner_id.email or ticket.partner_email):
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s: the customer has no e-mail address. "
                        "Add one to the contact, or call or text him.",
                        ticket=ticket.display_name,
                    )
                )

    def action_send_reply(self):
        """One click: the reply template is sent to the customer at once,
        posted in the chatter as a public message (which is the ticket's
        first response, R-CP-3)."""
        self._check_reply_email()
        for ticket in self:
            template = ticket._reply_template()
            ticket.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return self._notify_action(
            self.env._(
                "Reply sent to %(recipient)s.",
                recipient=", ".join(
                    self.mapped(lambda t: t.reply_partner_id.name or t.partner_email)
                ),
            ),
            title=self.env._("Reply"),
            next_action={"type": "ir.actions.client", "tag": "soft_reload"},
        )

    def action_send_logistics_template(self):
        """Open the mail composer with a reply template (R-CP-5): the
        template the ticket's situation calls for, or the one asked, and its
        recipient; one click on Send sends it."""
        self.ensure_one()
        template = self._reply_template()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reply"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_subtype_xmlid": "mail.mt_comment",
                "force_email": True,
            },
        }

    def _reply_sms_body(self):
        """The start of a text message: the salutation and the parcel, in
        the recipient's language; the agent writes the rest."""
        self.ensure_one()
        lang = self._reply_lang()
        env = self.with_context(lang=lang).env
        if self.waybill_id:
            text = env._(
                "About your parcel %(number)s: ", number=self.waybill_id.number
            )
        else:
            text = env._("About your request %(ticket)s: ", ticket=self.number)
        return f"{self.reply_salutation}{text}"

    def action_send_sms(self):
        """A text message to the customer through Odoo's SMS module, when it
        is installed (the button shows only then)."""
        self.ensure_one()
        if "sms.composer" not in self.env:
            raise UserError(
                self.env._("Text messages need the SMS module: ask an administrator.")
            )
        if not self.reply_phone:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s: the customer has no phone number.",
                    ticket=self.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send a Text Message"),
            "res_model": "sms.composer",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
                "default_composition_mode": "comment",
                "default_number_field_name": "reply_phone",
                "default_body": self._reply_sms_body(),
            },
        }

    def action_log_call(self):
        """Log a phone call with the customer (outcome, duration, note)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Call"),
            "res_model": "logistics.call.log",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_ticket_id": self.id,
                "default_partner_id": self.reply_partner_id.id,
                "default_phone": self.reply_phone,
            },
        }

    def action_view_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_followup.logistics_call_log_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {
            "default_ticket_id": self.id,
            "default_partner_id": self.reply_partner_id.id,
            "default_phone": self.reply_phone,
        }
        return action
