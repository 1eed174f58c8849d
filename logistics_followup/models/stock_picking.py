# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models

TRACKING_REF_SEPARATORS = re.compile(r"[,;，；、\s]+")


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
        Waybill = self.env["logistics.waybill"].sudo()
        todo = []
        for picking in self:
            courier = picking.carrier_id.logistics_courier_id
            if (
                picking.picking_type_code != "outgoing"
                or not picking.carrier_tracking_ref
                or not courier
            ):
                continue
            for raw in TRACKING_REF_SEPARATORS.split(picking.carrier_tracking_ref):
                if raw:
                    todo.append((picking, courier, courier._check_waybill_number(raw)))
        if not todo:
            return
        existing = Waybill.search(
            [("number", "in", list({number for _p, _c, number in todo}))]
        )
        by_key = {(w.number, w.courier_id.id): w for w in existing}
        for picking, courier, number in todo:
            waybill = by_key.get((number, courier.id))
            if not waybill:
                waybill = Waybill.create(
                    {
                        "number": number,
                        "courier_id": courier.id,
                        "company_id": picking.company_id.id,
                        "direction": "outbound",
                        "receiver_partner_id": picking.partner_id.id,
                        "receiver_name": picking.partner_id.name,
                        "receiver_phone": picking.partner_id.phone,
                        "receiver_address": picking.partner_id.contact_address,
                        "sender_partner_id": picking.company_id.partner_id.id,
                        "sender_name": picking.company_id.name,
                        "sender_phone": picking.company_id.phone,
                        "sender_address": picking.company_id.partner_id.contact_address,
                        "shipped_date": picking.date_done,
                    }
                )
                by_key[(number, courier.id)] = waybill
            waybill.picking_ids = [fields.Command.link(picking.id)]

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
