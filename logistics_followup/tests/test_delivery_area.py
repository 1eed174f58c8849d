# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import LogisticsCommon


@tagged("post_install", "-at_install")
class TestDeliveryArea(LogisticsCommon):
    """R-PP-2: delivery areas map addresses to their courier; reassigning a
    courier is tracked and reroutes the waybills."""

    @classmethod
    def default_env_context(cls):
        # tracking must run: reassignments are checked in the chatter
        return {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.courier_li = Partner.create({"name": "李强 (快递员)"})
        cls.courier_zhao = Partner.create({"name": "赵敏 (快递员)"})
        cls.courier_sun = Partner.create({"name": "孙磊 (快递员)"})
        cls.Area = cls.env["logistics.delivery.area"]
        cls.Area.search([]).action_archive()  # demo areas stay out of the way
        cls.street = cls.Area.create(
            {
                "name": "张江路",
                "station": "上海浦东网点",
                "kind": "street",
                "keywords": "张江路",
                "province_id": cls.env.ref("base.state_cn_SH").id,
                "courier_partner_id": cls.courier_li.id,
            }
        )
        cls.park = cls.Area.create(
            {
                "name": "张江高科技园区",
                "station": "上海浦东网点",
                "kind": "company",
                "keywords": "张江高科技园区\n张江路50号",
                "courier_partner_id": cls.courier_zhao.id,
            }
        )
        cls.beijing = cls.Area.create(
            {
                "name": "建国路",
                "station": "北京朝阳网点",
                "keywords": "建国路",
                "province_id": cls.env.ref("base.state_cn_BJ").id,
                "courier_partner_id": cls.courier_sun.id,
            }
        )
        cls.Waybill = cls.env["logistics.waybill"]
        # end the creations' tracking now, as a commit would
        cls.env.cr.precommit.run()

    def _waybill(self, address, n=1, **vals):
        return self.Waybill.create(
            dict(
                {
                    "number": f"SF{2000000000000 + n}",
                    "courier_id": self.courier_sf.id,
                    "receiver_address": address,
                },
                **vals,
            )
        )

    def test_area_matched_on_create_and_address_change(self):
        wb = self._waybill("上海市浦东新区张江路187号8栋")
        self.assertEqual(wb.delivery_area_id, self.street)
        self.assertEqual(wb.delivery_courier_id, self.courier_li)
        wb.receiver_address = "上海市浦东新区张江路50号9栋3单元"
        self.assertEqual(wb.delivery_area_id, self.park, "longest keyword wins")
        self.assertEqual(wb.delivery_courier_id, self.courier_zhao)
        wb.receiver_address = "广东省广州市天河区体育西路1号"
        self.assertFalse(wb.delivery_area_id)
        wb.receiver_address = "北京市朝阳区建国路61号"
        self.assertEqual(wb.delivery_courier_id, self.courier_sun)

    def test_match_is_set_based(self):
        """One pass for any number of waybills: the query count does not grow
        with the waybills."""
        waybills = self.Waybill.create(
            [
                {
                    "number": f"SF{3000000000000 + i}",
                    "courier_id": self.courier_sf.id,
                    "receiver_address": address,
                }
                for i, address in enumerate(
                    [
                        "上海市张江路1号",
                        "上海市张江路50号",
                        "北京市建国路2号",
                        "nowhere",
                    ]
                    * 10
                )
            ]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(4):
            result = self.Area._match(waybills)
        self.assertEqual(len(result), 40)
        self.assertEqual(
            [result[wb.id] for wb in waybills[:4]],
            [self.street, self.park, self.beijing, self.Area],
        )

    def test_reassignment_tracked_and_reroutes(self):
        wb = self._waybill("上海市浦东新区张江路187号")
        self.assertEqual(wb.delivery_courier_id, self.courier_li)
        self.street.with_user(self.supervisor).courier_partner_id = self.courier_sun
        self.env.cr.precommit.run()  # tracking values are written at commit
        self.env.invalidate_all()
        self.assertEqual(wb.delivery_courier_id, self.courier_sun)
        self.assertEqual(
            self.Waybill.search([("delivery_courier_id", "=", self.courier_sun.id)]),
            wb,
        )
        tracked = self.street.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "courier_partner_id"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.old_value_char, self.courier_li.display_name)
        self.assertEqual(tracked.new_value_char, self.courier_sun.display_name)

    def test_recompute_after_area_change(self):
        wb = self._waybill("上海市浦东新区张江路88号")
        self.assertEqual(wb.delivery_area_id, self.street)
        narrower = self.Area.create(
            {
                "name": "张江路88号大楼",
                "keywords": "张江路88号",
                "courier_partner_id": self.courier_sun.id,
            }
        )
        self.assertEqual(wb.delivery_area_id, self.street, "not rematched yet")
        narrower.with_user(self.supervisor).action_recompute_waybills()
        self.assertEqual(wb.delivery_area_id, narrower)
        self.assertEqual(wb.delivery_courier_id, self.courier_sun)
        # archived areas no longer match; rerunning changes nothing else
        narrower.action_archive()
        action = wb.with_user(self.supervisor).action_recompute_delivery_area()
        self.assertEqual(wb.delivery_area_id, self.street)
        self.assertIn("1", action["params"]["message"])
        self.assertEqual(wb._assign_delivery_areas(), 0)

    def test_keywords_required(self):
        with self.assertRaises(ValidationError):
            self.Area.create(
                {
                    "name": "empty",
                    "keywords": " \n ",
                    "courier_partner_id": self.courier_li.id,
                }
            )

    def test_access_rights(self):
        """Supervisors edit areas, agents and clerks read them, portal users
        get nothing."""
        self.assertEqual(
            self.street.with_user(self.agent).courier_partner_id, self.courier_li
        )
        self.assertTrue(self.street.with_user(self.clerk).name)
        with self.assertRaises(AccessError):
            self.street.with_user(self.agent).courier_partner_id = self.courier_sun
        with self.assertRaises(AccessError):
            self.Area.with_user(self.agent).create(
                {"name": "x", "keywords": "x", "courier_partner_id": self.courier_li.id}
            )
        with self.assertRaises(AccessError):
            self.Area.with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            self.street.with_user(self.agent).action_recompute_waybills()
        self.street.with_user(self.supervisor).keywords = "张江路\n张衡路"
        wb = self._waybill("上海市张衡路1号")
        self.assertEqual(wb.with_user(self.agent).delivery_courier_id, self.courier_li)
        with self.assertRaises(AccessError):
            wb.with_user(self.clerk).action_recompute_delivery_area()

    def test_company_rule_and_matching_per_company(self):
        company_b = self.env["res.company"].create({"name": "Area Company B"})
        area_b = self.Area.create(
            {
                "name": "B 张江路50号",
                "keywords": "张江路50号大楼",
                "courier_partner_id": self.courier_sun.id,
                "company_id": company_b.id,
            }
        )
        self.assertNotIn(area_b, self.Area.with_user(self.agent).search([]))
        with self.assertRaises(AccessError):
            area_b.with_user(self.agent).read(["name"])
        # company A's waybill never gets company B's area
        wb = self._waybill("上海市张江路50号大楼")
        self.assertEqual(wb.delivery_area_id, self.park)
        wb_b = self._waybill("上海市张江路50号大楼", n=2, company_id=company_b.id)
        self.assertEqual(wb_b.delivery_area_id, area_b)

    def test_delivery_chase_routes_to_area_courier(self):
        """R-PP-2: a delivery chase on a parcel for delivery by us goes to the
        courier of the receiver's area; an outbound parcel's ticket does not."""
        inbound = self._waybill(
            "上海市浦东新区张江路187号8栋", n=90, direction="inbound"
        )
        Ticket = self.env["helpdesk.ticket"]
        chase = Ticket.create(
            {
                "name": "派送催单",
                "description": "<p>?</p>",
                "logistics_kind": "delivery_chase",
                "waybill_id": inbound.id,
            }
        )
        self.assertEqual(chase.responsible_courier_id, self.courier_li)
        outbound = self._waybill("上海市浦东新区张江路187号9栋", n=91)
        other = Ticket.create(
            {
                "name": "发出件催单",
                "description": "<p>?</p>",
                "logistics_kind": "outbound_chase",
                "waybill_id": outbound.id,
            }
        )
        self.assertFalse(other.responsible_courier_id)
