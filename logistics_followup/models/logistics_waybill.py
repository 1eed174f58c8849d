# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, plaintext2html, split_every

from ..core import delivery as delivery_core
from ..core import masking
from ..core import portal as portal_core
from ..core import problem as problem_core
from ..core import text as text_core
from ..core import ticketing as ticketing_core
from ..core import transit as transit_core
from ..core import waybill as waybill_core
from .common import count_by
from .logistics_receipt import REQUIREMENT_SELECTION as RECEIPT_REQUIREMENT_SELECTION
from .logistics_receipt import STATE_SELECTION as RECEIPT_STATE_SELECTION
from .logistics_transit_time import ROUTE_CLASS_SELECTION, TRANSPORT_MODE_SELECTION

STATE_SELECTION = [
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
    sender_name = fields.Char()
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
    receiver_name = fields.Char()
    receiver_phone = fields.Char()
    receiver_address = fields.Char()
    receiver_phone_last4 = fields.Char(
        compute="_compute_phone_last4", store=True, index="btree_not_null"
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
        selection=STATE_SELECTION,
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
        index="btree_not_null",
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
    _overdue_idx = models.Index(
        "(expected_date) WHERE state NOT IN ('delivered', 'returned', 'lost')"
    )
    _no_record_idx = models.Index(
        "(create_date) WHERE last_event_time IS NULL AND tracking_stop_reason IS NULL"
    )
    _pull_due_idx = models.Index(
        "(courier_id, last_pull_time) "
        "WHERE state NOT IN ('delivered', 'returned', 'lost')"
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
        "AND state NOT IN ('delivered', 'returned', 'lost')"
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
        params = self.env["ir.config_parameter"].sudo()
        no_record = int(
            params.get_param(
                "logistics_followup.no_record_days", transit_core.DEFAULT_NO_RECORD_DAYS
            )
        )
        no_change = int(
            params.get_param(
                "logistics_followup.no_change_days", transit_core.DEFAULT_NO_CHANGE_DAYS
            )
        )
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

    def _ticket_responsible_vals(self, courier=None, station=None):
        """R-PP-2: a ticket on a waybill for delivery by us routes to the
        courier and station of the receiver's delivery area (片区), unless
        someone is already responsible."""
        self.ensure_one()
        area = self.delivery_area_id
        if not area or self.direction != "inbound":
            return {}
        vals = {}
        if not courier and area.courier_partner_id:
            vals["responsible_courier_id"] = area.courier_partner_id.id
        if not station and area.station_partner_id:
            vals["responsible_station_id"] = area.station_partner_id.id
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
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s waybills moved to another delivery area.",
                    count=changed,
                ),
            },
        }

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
