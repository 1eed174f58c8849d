# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, plaintext2html, split_every

from ..core import delivery as delivery_core
from ..core import journey as journey_core
from ..core import lookup as lookup_core
from ..core import masking
from ..core import portal as portal_core
from ..core import problem as problem_core
from ..core import pull as pull_core
from ..core import text as text_core
from ..core import ticketing as ticketing_core
from ..core import transit as transit_core
from ..core import waybill as waybill_core
from .common import client_notification, count_by, format_local
from .logistics_receipt import RECEIPT_REQUIREMENT_SELECTION, RECEIPT_STATE_SELECTION
from .logistics_transit_time import ROUTE_CLASS_SELECTION, TRANSPORT_MODE_SELECTION
from .settings import get_setting

WAYBILL_STATE_SELECTION = [
    ("created", "Created"),
    ("picked_up", "Picked Up"),
    ("in_transit", "In Transit"),
    ("at_station", "At Delivering Station"),
    ("out_for_delivery", "Out for Delivery"),
    ("delivered", "Delivered"),
    ("exception", "Exception"),
    ("returning", "Returning"),
    ("returned", "Returned"),
    ("lost", "Lost"),
]
SIGNED_BY_SELECTION = [
    ("addressee", "By the addressee"),
    ("proxy", "By someone else (doorman, neighbour, property office)"),
    ("locker", "Into a locker or pickup station"),
    ("after_exception", "After an earlier failed attempt"),
]


# the final states as an SQL list, for the partial indexes' predicates
_FINAL_SQL = "(" + ", ".join(f"'{state}'" for state in transit_core.FINAL_STATES) + ")"


class LogisticsWaybill(models.Model):
    """A parcel's waybill (快递单号) and its current tracking state.

    R-WB-1..6. The state and the last event are written by
    ``logistics.tracking.event.ingest`` (set-based SQL) from the ordered
    events, never by hand.
    """

    _name = "logistics.waybill"
    _description = "Waybill"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "last_event_time desc, id desc"
    _rec_name = "number"
    _check_company_auto = True

    number = fields.Char(
        required=True,
        index="trigram",
        tracking=True,
        help="Waybill number (快递单号), stored in upper case without spaces or "
        "dashes.",
    )
    courier_id = fields.Many2one(
        comodel_name="logistics.courier",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)
    direction = fields.Selection(
        selection=[("outbound", "Sent by us"), ("inbound", "For delivery by us")],
        required=True,
        default="outbound",
        tracking=True,
    )
    sender_partner_id = fields.Many2one(
        comodel_name="res.partner", string="Sender", index="btree_not_null"
    )
    sender_name = fields.Char(index="trigram")
    sender_phone = fields.Char()
    sender_address = fields.Char()
    sender_phone_last4 = fields.Char(
        compute="_compute_phone_last4",
        store=True,
        index="btree_not_null",
        help="Last four digits of the sender's phone, asked by Kuaidi100 for SF "
        "and ZTO and by the public tracking page.",
    )
    receiver_partner_id = fields.Many2one(
        comodel_name="res.partner", string="Receiver", index="btree_not_null"
    )
    receiver_name = fields.Char(index="trigram")
    receiver_phone = fields.Char()
    receiver_address = fields.Char()
    receiver_phone_last4 = fields.Char(
        compute="_compute_phone_last4", store=True, index="btree_not_null"
    )
    # the caller look-up's full-phone keys (core.lookup.normalize_phone)
    sender_phone_key = fields.Char(
        compute="_compute_phone_last4", store=True, index="btree_not_null"
    )
    receiver_phone_key = fields.Char(
        compute="_compute_phone_last4", store=True, index="btree_not_null"
    )
    caller_query = fields.Char(
        string="Caller",
        compute="_compute_caller_query",
        search="_search_caller_query",
        help="A waybill number in any form, a sender's or receiver's phone or "
        "its last 4 digits, or a name.",
    )
    transport_mode = fields.Selection(
        selection=TRANSPORT_MODE_SELECTION,
        tracking=True,
    )
    service = fields.Char(help="The courier's service level, e.g. standard, express.")
    origin_station = fields.Char()
    destination_station = fields.Char(string="Delivering Station")
    transfer_count = fields.Integer(
        string="Transfers",
        help="Number of transfers (中转) between origin and destination.",
    )
    shipped_date = fields.Datetime(string="Shipped On")
    arrival_date = fields.Datetime(
        string="Arrived On",
        help="Arrival at the destination; for a split shipment, of the last batch.",
    )
    route_class = fields.Selection(
        selection=ROUTE_CLASS_SELECTION,
        compute="_compute_route_class",
        store=True,
        readonly=False,
        help="From the sender's and receiver's province and city; decides the "
        "normal transit time.",
    )
    expected_date = fields.Datetime(
        string="Expected Delivery",
        help="Shipped (else first scan) plus the normal transit time of the most "
        "specific matching norm. Set by hand after confirming with the "
        "delivering station, it is kept.",
    )
    expected_date_manual = fields.Boolean(copy=False)
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Beyond its normal transit time and not delivered yet.",
    )
    state = fields.Selection(
        selection=WAYBILL_STATE_SELECTION,
        required=True,
        default="created",
        readonly=True,
        index=True,
        copy=False,
    )
    signed_by = fields.Selection(
        selection=SIGNED_BY_SELECTION,
        string="How Signed",
        readonly=True,
        copy=False,
        help="How the parcel was signed for: the evidence a 'signed but not "
        "received' case needs.",
    )
    last_event_time = fields.Datetime(readonly=True, copy=False, index=True)
    last_event_place = fields.Char(readonly=True, copy=False)
    first_scan_time = fields.Datetime(readonly=True, copy=False)
    tracking_stop_reason = fields.Selection(
        selection=[
            ("no_record", "No record after creation"),
            ("no_change", "No change for 60 days"),
            ("aborted", "Tracking stopped by the aggregator"),
        ],
        readonly=True,
        copy=False,
        # no index of its own: _stop_reason_idx is that index (the field's
        # btree_not_null index was a second copy of it)
        tracking=True,
        help="Set when the tracking source gives up on the parcel; problem "
        "detection picks such waybills up.",
    )
    last_pull_time = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the tracking of this waybill was last pulled from its "
        "courier's pull adapter.",
    )
    event_ids = fields.One2many(
        comodel_name="logistics.tracking.event",
        inverse_name="waybill_id",
        string="Tracking Events",
        readonly=True,
    )
    picking_ids = fields.Many2many(
        comodel_name="stock.picking",
        relation="logistics_waybill_stock_picking_rel",
        column1="waybill_id",
        column2="picking_id",
        string="Transfers (Pickings)",
        copy=False,
    )
    picking_count = fields.Integer(compute="_compute_picking_count")
    receipt_requirement = fields.Selection(
        selection=RECEIPT_REQUIREMENT_SELECTION,
        string="Signed Receipt",
        tracking=True,
        help="The shipper requires a signed receipt (回单) back, with this proof; "
        "recorded by the origin station. Setting it creates the "
        "receipt to follow.",
    )
    receipt_ids = fields.One2many(
        comodel_name="logistics.receipt",
        inverse_name="waybill_id",
        string="Receipts",
        readonly=True,
    )
    receipt_state = fields.Selection(
        selection=RECEIPT_STATE_SELECTION,
        compute="_compute_receipt_state",
        string="Receipt Status",
    )
    tracking_url = fields.Char(compute="_compute_tracking_url")
    ticket_ids = fields.One2many(
        comodel_name="helpdesk.ticket", inverse_name="waybill_id", string="Tickets"
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    open_ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        compute="_compute_open_ticket_ids",
        string="Open Tickets",
    )
    open_ticket_count = fields.Integer(compute="_compute_open_ticket_ids")
    journey = fields.Json(
        compute="_compute_journey",
        help="The parcel's journey as steps, for the progress line of the form.",
    )
    # R-PP-2: delivery area (片区) of the receiver address and its courier
    delivery_area_id = fields.Many2one(
        comodel_name="logistics.delivery.area",
        compute="_compute_delivery_area_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        help="Matched from the receiver address against the areas' keywords "
        "when the address changes; supervisors recompute it after changing "
        "areas.",
    )
    delivery_courier_id = fields.Many2one(
        related="delivery_area_id.courier_partner_id",
        string="Area Courier",
        help="The courier responsible for the delivery area: delivery chases "
        "go to him; reassigning the area's courier reroutes at once.",
    )
    # R-PP-1: the latest submitted delivery-round report of the parcel
    delivery_round_line_ids = fields.One2many(
        comodel_name="logistics.delivery.round.line",
        inverse_name="waybill_id",
        string="Delivery Exceptions",
        readonly=True,
    )
    delivery_exception_count = fields.Integer(
        compute="_compute_delivery_exception_count"
    )
    last_delivery_exception_id = fields.Many2one(
        comodel_name="logistics.delivery.round.line",
        compute="_compute_last_delivery_exception_id",
        store=True,
        index="btree_not_null",
    )
    storage_place = fields.Char(
        related="last_delivery_exception_id.storage_place",
        store=True,
        index="trigram",
        help="Where the undelivered parcel is kept at the delivering station, "
        "from its latest submitted delivery round report (归类存放).",
    )
    last_delivery_reason = fields.Selection(
        related="last_delivery_exception_id.reason",
        store=True,
        string="Last Exception Reason",
    )
    last_delivery_disposition = fields.Selection(
        related="last_delivery_exception_id.disposition",
        store=True,
        string="Last Disposition",
    )
    last_delivery_appointment = fields.Date(
        related="last_delivery_exception_id.appointment_date",
        store=True,
        string="Appointment",
    )

    # customer notifications (core.notify): flagged by the ingestion when the
    # state changed to a milestone, cleared by the dispatch
    notify_pending = fields.Boolean(readonly=True, copy=False)
    notify_seen = fields.Boolean(readonly=True, copy=False)
    notify_expected_date = fields.Datetime(
        string="Expected Date Told", readonly=True, copy=False
    )
    notify_muted_partner_ids = fields.Many2many(
        "res.partner",
        "logistics_waybill_notify_muted_rel",
        "waybill_id",
        "partner_id",
        string="Not Notified",
        help="Customers who unfollowed this parcel.",
    )
    detection_pending = fields.Boolean(
        readonly=True,
        copy=False,
        help="Set by the ingestion when an event may decide a problem rule; "
        "the event-driven detection clears it.",
    )

    # per company: two companies may track the same parcel, each with its
    # own waybill (README, "Companies")
    _number_courier_uniq = models.Constraint(
        "UNIQUE(number, courier_id, company_id)",
        "This courier already has a waybill with this number in this company.",
    )
    # the filters of the overdue search and of the tracking-stop cron
    # R-RP-1: the shipment reports' periods
    _shipped_idx = models.Index("(shipped_date) WHERE shipped_date IS NOT NULL")
    _overdue_idx = models.Index(f"(expected_date) WHERE state NOT IN {_FINAL_SQL}")
    _no_record_idx = models.Index(
        "(create_date) WHERE last_event_time IS NULL AND tracking_stop_reason IS NULL"
    )
    _pull_due_idx = models.Index(
        f"(courier_id, last_pull_time) WHERE state NOT IN {_FINAL_SQL}"
    )
    # the problem-parcel detection (logistics.problem.detection._rule_sql)
    _no_first_scan_idx = models.Index(
        "((COALESCE(shipped_date, create_date))) "
        "WHERE state = 'created' AND first_scan_time IS NULL"
    )
    _at_station_idx = models.Index(
        "(arrival_date) WHERE state IN ('at_station', 'out_for_delivery')"
    )
    _stalled_idx = models.Index(
        "(last_event_time) WHERE state IN ('picked_up', 'in_transit')"
    )
    _stop_reason_idx = models.Index(
        "(tracking_stop_reason) WHERE tracking_stop_reason IS NOT NULL"
    )
    _no_change_idx = models.Index(
        "(last_event_time) WHERE tracking_stop_reason IS NULL "
        f"AND state NOT IN {_FINAL_SQL}"
    )
    # the queues of the event-driven detection and of the notifications
    _detection_pending_idx = models.Index("(id) WHERE detection_pending")
    _notify_pending_idx = models.Index("(id) WHERE notify_pending")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("sender_phone", "receiver_phone")
    def _compute_phone_last4(self):
        for waybill in self:
            waybill.sender_phone_last4 = masking.phone_last4(waybill.sender_phone)
            waybill.receiver_phone_last4 = masking.phone_last4(waybill.receiver_phone)
            waybill.sender_phone_key = (
                lookup_core.normalize_phone(waybill.sender_phone) or False
            )
            waybill.receiver_phone_key = (
                lookup_core.normalize_phone(waybill.receiver_phone) or False
            )

    def _compute_caller_query(self):
        self.caller_query = False

    def _search_caller_query(self, operator, value):
        """The waybills matching a caller's words (core.lookup.classify):
        every reading at once, one indexed condition each."""
        if operator not in ("ilike", "in", "="):
            return NotImplemented
        if operator == "in":
            values = value if isinstance(value, (list, tuple)) else [value]
            return Domain.OR(
                self._caller_domain(lookup_core.classify(v)) for v in values
            )
        return self._caller_domain(lookup_core.classify(value))

    @api.model
    def _caller_domain(self, query):
        """The domain of a ``core.lookup.CallerQuery``: exact normalised
        number (R-WB-2), sender's or receiver's full phone or last 4 digits
        (R-PT-2), or name on the waybill or of its sender / receiver
        contact; nothing for words that are none of these."""
        domains = []
        if query.number:
            domains.append(Domain("number", "=", query.number))
        for reading, field in (("phone", "phone_key"), ("last4", "phone_last4")):
            value = getattr(query, reading)
            if value:
                domains.append(
                    Domain(f"sender_{field}", "=", value)
                    | Domain(f"receiver_{field}", "=", value)
                )
        if query.name:
            # the contacts first (their own query): a join inside the OR
            # would make PostgreSQL scan every waybill instead of using the
            # indexes (trigram on the names, btree on the contacts)
            partners = self.env["res.partner"].search([("name", "ilike", query.name)])
            domains += [
                Domain("sender_name", "ilike", query.name),
                Domain("receiver_name", "ilike", query.name),
            ]
            if partners:
                domains += [
                    Domain("sender_partner_id", "in", partners.ids),
                    Domain("receiver_partner_id", "in", partners.ids),
                ]
        return Domain.OR(domains) if domains else Domain.FALSE

    @api.depends(
        "sender_partner_id.state_id",
        "sender_partner_id.city",
        "receiver_partner_id.state_id",
        "receiver_partner_id.city",
    )
    def _compute_route_class(self):
        for waybill in self:
            sender, receiver = waybill.sender_partner_id, waybill.receiver_partner_id
            waybill.route_class = transit_core.route_class(
                sender.state_id.id, sender.city, receiver.state_id.id, receiver.city
            )

    @api.depends("expected_date", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for waybill in self:
            waybill.is_overdue = transit_core.is_overdue(
                waybill.expected_date, waybill.state, now
            )

    def _search_is_overdue(self, operator, value):
        if operator != "in":
            return NotImplemented
        return [
            ("expected_date", "<", fields.Datetime.now()),
            ("state", "not in", list(transit_core.FINAL_STATES)),
        ]

    @api.depends("picking_ids")
    def _compute_picking_count(self):
        for waybill in self:
            waybill.picking_count = len(waybill.picking_ids)

    @api.depends("receiver_address", "company_id")
    def _compute_delivery_area_id(self):
        matches = self.env["logistics.delivery.area"]._match(self)
        for waybill in self:
            waybill.delivery_area_id = matches.get(waybill.id)

    def _compute_delivery_exception_count(self):
        counts = count_by(self, "logistics.delivery.round.line", "waybill_id")
        for waybill in self:
            waybill.delivery_exception_count = counts.get(waybill, 0)

    @api.depends("delivery_round_line_ids.state", "delivery_round_line_ids.round_end")
    def _compute_last_delivery_exception_id(self):
        """R-PP-1: the line of the latest submitted round (by round end,
        then ids) holds the parcel's storage place and disposition."""
        for waybill in self:
            waybill.last_delivery_exception_id = delivery_core.latest_line(
                (line.round_end, line.round_id.id, line.id, line)
                for line in waybill.delivery_round_line_ids
                if line.state == "submitted"
            )

    @api.depends("receipt_ids.state")
    def _compute_receipt_state(self):
        for waybill in self:
            waybill.receipt_state = waybill.receipt_ids[:1].state

    @api.depends("number", "courier_id.tracking_url")
    def _compute_tracking_url(self):
        for waybill in self:
            waybill.tracking_url = (
                waybill.courier_id._get_tracking_url(waybill.number)
                if waybill.courier_id
                else False
            )

    def _compute_access_url(self):
        for waybill in self:
            waybill.access_url = f"/my/parcels/{waybill.id}"

    @api.depends("number", "courier_id")
    def _compute_display_name(self):
        for waybill in self:
            waybill.display_name = (
                f"{waybill.number} ({waybill.courier_id.code})"
                if waybill.courier_id
                else waybill.number
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        couriers = self.env["logistics.courier"].browse(
            {vals["courier_id"] for vals in vals_list if vals.get("courier_id")}
        )
        by_id = {courier.id: courier for courier in couriers}
        for vals in vals_list:
            courier = by_id.get(vals.get("courier_id"))
            if courier and "number" in vals:
                vals["number"] = courier._check_waybill_number(vals["number"])
            if vals.get("expected_date"):
                vals["expected_date_manual"] = True
        waybills = super().create(vals_list)
        waybills.flush_recordset()
        self._recompute_expected_dates(waybills.ids)
        waybills._ensure_receipts()
        return waybills

    _EXPECTED_DATE_INPUTS = frozenset(
        (
            "shipped_date",
            "courier_id",
            "service",
            "transport_mode",
            "sender_partner_id",
            "receiver_partner_id",
            "expected_date_manual",
        )
    )

    def write(self, vals):
        if "expected_date" in vals:
            # a revised expected date may be told to the customer (R-WB-5)
            vals = dict(vals, notify_pending=True)
            self.env["logistics.notification"]._trigger_dispatch()
        if vals.get("tracking_stop_reason"):
            # an aggregator stopped tracking: the detection looks at once
            vals = dict(vals, detection_pending=True)
            self.env["logistics.problem.detection"]._trigger_events()
        if "expected_date" in vals:
            # set by hand (confirmed with the station, R-WB-5): kept
            vals = dict(vals, expected_date_manual=bool(vals["expected_date"]))
        if "number" in vals or "courier_id" in vals:
            for waybill in self:
                courier = (
                    self.env["logistics.courier"].browse(vals["courier_id"])
                    if vals.get("courier_id")
                    else waybill.courier_id
                )
                number = courier._check_waybill_number(
                    vals.get("number", waybill.number)
                )
                super(LogisticsWaybill, waybill).write(dict(vals, number=number))
            res = True
        else:
            res = super().write(vals)
        if self._EXPECTED_DATE_INPUTS.intersection(vals):
            self.flush_recordset()
            self._recompute_expected_dates(self.ids)
        if vals.get("receipt_requirement"):
            self._ensure_receipts()
        return res

    def _notify_muted(self):
        """``{(waybill id, partner id)}`` of these parcels' unfollowers."""
        if not self:
            return set()
        self.env.cr.execute(
            SQL(
                "SELECT waybill_id, partner_id FROM logistics_waybill_notify_muted_rel "
                "WHERE waybill_id = ANY(%s)",
                self.ids,
            )
        )
        return set(self.env.cr.fetchall())

    @api.model
    def _flag_for_detection(self, waybill_ids):
        """The waybills among ``waybill_ids`` (just given new events) whose
        state may decide an event-driven detection rule
        (core.ticketing.event_detection, without its open-chase condition)
        are queued for the detection, which is triggered at once; one
        UPDATE."""
        if not waybill_ids:
            return 0
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_waybill SET detection_pending = TRUE "
                "WHERE id = ANY(%(ids)s) AND NOT COALESCE(detection_pending, FALSE) "
                "AND (state = ANY(%(states)s) "
                "OR (state = 'delivered' AND signed_by = ANY(%(others)s)))",
                ids=list(waybill_ids),
                states=list(ticketing_core.EVENT_STATES),
                others=list(ticketing_core.SIGNED_BY_OTHERS),
            )
        )
        flagged = self.env.cr.rowcount
        if flagged:
            self.invalidate_model(["detection_pending"])
            self.env["logistics.problem.detection"]._trigger_events()
        return flagged

    def _ensure_receipts(self):
        """R-RC-1: one receipt per waybill whose shipper requires one."""
        missing = self.filtered(
            lambda waybill: waybill.receipt_requirement and not waybill.receipt_ids
        )
        if missing:
            self.env["logistics.receipt"].sudo().create(
                [{"waybill_id": waybill.id} for waybill in missing]
            )

    @api.model
    def _apply_courier_correction(self, number, old_courier, new_courier):
        """A tracking source corrected the courier of a number (Kuaidi100
        ``comOld`` / ``comNew``): move the waybill to the right courier."""
        if not old_courier or not new_courier or old_courier == new_courier:
            return self.browse()
        result = waybill_core.validate_number(number, new_courier._get_number_rules())
        if not result.valid:
            return self.browse()
        number = result.number
        # per company (a waybill is unique per number, courier and company):
        # a company that already has the new courier's waybill keeps both
        waybills = self.search(
            [
                ("number", "=", number),
                ("courier_id", "in", [old_courier.id, new_courier.id]),
            ]
        )
        taken = {w.company_id for w in waybills if w.courier_id == new_courier}
        moved = waybills.filtered(
            lambda w: w.courier_id == old_courier and w.company_id not in taken
        )
        for waybill in moved:
            waybill.courier_id = new_courier
            waybill.message_post(
                body=self.env._(
                    "Courier corrected by the tracking source from %(old)s to %(new)s.",
                    old=old_courier.name,
                    new=new_courier.name,
                )
            )
        return waybills.filtered(lambda w: w.courier_id == old_courier) | moved

    @api.model
    def _recompute_expected_dates(self, waybill_ids, unshipped_only=False):
        """R-WB-4, set-wise: shipped (else first scan) plus the hours of the
        most specific active norm, in the order of ``core.transit.pick_norm``;
        dates set by hand are kept, unchanged rows are not rewritten."""
        if not waybill_ids:
            return
        self.env["logistics.transit.time"].flush_model()
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_waybill w SET expected_date = v.expected "
                "FROM (SELECT src.id, COALESCE(src.shipped_date, src.first_scan_time)"
                " + make_interval(secs => %(hours)s * 3600) AS expected "
                "FROM logistics_waybill src "
                "WHERE src.id = ANY(%(ids)s) "
                "AND NOT COALESCE(src.expected_date_manual, FALSE) "
                "AND (NOT %(unshipped_only)s OR src.shipped_date IS NULL)) v "
                "WHERE w.id = v.id AND w.expected_date IS DISTINCT FROM v.expected",
                hours=self._norm_hours_sql("src"),
                ids=list(waybill_ids),
                unshipped_only=unshipped_only,
            )
        )
        self.invalidate_model(["expected_date"])

    @api.model
    def _norm_hours_sql(self, alias):
        """The hours of the most specific active transit norm of the waybill
        row ``alias``, in the order of ``core.transit.pick_norm``: a scalar
        subquery, NULL without a norm (R-WB-4). The caller flushes
        ``logistics.transit.time``."""
        return SQL(
            "(SELECT t.hours FROM logistics_transit_time t"
            " WHERE t.active AND t.route_class = %(w)s.route_class"
            " AND (t.courier_id IS NULL OR t.courier_id = %(w)s.courier_id)"
            " AND (t.service IS NULL"
            " OR lower(trim(t.service)) = lower(trim(%(w)s.service)))"
            " AND (t.transport_mode IS NULL"
            " OR t.transport_mode = %(w)s.transport_mode)"
            " ORDER BY t.courier_id IS NOT NULL DESC,"
            " t.service IS NOT NULL DESC, t.transport_mode IS NOT NULL DESC,"
            " t.id LIMIT 1)",
            w=SQL.identifier(alias),
        )

    @api.model
    def _cron_flag_stopped_tracking(self):
        """Tracking stops by rule, as aggregators do: no event N days after
        creation, or no new event for N days (``core.transit``); one UPDATE
        per rule over the partial indexes, safe to rerun."""
        no_record = get_setting(self.env, "no_record_days")
        no_change = get_setting(self.env, "no_change_days")
        final = list(transit_core.FINAL_STATES)
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_waybill SET tracking_stop_reason = 'no_record' "
                "WHERE last_event_time IS NULL AND tracking_stop_reason IS NULL "
                "AND state != ALL(%(final)s) "
                "AND create_date < (now() at time zone 'UTC') "
                "- make_interval(days => %(days)s)",
                final=final,
                days=no_record,
            )
        )
        flagged = self.env.cr.rowcount
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_waybill SET tracking_stop_reason = 'no_change' "
                "WHERE tracking_stop_reason IS NULL AND state != ALL(%(final)s) "
                "AND last_event_time < (now() at time zone 'UTC') "
                "- make_interval(days => %(days)s)",
                final=final,
                days=no_change,
            )
        )
        flagged += self.env.cr.rowcount
        self.invalidate_model(["tracking_stop_reason"])
        return flagged

    def _mark_pulled(self):
        """One UPDATE for the whole batch."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE logistics_waybill SET last_pull_time = "
                    "now() at time zone 'UTC' WHERE id = ANY(%s)",
                    self.ids,
                )
            )
            self.invalidate_recordset(["last_pull_time"])

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        action["context"] = {"create": False}
        if len(self.picking_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.picking_ids.id
        return action

    def _compute_ticket_count(self):
        counts = count_by(self, "helpdesk.ticket", "waybill_id")
        for waybill in self:
            waybill.ticket_count = counts.get(waybill, 0)

    def _compute_open_ticket_ids(self):
        """The parcel's open tickets (what the caller may be calling about),
        one query for all the waybills."""
        groups = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("waybill_id", "in", self.ids), ("logistics_open", "=", True)],
                groupby=["waybill_id"],
                aggregates=["id:recordset"],
            )
        )
        for waybill in self:
            tickets = groups.get(waybill, self.env["helpdesk.ticket"])
            waybill.open_ticket_ids = tickets
            waybill.open_ticket_count = len(tickets)

    @api.depends("state", "event_ids")
    @api.depends_context("lang")
    def _compute_journey(self):
        """The progress line (core.journey) with its labels in the reader's
        language; one query for the events of all the waybills."""
        events = {}
        if self.ids:
            self.env["logistics.tracking.event"].flush_model(
                ["waybill_id", "event_time", "state", "place", "dedup_key"]
            )
            self.env.cr.execute(
                SQL(
                    "SELECT waybill_id, event_time, state, place, dedup_key "
                    "FROM logistics_tracking_event WHERE waybill_id = ANY(%s)",
                    self.ids,
                )
            )
            for waybill_id, moment, state, place, key in self.env.cr.fetchall():
                events.setdefault(waybill_id, []).append(
                    {"time": moment, "state": state, "place": place, "dedup_key": key}
                )
        labels = dict(self._fields["state"]._description_selection(self.env))
        for waybill in self:
            result = journey_core.journey(
                waybill.state, events.get(waybill._origin.id, [])
            )
            waybill.journey = {
                "steps": [
                    {
                        "key": step.key,
                        "label": labels[step.key],
                        "status": step.status,
                        # UTC: the web client shows it in the browser's
                        # time zone, as the scans below it
                        "time": fields.Datetime.to_string(step.time)
                        if step.time
                        else "",
                        "place": step.place or "",
                        "detail": self.env._("%(count)s hubs", count=step.places)
                        if step.key == "in_transit" and step.places > 1
                        else "",
                    }
                    for step in result.steps
                ],
                "current": result.current,
                "marker": result.marker,
                "marker_label": labels[result.marker] if result.marker else "",
            }

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("waybill_id", "=", self.id)]
        action["context"] = {
            "default_waybill_id": self.id,
            "default_logistics_kind": "inquiry",
        }
        return action

    def action_view_open_tickets(self):
        action = self.action_view_tickets()
        action["domain"] = [("waybill_id", "=", self.id), ("logistics_open", "=", True)]
        if self.open_ticket_count == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.open_ticket_ids.id
        return action

    # ------------------------------------------------------------
    # CALLER LOOK-UP (issue 15, item 1)
    # ------------------------------------------------------------

    @api.model
    def action_caller_lookup(self, words):
        """From a caller's words to his parcel: the waybill form when one
        waybill matches, the list of the candidates when several do; for an
        unknown number that a courier's formats accept, the offer to track
        it (the courier guessed from the number, R-WB-2); otherwise a
        message saying what is accepted. One search query.

        :param words: what the agent typed (``core.lookup.classify``)
        :returns: an action for the web client
        """
        self.check_access("read")
        query = lookup_core.classify(words)
        if query.code == "empty":
            return self._caller_notification(
                self.env._("Nothing to look up."), self._caller_accepted_forms()
            )
        if query.code:
            return self._caller_notification(
                self.env._(
                    "%(words)s is not a waybill number, a phone, the last 4 digits "
                    "of one or a name.",
                    words=query.text,
                ),
                self._caller_accepted_forms(),
            )
        # no LIMIT: with one, PostgreSQL scans the table hoping to stop
        # early instead of using the trigram indexes of the names (measured:
        # 116 ms against 14 ms on 100,000 waybills)
        waybills = self.search(self._caller_domain(query), order="id")
        if len(waybills) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": self._name,
                "res_id": waybills.id,
                "views": [(False, "form")],
                "target": "current",
            }
        if waybills:
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "logistics_followup.logistics_waybill_action"
            )
            action["name"] = self.env._("Parcels of %(words)s", words=query.text)
            action["context"] = {"search_default_caller_query": query.text}
            action["views"] = [(False, "list"), (False, "form")]
            action["view_mode"] = "list,form"
            return action
        couriers = self.env["logistics.courier"]
        if query.number and not query.phone:
            couriers = couriers._find_by_number(query.number)
        if couriers and self.has_access("create"):
            return self.env["logistics.waybill.track"]._offer(query.number, couriers)
        return self._caller_notification(
            self.env._("No parcel matches %(words)s.", words=query.text),
            self._caller_accepted_forms(),
        )

    @api.model
    def _caller_accepted_forms(self):
        return self.env._(
            "Type a waybill number (spaces, dashes and lower case are fine), a "
            "sender's or receiver's phone (+86 is fine), its last 4 digits, or a "
            "customer's name."
        )

    @api.model
    def _caller_notification(self, title, message):
        return client_notification(message, title=title, kind="warning")

    def action_refresh_tracking(self):
        """Pull the parcel's latest events from its courier's tracking source
        now, through the hourly pull's own path
        (``logistics.courier._pull_waybills``). A courier without a usable
        source, or a parcel pulled less than 30 minutes ago (Kuaidi100 locks
        a number queried more often), gets a message instead."""
        self.ensure_one()
        self.check_access("write")
        courier = self.courier_id
        problem = courier._pull_setup_problem()
        if problem:
            raise UserError(problem)
        now = fields.Datetime.now()
        if not pull_core.due_for_pull(self.last_pull_time or None, now):
            raise UserError(
                self.env._(
                    "The tracking of %(number)s was pulled at %(time)s; its source "
                    "may be asked again from %(next)s.",
                    number=self.number,
                    time=format_local(self.env, self.last_pull_time),
                    next=format_local(
                        self.env, self.last_pull_time + pull_core.MIN_PULL_INTERVAL
                    ),
                )
            )
        result = courier._pull_waybills(self)
        accepted = result.get("accepted", 0) if result else 0
        if accepted:
            message = self.env._("%(count)s new scans recorded.", count=accepted)
        else:
            message = self.env._("The courier's tracking source has no new scan.")
        return client_notification(
            message,
            kind="success" if accepted else "info",
            then={"type": "ir.actions.client", "tag": "soft_reload"},
        )

    def _ticket_facts(self):
        """R-WB-1 facts a ticket about this waybill gets: its own addresses
        and phones, else those of its sender / receiver contacts."""
        self.ensure_one()
        facts = {}
        for side in ("sender", "receiver"):
            partner = self[f"{side}_partner_id"]
            for fact, partner_field in (("address", "street"), ("phone", "phone")):
                name = f"{side}_{fact}"
                facts[name] = self[name] or partner[partner_field] or False
        return facts

    def _ticket_customer_vals(self):
        """The customer of a ticket about this waybill: the sender of what we
        send, the receiver of what we deliver."""
        self.ensure_one()
        partner = self[f"{problem_core.customer_side(self.direction)}_partner_id"]
        if not partner:
            return {}
        return {
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
        }

    def _ticket_responsible_vals(self, courier=None, station=None, matched=None):
        """R-PP-2: a ticket on a waybill for delivery by us routes to the
        courier and station of the receiver's delivery area (片区), unless
        someone is already responsible. R-PP-11: else the station of the
        directory the waybill names (delivering station, else last scan
        place), given in ``matched`` (``logistics.station._match_waybills``
        of the batch)."""
        self.ensure_one()
        area = self.delivery_area_id
        vals = {}
        if area and self.direction == "inbound":
            if not courier and area.courier_partner_id:
                vals["responsible_courier_id"] = area.courier_partner_id.id
            if not station and area.station_partner_id:
                vals["responsible_station_id"] = area.station_partner_id.id
        if not station and "responsible_station_id" not in vals:
            directory_station = (matched or {}).get(self.id)
            if directory_station:
                vals["responsible_station_id"] = directory_station.partner_id.id
        return vals

    def _chase_kind(self):
        return "outbound_chase" if self.direction == "outbound" else "delivery_chase"

    def _open_ticket_of_slot(self, problem_type, kind):
        """The waybill's open ticket of that slot (problem type, else the
        kind of a chase or complaint), if any."""
        self.ensure_one()
        slot = ticketing_core.slot(problem_type.id, kind)
        if not slot:
            return self.env["helpdesk.ticket"]
        return (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("waybill_id", "=", self.id),
                    ("logistics_open", "=", True),
                    ("logistics_slot", "=", slot),
                ],
                limit=1,
            )
        )

    def action_new_ticket(self):
        """A ticket opened from the waybill knows what the waybill knows
        (R-WB-1): number, addresses, phones, customer, station. When the
        waybill already has an open chase, that ticket opens instead, with a
        notification saying so."""
        self.ensure_one()
        kind = self._chase_kind()
        ptype = self.env["logistics.problem.type"]._default_for_kind(kind)
        existing = self._open_ticket_of_slot(ptype, kind)
        if existing:
            return existing._notify_action(
                self.env._(
                    "Waybill %(number)s already has the open ticket %(ticket)s: "
                    "add the customer's request there.",
                    number=self.number,
                    ticket=existing.display_name,
                ),
                next_action={
                    "type": "ir.actions.act_window",
                    "res_model": "helpdesk.ticket",
                    "res_id": existing.id,
                    "views": [(False, "form")],
                },
            )
        context = {
            "default_waybill_id": self.id,
            "default_logistics_kind": kind,
            "default_name": self.env._("Chase %(number)s", number=self.number),
            "default_description": self.env._(
                "Customer chases waybill %(number)s.", number=self.number
            ),
        }
        if ptype:
            context["default_problem_type_id"] = ptype.id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Ticket"),
            "res_model": "helpdesk.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": context,
        }

    def action_view_delivery_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_followup.logistics_delivery_round_line_action"
        )
        action["domain"] = [("waybill_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_recompute_delivery_area(self):
        """Supervisors, after areas changed (server action on the list)."""
        self.check_access("write")
        changed = self._assign_delivery_areas()
        return client_notification(
            self.env._(
                "%(count)s waybills moved to another delivery area.",
                count=changed,
            )
        )

    def _assign_delivery_areas(self, batch_size=5000):
        """R-PP-2, set-based: match the waybills against the areas (once per
        batch) and rewrite only the changed ones, one UPDATE per batch.
        Returns how many waybills changed area."""
        changed = 0
        Area = self.env["logistics.delivery.area"]
        self.flush_model(["receiver_address", "company_id", "delivery_area_id"])
        for ids in split_every(batch_size, self.ids):
            batch = self.browse(ids)
            matches = Area._match(batch)
            self.env.cr.execute(
                SQL(
                    "UPDATE logistics_waybill w SET delivery_area_id = v.area_id "
                    "FROM unnest(%(ids)s::int[], %(areas)s::int[]) AS v(id, area_id) "
                    "WHERE w.id = v.id "
                    "AND w.delivery_area_id IS DISTINCT FROM v.area_id",
                    ids=list(matches),
                    areas=[area.id or None for area in matches.values()],
                )
            )
            changed += self.env.cr.rowcount
            batch.invalidate_recordset(["delivery_area_id"])
        return changed

    def action_view_receipt(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Signed Receipt"),
            "res_model": "logistics.receipt",
            "view_mode": "form",
            "res_id": self.receipt_ids[:1].id,
        }

    def action_preview_portal(self):
        """The parcel's portal page through its shared link (access token),
        as a customer given the link sees it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "target": "new",
            "url": self.get_portal_url(),
        }

    def action_add_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Add a Scan"),
            "res_model": "logistics.tracking.event.add",
            "view_mode": "form",
            "target": "new",
            "context": {"default_waybill_id": self.id},
        }

    # ------------------------------------------------------------
    # PORTAL (R-PT-1, R-PT-2)
    # ------------------------------------------------------------

    @api.model
    def _get_thread_with_access(
        self, thread_id, *, hash=None, pid=None, token=None, **kwargs
    ):
        """A parcel's shared link (its access token, or a hash and partner
        id) opens the masked parcel page only: it gives no access to the
        waybill's back-office chatter, neither to post into it nor to read
        it, through Odoo's portal message routes (issue 11 item 10). Users
        who may read or write the waybill keep their access."""
        return super()._get_thread_with_access(thread_id, **kwargs)

    @api.model
    def _portal_domain(self, partner):
        """The parcels a customer sees in the portal: those his company (its
        commercial partner and its contacts) sent or receives (R-PT-1)."""
        commercial = partner.commercial_partner_id
        return [
            "|",
            ("sender_partner_id", "child_of", commercial.id),
            ("receiver_partner_id", "child_of", commercial.id),
        ]

    def _portal_sides(self, partner):
        """``{"sender", "receiver"}``: the sides of this parcel that belong to
        ``partner``'s company (empty: not his parcel)."""
        self.ensure_one()
        commercial = partner.commercial_partner_id
        return {
            side
            for side in ("sender", "receiver")
            if self[f"{side}_partner_id"].commercial_partner_id == commercial
        }

    def _portal_party(self, side, masked):
        """Name and address of one side of the parcel for a portal page; the
        other party's data, and everything on a shared or public page, masked
        (GB/T 41833-2022)."""
        self.ensure_one()
        partner = self[f"{side}_partner_id"]
        name = self[f"{side}_name"] or partner.name or ""
        address = self[f"{side}_address"] or partner.contact_address or ""
        phone = self[f"{side}_phone"] or partner.phone or ""
        if masked:
            return {
                "name": masking.mask_name(name),
                "address": masking.mask_address(address),
                "phone": masking.mask_phone(phone),
            }
        return {"name": name, "address": " ".join(address.split()), "phone": phone}

    def _portal_timeline(self, tz_name=None, sides=None):
        """The scans, newest first, as dicts for a portal page, their times
        local to ``tz_name`` (naive, :func:`core.portal.local_time`).

        The free text is masked (:func:`core.portal.mask_text`): on a public
        or shared page (``sides`` empty) every phone, ID number and signer's
        name; on the page of the owner of ``sides`` the other party's phone
        and names, every ID number and signer's name too: a scan text must
        not show what the other party's block masks (R-PT-1, R-PT-2, GB/T
        41833). One query whatever the number of events."""
        self.ensure_one()
        others = {"sender", "receiver"} - set(sides or ())
        if not sides:
            masking_options = {}
        else:
            partners = [self[f"{side}_partner_id"] for side in others]
            masking_options = {
                "phones": [self[f"{side}_phone"] for side in others]
                + [partner.phone for partner in partners],
                "names": [self[f"{side}_name"] for side in others]
                + [partner.name for partner in partners],
            }
        labels = dict(self._fields["state"]._description_selection(self.env))

        def text(value):
            return portal_core.mask_text(value, **masking_options)

        self.env.cr.execute(
            SQL(
                "SELECT event_time, place, state, description "
                "FROM logistics_tracking_event WHERE waybill_id = %s "
                "ORDER BY event_time DESC, state_rank DESC, id DESC",
                self.id,
            )
        )
        return [
            {
                "time": portal_core.local_time(moment, tz_name),
                "place": place or "",
                "state": labels.get(state, state),
                "description": text(description),
            }
            for moment, place, state, description in self.env.cr.fetchall()
        ]

    @api.model
    def _public_lookup(self, number, last4):
        """R-PT-2: the parcel with this waybill number whose sender's or
        receiver's phone ends with ``last4``; an empty recordset when the
        number or the digits are wrong (the caller cannot tell which)."""
        # what cannot be a number (a NUL, a lone surrogate) never reaches the
        # database
        number = portal_core.lookup_number(number)
        last4 = portal_core.lookup_last4(last4)
        if not number or not last4:
            return self.browse()
        return self.sudo().search(
            [
                ("number", "=", number),
                "|",
                ("sender_phone_last4", "=", last4),
                ("receiver_phone_last4", "=", last4),
            ],
            limit=1,
        )

    def _portal_open_ticket(self, partner, request, description):
        """R-PT-1: the customer ``partner`` chases or complains about this
        parcel from the portal, through the one creation path: a ticket of
        the right kind and problem type (its checklist and deadline), linked
        to the parcel, from the web channel, titled in the customer's
        language, the customer following it - or, when the parcel already has
        an open ticket of that kind, his request added to it. Returns
        ``(ticket, created)``. Raises a translated ``UserError`` on a request
        that is not offered or an empty description: nothing is created."""
        self.ensure_one()
        kind = portal_core.ticket_kind(request, self.direction)
        if not kind:
            raise UserError(self.env._("Choose whether you chase or complain."))
        description = (description or "").strip()
        if not description:
            raise UserError(self.env._("Tell us what happened with your parcel."))
        if not text_core.storable(description):
            raise UserError(
                self.env._("Your message holds characters we cannot store.")
            )
        if not self._portal_sides(partner):
            raise UserError(self.env._("This parcel is not one of yours."))
        lang_env = self.with_context(lang=partner.lang or self.env.lang).env
        if kind == "complaint":
            name = lang_env._("Complaint about %(number)s", number=self.number)
        else:
            name = lang_env._("Chase %(number)s", number=self.number)
        ptype = self.env["logistics.problem.type"]._default_for_kind(kind)
        channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web", False)
        vals = {
            "name": name,
            "description": plaintext2html(description),
            "waybill_id": self.id,
            "logistics_kind": kind,
            "problem_type_id": ptype.id or False,
            "company_id": self.company_id.id,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
            "channel_id": channel.id if channel else False,
            "portal_shared": True,
        }
        [(ticket, created)] = self.env["helpdesk.ticket"]._logistics_request(
            [{"vals": vals, "partner": partner}]
        )
        return ticket, created
