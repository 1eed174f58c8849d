# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LogisticsCommon


@tagged("post_install", "-at_install")
class TestStockPicking(LogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product_ship = cls.env["product.product"].create(
            {"name": "SF shipping", "type": "service"}
        )
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "SF Standard",
                "product_id": product_ship.id,
                "logistics_courier_id": cls.courier_sf.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Tea", "type": "consu", "is_storable": True}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "张三", "phone": "13800138000", "street": "人民路88号"}
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 100
        )

    def make_picking(self, tracking_ref):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "carrier_id": self.carrier.id,
                "carrier_tracking_ref": tracking_ref,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "location_id": self.warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        return picking

    def test_validated_delivery_creates_waybills(self):
        """R-WB-6: a picking can carry several numbers; each gets a waybill."""
        picking = self.make_picking("sf3299150988269, SF1234567890123")
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            sorted(picking.waybill_ids.mapped("number")),
            ["SF1234567890123", "SF3299150988269"],
        )
        waybill = picking.waybill_ids[:1]
        self.assertEqual(waybill.courier_id, self.courier_sf)
        self.assertEqual(waybill.receiver_partner_id, self.customer)
        self.assertEqual(waybill.receiver_phone_last4, "8000")
        self.assertEqual(picking.waybill_count, 2)
        self.assertEqual(waybill.picking_ids, picking)

    def test_split_shipment_shares_waybill(self):
        """R-WB-6: one waybill can cover several pickings (分批装运)."""
        first = self.make_picking("SF3299150988269")
        first.button_validate()
        second = self.make_picking("SF3299150988269")
        second.button_validate()
        self.assertEqual(first.waybill_ids, second.waybill_ids)
        self.assertEqual(first.waybill_ids.picking_ids, first | second)

    def test_invalid_number_blocks_validation(self):
        """R-WB-2: an invalid number is refused, never silently stored."""
        picking = self.make_picking("12345")
        with self.assertRaisesRegex(ValidationError, "SF \\+ 13"):
            picking.button_validate()
