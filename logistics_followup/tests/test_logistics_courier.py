# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LogisticsCommon


@tagged("post_install", "-at_install")
class TestLogisticsCourier(LogisticsCommon):
    def test_default_couriers_have_formats(self):
        """R-WB-2: the ten couriers of the seed ship with number formats."""
        codes = {"SF", "ZTO", "YTO", "STO", "YUNDA", "JD", "EMS", "JT", "DEPPON", "CPI"}
        couriers = self.env["logistics.courier"].search([("code", "in", list(codes))])
        self.assertEqual(set(couriers.mapped("code")), codes)
        for courier in couriers:
            self.assertTrue(courier.number_rule_ids, courier.code)
            for rule in courier.number_rule_ids:
                # every shipped example passes its own courier's rules
                self.assertEqual(
                    courier._check_waybill_number(rule.example),
                    rule.example,
                    f"{courier.code}: {rule.label}",
                )

    def test_number_is_normalised(self):
        """R-WB-2: trim, upper-case, drop spaces and dashes."""
        self.assertEqual(
            self.courier_sf._check_waybill_number(" sf 3299-1509 88269 "),
            "SF3299150988269",
        )

    def test_invalid_number_names_expected_formats(self):
        """R-WB-2: an invalid number is rejected with the expected formats."""
        with self.assertRaises(ValidationError) as err:
            self.courier_sf._check_waybill_number("YT1234588888888")
        message = str(err.exception)
        self.assertIn("YT1234588888888", message)
        for rule in self.courier_sf.number_rule_ids:
            self.assertIn(rule.label, message)

    def test_s10_check_digit_enforced(self):
        """R-WB-2: China Post international numbers carry a UPU S10 check digit."""
        rule = self.courier_cpi.number_rule_ids[:1]
        good = rule.example
        self.assertEqual(self.courier_cpi._check_waybill_number(good), good)
        bad_digit = str((int(good[10]) + 1) % 10)
        bad = good[:10] + bad_digit + good[11:]
        with self.assertRaisesRegex(ValidationError, "check digit"):
            self.courier_cpi._check_waybill_number(bad)

    def test_administrator_extends_formats(self):
        """A courier changes its format: the administrator adds a rule and the
        new numbers are accepted without a code change."""
        number = "SFX123456789"
        with self.assertRaises(ValidationError):
            self.courier_sf._check_waybill_number(number)
        self.env["logistics.courier.number.rule"].create(
            {
                "courier_id": self.courier_sf.id,
                "label": "SFX + 9 digits",
                "pattern": r"SFX\d{9}",
                "example": "SFX000000001",
            }
        )
        self.assertEqual(self.courier_sf._check_waybill_number(number), number)

    def test_bad_rule_is_refused(self):
        rules = self.env["logistics.courier.number.rule"]
        with self.assertRaisesRegex(ValidationError, "regular expression"):
            rules.create(
                {
                    "courier_id": self.courier_sf.id,
                    "label": "broken",
                    "pattern": "SF(\\d",
                }
            )
        with self.assertRaisesRegex(ValidationError, "example"):
            rules.create(
                {
                    "courier_id": self.courier_sf.id,
                    "label": "wrong example",
                    "pattern": r"SF\d{13}",
                    "example": "SF123",
                }
            )

    def test_find_by_number(self):
        """R-WB-2: which couriers could this number belong to."""
        couriers = self.env["logistics.courier"]._find_by_number("JT1234567890123")
        self.assertEqual(couriers[:1].code, "JT")
        self.assertFalse(self.env["logistics.courier"]._find_by_number("??"))

    def test_code_unique_and_upper(self):
        courier = self.env["logistics.courier"].create(
            {"name": "Test", "code": " tst "}
        )
        self.assertEqual(courier.code, "TST")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["logistics.courier"].create({"name": "Dup", "code": "TST"})

    def test_tracking_url(self):
        self.courier_sf.tracking_url = "https://example.com/t?no={number}"
        self.assertEqual(
            self.courier_sf._get_tracking_url("SF1"), "https://example.com/t?no=SF1"
        )
        with self.assertRaises(ValidationError):
            self.courier_sf.tracking_url = "https://example.com/no-placeholder"

    def test_delivery_carrier_links_courier(self):
        product = self.env["product.product"].create(
            {"name": "Shipping", "type": "service"}
        )
        carrier = self.env["delivery.carrier"].create(
            {
                "name": "SF standard",
                "product_id": product.id,
                "logistics_courier_id": self.courier_sf.id,
            }
        )
        self.assertIn(carrier, self.courier_sf.delivery_carrier_ids)
