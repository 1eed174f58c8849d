# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    logistics_courier_id = fields.Many2one(
        comodel_name="logistics.courier",
        string="Courier",
        index="btree_not_null",
        help="The courier company behind this delivery method: its waybill "
        "number formats validate the tracking references of the pickings.",
    )
