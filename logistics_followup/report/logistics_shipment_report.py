# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

DIRECTION_SELECTION = [("outbound", "Sent by us"), ("inbound", "For delivery by us")]


class LogisticsShipmentReport(models.Model):
    """R-RP-1: daily shipment volume by courier, direction and station. An
    SQL view over the shipped waybills (read through the waybill index on
    the shipping date)."""

    _name = "logistics.shipment.report"
    _description = "Shipment Analysis"
    _auto = False
    _order = "shipped_date desc"

    waybill_id = fields.Many2one("logistics.waybill", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    courier_id = fields.Many2one("logistics.courier", readonly=True)
    direction = fields.Selection(DIRECTION_SELECTION, readonly=True)
    origin_station = fields.Char(readonly=True)
    destination_station = fields.Char(string="Delivering Station", readonly=True)
    shipped_date = fields.Datetime(string="Shipped On", readonly=True)
    shipment_count = fields.Integer(string="Shipments", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT w.id AS id, w.id AS waybill_id, w.company_id, w.courier_id,
                   w.direction, w.origin_station, w.destination_station,
                   w.shipped_date, 1 AS shipment_count
              FROM logistics_waybill w
             WHERE w.shipped_date IS NOT NULL AND w.active
            """
        )
