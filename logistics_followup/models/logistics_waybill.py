# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..core import masking
from ..core import waybill as waybill_core

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
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
        selection=[("air", "Air"), ("land", "Land"), ("rail", "Rail"), ("sea", "Sea")],
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
    expected_date = fields.Datetime(string="Expected Delivery")
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
        string="Signed",
        readonly=True,
        copy=False,
        help="How the parcel was signed for: the evidence a 'signed but not "
        "received' case needs (R-PP-8).",
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
    tracking_url = fields.Char(compute="_compute_tracking_url")

    _number_courier_uniq = models.Constraint(
        "UNIQUE(number, courier_id)",
        "This courier already has a waybill with this number.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("sender_phone", "receiver_phone")
    def _compute_phone_last4(self):
        for waybill in self:
            waybill.sender_phone_last4 = masking.phone_last4(waybill.sender_phone)
            waybill.receiver_phone_last4 = masking.phone_last4(waybill.receiver_phone)

    @api.depends("picking_ids")
    def _compute_picking_count(self):
        for waybill in self:
            waybill.picking_count = len(waybill.picking_ids)

    @api.depends("number", "courier_id.tracking_url")
    def _compute_tracking_url(self):
        for waybill in self:
            waybill.tracking_url = (
                waybill.courier_id._get_tracking_url(waybill.number)
                if waybill.courier_id
                else False
            )

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
        return super().create(vals_list)

    def write(self, vals):
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
            return True
        return super().write(vals)

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
        waybill = self.search(
            [("number", "=", number), ("courier_id", "=", old_courier.id)]
        )
        if waybill and not self.search_count(
            [("number", "=", number), ("courier_id", "=", new_courier.id)]
        ):
            waybill.courier_id = new_courier
            waybill.message_post(
                body=self.env._(
                    "Courier corrected by the tracking source from %(old)s to %(new)s.",
                    old=old_courier.name,
                    new=new_courier.name,
                )
            )
        return waybill

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
