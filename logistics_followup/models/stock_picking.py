# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..core import waybill as waybill_core


class StockPicking(models.Model):
    _inherit = "stock.picking"

    waybill_ids = fields.Many2many(
        comodel_name="logistics.waybill",
        relation="logistics_waybill_stock_picking_rel",
        column1="picking_id",
        column2="waybill_id",
        string="Waybills",
        copy=False,
    )
    waybill_count = fields.Integer(compute="_compute_waybill_count")

    @api.depends("waybill_ids")
    def _compute_waybill_count(self):
        for picking in self:
            picking.waybill_count = len(picking.waybill_ids)

    def _action_done(self):
        res = super()._action_done()
        self._link_waybills()
        return res

    def _link_waybills(self):
        """R-WB-6: a validated delivery with tracking references creates or
        links its waybills, one per number; a waybill shared by several
        pickings is a split shipment."""
        todo = []
        for picking in self:
            courier = picking.carrier_id.logistics_courier_id
            if picking.picking_type_code != "outgoing" or not courier:
                continue
            for number in waybill_core.split_numbers(picking.carrier_tracking_ref):
                todo.append((picking, courier, courier._check_waybill_number(number)))
        if not todo:
            return
        Waybill = self.env["logistics.waybill"].sudo()
        existing = Waybill.search(
            [("number", "in", list({number for _p, _c, number in todo}))]
        )
        # a waybill is unique per number, courier and company
        by_key = {(w.number, w.courier_id.id, w.company_id.id): w for w in existing}
        new_vals = {}
        for picking, courier, number in todo:
            key = (number, courier.id, picking.company_id.id)
            if key not in by_key and key not in new_vals:
                new_vals[key] = picking._waybill_vals(courier, number)
        if new_vals:
            created = Waybill.create(list(new_vals.values()))
            by_key.update(zip(new_vals, created, strict=True))
        pickings_by_waybill = {}
        for picking, courier, number in todo:
            waybill = by_key[(number, courier.id, picking.company_id.id)]
            pickings_by_waybill.setdefault(waybill, self.browse())
            pickings_by_waybill[waybill] |= picking
        for waybill, pickings in pickings_by_waybill.items():
            waybill.picking_ids = [fields.Command.link(p.id) for p in pickings]

    def _waybill_vals(self, courier, number):
        """Values of the waybill created for ``number`` when this picking is
        validated: the receiver is the picking's partner, the sender the
        company."""
        self.ensure_one()
        company_partner = self.company_id.partner_id
        return {
            "number": number,
            "courier_id": courier.id,
            "company_id": self.company_id.id,
            "direction": "outbound",
            "receiver_partner_id": self.partner_id.id,
            "receiver_name": self.partner_id.name,
            "receiver_phone": self.partner_id.phone,
            "receiver_address": self.partner_id.contact_address,
            "sender_partner_id": company_partner.id,
            "sender_name": self.company_id.name,
            "sender_phone": self.company_id.phone,
            "sender_address": company_partner.contact_address,
            "shipped_date": self.date_done,
        }

    def action_view_waybills(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_followup.logistics_waybill_action"
        )
        action["domain"] = [("id", "in", self.waybill_ids.ids)]
        if len(self.waybill_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.waybill_ids.id
        return action
