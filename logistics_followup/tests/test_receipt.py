# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import config, mute_logger

from .common import LogisticsCommon

KEY = "test-key-0123456789-abcdefghijklmnop"
VALID_ID = "11010519491231002X"  # GB 11643-1999 appendix example
BAD_CHECK_ID = "110105194912310021"


class ReceiptCommon(LogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Receipt = cls.env["logistics.receipt"]
        cls.Doc = cls.env["logistics.id.document.type"]
        cls.resident_id = cls.env.ref("logistics_followup.id_document_type_resident_id")
        cls.passport = cls.env.ref("logistics_followup.id_document_type_passport")
        cls._seq = 0

    @classmethod
    def make_waybill(cls, receiver="杨民敬", arrived=True, **vals):
        """A waybill requiring a receipt; ``arrived``: its parcel delivered
        (R-RC-7: a receipt is signed once its parcel has arrived)."""
        cls._seq += 1
        waybill = cls.env["logistics.waybill"].create(
            dict(
                {
                    "number": f"SF{7000000000000 + cls._seq}",
                    "courier_id": cls.courier_sf.id,
                    "receiver_name": receiver,
                    "origin_station": "深圳宝安网点",
                    "destination_station": "杭州西湖网点",
                    "receipt_requirement": "signature",
                },
                **vals,
            )
        )
        if arrived:
            LogisticsCommon.set_tracking(cls, waybill, state="delivered")
        return waybill

    @classmethod
    def make_receipt(
        cls, receiver="杨民敬", requirement="signature", arrived=True, **vals
    ):
        waybill = cls.make_waybill(
            receiver, arrived=arrived, receipt_requirement=requirement
        )
        receipt = waybill.receipt_ids
        if vals:
            receipt.write(vals)
        return receipt

    def key(self):
        return patch.dict(config.options, {"logistics_id_key": KEY})

    def codes(self, receipt):
        with self.key():
            return [v.code for v in receipt._get_violations()]


@tagged("post_install", "-at_install")
class TestReceiptLifecycle(ReceiptCommon):
    """R-RC-1, R-RC-6, R-RC-7, R-RC-9."""

    def test_requirement_on_waybill_creates_one_receipt(self):
        """R-RC-1: the origin records the requirement; one receipt each."""
        waybill = self.make_waybill()
        self.assertEqual(len(waybill.receipt_ids), 1)
        receipt = waybill.receipt_ids
        self.assertEqual(receipt.state, "required")
        self.assertEqual(receipt.consignee_name, "杨民敬")
        self.assertEqual(receipt.location, "深圳宝安网点")
        waybill.receipt_requirement = "seal"
        self.assertEqual(len(waybill.receipt_ids), 1)
        self.assertEqual(receipt.requirement, "seal")
        self.assertEqual(waybill.receipt_state, "required")
        action = waybill.action_view_receipt()
        self.assertEqual(action["res_id"], receipt.id)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.Receipt.create({"waybill_id": waybill.id})
        self.assertFalse(
            self.make_waybill(receipt_requirement=False).receipt_ids,
            "no requirement, no receipt",
        )

    def test_company_consignee_from_partner(self):
        company = self.env["res.partner"].create(
            {"name": "联合贸易有限公司", "is_company": True}
        )
        waybill = self.make_waybill(receiver=False, receiver_partner_id=company.id)
        self.assertTrue(waybill.receipt_ids.consignee_is_company)
        self.assertEqual(waybill.receipt_ids.consignee_name, "联合贸易有限公司")

    def test_full_lifecycle_logs_every_move(self):
        """R-RC-7 / R-RC-9: each state change is one move (who, when, from,
        to)."""
        receipt = self.make_receipt(signer_name="楊民敬")
        receipt.with_user(self.clerk).action_sign()
        self.assertEqual(receipt.state, "signed")
        self.assertEqual(receipt.location, "杭州西湖网点")
        envelope = self.env["logistics.receipt.envelope"].create(
            {
                "from_station": "杭州西湖网点",
                "to_station": "深圳宝安网点",
                "line_ids": [(0, 0, {"receipt_id": receipt.id})],
            }
        )
        envelope.action_send()
        self.assertEqual(receipt.state, "sent")
        envelope.action_receive()
        envelope.found_numbers = receipt.waybill_number.lower()
        envelope.action_check()
        self.assertEqual(receipt.state, "received")
        receipt.action_verify()
        receipt.handed_over_to = "Sales"
        receipt.action_hand_over()
        self.assertEqual(receipt.state, "handed_over")
        moves = receipt.move_ids.sorted("id")
        self.assertEqual(
            moves.mapped("state_to"),
            ["required", "signed", "sent", "received", "verified", "handed_over"],
        )
        self.assertEqual(moves[1].user_id, self.clerk)
        self.assertEqual(moves[1].location_from, "深圳宝安网点")
        self.assertEqual(moves[1].location_to, "杭州西湖网点")
        self.assertEqual(moves[-1].location_to, "Sales")
        self.assertTrue(all(moves.mapped("date")))

    def test_wrong_state_and_reject_need_reason(self):
        receipt = self.make_receipt(signer_name="杨民敬")
        with self.assertRaises(UserError):
            receipt.action_verify()
        receipt.action_sign()
        # compliant, nothing to say: a reason is needed
        with self.assertRaises(UserError):
            receipt.action_reject()
        receipt.reject_reason = "Stamp smudged"
        receipt.action_reject()
        self.assertEqual(receipt.state, "rejected")
        self.assertEqual(receipt.reject_count, 1)
        self.assertEqual(receipt.move_ids.sorted("id")[-1].note, "Stamp smudged")
        receipt.action_sign()
        self.assertEqual(receipt.state, "signed")

    def test_missing_and_found(self):
        receipt = self.make_receipt()
        receipt.action_mark_missing()
        self.assertEqual(receipt.state, "missing")
        receipt.action_found()
        self.assertEqual(receipt.state, "received")

    def test_access_by_group(self):
        receipt = self.make_receipt()
        self.assertTrue(receipt.with_user(self.agent).consignee_name)
        receipt.with_user(self.clerk).signer_name = "杨民敬"
        with self.assertRaises(AccessError):
            self.Receipt.with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            receipt.with_user(self.agent).unlink()
        with self.assertRaises(AccessError):
            self.env["logistics.receipt.reveal"].with_user(self.clerk).search([])
        with self.assertRaises(AccessError):
            receipt.move_ids.with_user(self.clerk).write({"note": "x"})
        self.assertTrue(
            self.env["logistics.receipt.report"].with_user(self.supervisor).search([])
        )

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other Express"})
        receipt = self.make_receipt()
        receipt.waybill_id.company_id = other
        self.assertEqual(receipt.company_id, other)
        self.assertFalse(
            self.Receipt.with_user(self.clerk).search([("id", "=", receipt.id)])
        )
        self.assertFalse(
            self.env["logistics.receipt.move"]
            .with_user(self.clerk)
            .search([("receipt_id", "=", receipt.id)])
        )


@tagged("post_install", "-at_install")
class TestReceiptValidation(ReceiptCommon):
    """R-RC-2..R-RC-5: each violation code, failing and passing."""

    def test_name_mismatch(self):
        """R-RC-4: 楊民敬 vs 楊明靜 and 陳法開 vs 程發凱 fail, 杨 = 楊."""
        receipt = self.make_receipt("楊民敬", signer_name="楊明靜")
        self.assertIn("name_mismatch", self.codes(receipt))
        receipt.signer_name = "杨民敬"
        self.assertNotIn("name_mismatch", self.codes(receipt))
        other = self.make_receipt("陳法開", signer_name="程發凱")
        self.assertIn("name_mismatch", self.codes(other))
        with self.assertRaises(ValidationError) as error:
            other.action_sign()
        self.assertIn("程發凱", str(error.exception))
        self.assertEqual(other.state, "required")
        # a consignee-change proof from the shipper lifts it
        other.change_proof_attachment_ids = [
            (0, 0, {"name": "proof.pdf", "raw": b"%PDF proof"})
        ]
        self.assertNotIn("name_mismatch", self.codes(other))
        other.action_sign()
        self.assertEqual(other.state, "signed")

    def test_signer_missing(self):
        receipt = self.make_receipt()
        self.assertIn("signer_missing", self.codes(receipt))
        receipt.signer_name = "杨民敬"
        self.assertNotIn("signer_missing", self.codes(receipt))

    def test_id_checks(self):
        """R-RC-2: ID required, type accepted, no photocopy, valid number."""
        receipt = self.make_receipt(requirement="signature_id", signer_name="杨民敬")
        self.assertIn("id_missing", self.codes(receipt))
        with self.key():
            receipt.write(
                {
                    "signer_id_type_id": self.resident_id.id,
                    "signer_id_number": BAD_CHECK_ID,
                }
            )
        self.assertIn("id_number_invalid", self.codes(receipt))
        with self.key():
            receipt.signer_id_number = VALID_ID
        self.assertEqual(self.codes(receipt), [])
        receipt.signer_id_photocopy = True
        self.assertEqual(self.codes(receipt), ["id_photocopy"])
        receipt.signer_id_photocopy = False
        self.assertFalse(self.passport.accepted)
        with self.key():
            receipt.write(
                {"signer_id_type_id": self.passport.id, "signer_id_number": "E12345678"}
            )
        self.assertEqual(self.codes(receipt), ["id_type_not_accepted"])
        self.passport.accepted = True
        self.assertEqual(self.codes(receipt), [])
        with self.key():
            receipt.action_sign()
        self.assertEqual(receipt.state, "signed")

    def test_delegate_incomplete(self):
        """R-RC-3: both IDs and numbers, the delegate's name."""
        receipt = self.make_receipt(
            signer_name="杨民敬", is_delegate=True, delegate_name="王芳"
        )
        self.assertIn("delegate_incomplete", self.codes(receipt))
        with self.key():
            receipt.write(
                {
                    "signer_id_type_id": self.resident_id.id,
                    "signer_id_number": VALID_ID,
                }
            )
        self.assertIn("delegate_incomplete", self.codes(receipt))
        with self.key():
            receipt.write(
                {
                    "delegate_id_type_id": self.resident_id.id,
                    "delegate_id_number": "11010519491231002X",
                }
            )
        self.assertEqual(self.codes(receipt), [])

    def test_seal_missing(self):
        """R-RC-5: company consignee: seal, or sealed authorisation plus the
        picker's ID."""
        receipt = self.make_receipt(
            "联合贸易有限公司", signer_name="张三", consignee_is_company=True
        )
        codes = self.codes(receipt)
        self.assertIn("seal_missing", codes)
        self.assertNotIn("name_mismatch", codes)
        receipt.seal_present = True
        self.assertEqual(self.codes(receipt), [])
        receipt.seal_present = False
        receipt.sealed_authorisation = True
        self.assertEqual(self.codes(receipt), ["id_missing"])
        with self.key():
            receipt.write(
                {
                    "signer_id_type_id": self.resident_id.id,
                    "signer_id_number": VALID_ID,
                }
            )
        self.assertEqual(self.codes(receipt), [])
        # the shipper requires a seal from a person consignee too
        person = self.make_receipt(requirement="seal", signer_name="杨民敬")
        self.assertIn("seal_missing", self.codes(person))

    def test_shipper_document_missing(self):
        receipt = self.make_receipt(
            requirement="shipper_document", signer_name="杨民敬"
        )
        self.assertEqual(self.codes(receipt), ["shipper_document_missing"])
        receipt.shipper_document_returned = True
        self.assertEqual(self.codes(receipt), [])

    def test_verification_refused_with_violations(self):
        receipt = self.make_receipt(signer_name="杨民敬")
        receipt.action_sign()
        receipt.write({"state": "received"})
        receipt.signer_id_photocopy = True
        receipt.signer_id_type_id = self.resident_id
        with self.key():
            receipt.signer_id_number = VALID_ID
        with self.assertRaises(ValidationError) as error, self.key():
            receipt.action_verify()
        self.assertIn("photocopy", str(error.exception))
        self.assertEqual(receipt.state, "received")
        with self.key():
            self.assertIn("photocopy", receipt.violation_text)


@tagged("post_install", "-at_install")
class TestReceiptDeadlines(ReceiptCommon):
    """R-RC-8: due dates and the daily chase."""

    def test_due_date_per_transfers(self):
        arrival = datetime(2026, 11, 11, 2, 0)  # 10:00 in China
        expected = {0: 10, 1: 15, 2: 20, 3: 25, 4: 25}
        for transfers, days in expected.items():
            waybill = self.make_waybill(arrival_date=arrival, transfer_count=transfers)
            self.assertEqual(
                waybill.receipt_ids.due_date,
                date(2026, 11, 11) + timedelta(days=days),
                f"{transfers} transfers",
            )
        # configurable in Settings
        self.env["ir.config_parameter"].sudo().set_param(
            "logistics_followup.receipt_days_direct", 7
        )
        waybill = self.make_waybill(arrival_date=arrival, transfer_count=0)
        self.assertEqual(waybill.receipt_ids.due_date, date(2026, 11, 18))
        waybill.transfer_count = 1
        self.assertEqual(waybill.receipt_ids.due_date, date(2026, 11, 26))

    def test_arrival_from_ingestion_moves_due_date(self):
        waybill = self.make_waybill()
        self.assertFalse(waybill.receipt_ids.due_date)
        self.env["logistics.tracking.event"]._recompute_waybills([])  # no-op
        self.env.cr.execute(
            "UPDATE logistics_waybill SET arrival_date = '2026-11-01 03:00' "
            "WHERE id = %s",
            [waybill.id],
        )
        waybill.invalidate_recordset(["arrival_date"])
        self.Receipt._recompute_due_dates(waybill.ids)
        self.assertEqual(waybill.receipt_ids.due_date, date(2026, 11, 11))

    def test_overdue_cron_is_idempotent(self):
        arrival = datetime(2026, 10, 1, 2, 0)
        late = self.make_waybill(arrival_date=arrival).receipt_ids
        late.user_id = self.clerk
        nobody = self.make_waybill(arrival_date=arrival).receipt_ids
        fine = self.make_waybill(arrival_date=datetime(2026, 11, 20)).receipt_ids
        done = self.make_receipt(signer_name="杨民敬")
        done.waybill_id.arrival_date = arrival
        done.action_sign()
        done.write({"state": "received"})
        self.env["ir.config_parameter"].sudo().set_param(
            "logistics_followup.receipt_clerk_id", str(self.clerk.id)
        )
        chase = self.env.ref("logistics_followup.mail_activity_type_receipt_chase")
        with freeze_time("2026-11-22 04:00:00"):
            self.Receipt._cron_flag_overdue()
            self.Receipt._cron_flag_overdue()
        self.assertTrue(late.is_overdue and nobody.is_overdue)
        self.assertFalse(fine.is_overdue or done.is_overdue)
        for receipt in (late, nobody):
            activities = receipt.activity_ids.filtered(
                lambda a: a.activity_type_id == chase
            )
            self.assertEqual(len(activities), 1, "one chase, not one per run")
            self.assertEqual(activities.user_id, self.clerk)
        self.assertFalse(fine.activity_ids)
        self.assertEqual(
            self.Receipt.search([("is_overdue", "=", True)]) & (late | nobody | fine),
            late | nobody,
        )
        # back at the origin: no longer overdue
        late.write({"state": "received"})
        self.assertFalse(late.is_overdue)


@tagged("post_install", "-at_install")
class TestReceiptPrivacy(ReceiptCommon):
    """PIPL Art. 19, 28, 51: encrypted at rest, clear for clerks and
    supervisors only, every reveal logged, erased after hand-over."""

    def raw(self, receipt):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT signer_id_number_enc, signer_id_number_masked, "
            "delegate_id_number_enc FROM logistics_receipt WHERE id = %s",
            [receipt.id],
        )
        return self.env.cr.fetchone()

    def test_encrypted_at_rest(self):
        receipt = self.make_receipt()
        with self.key():
            receipt.with_user(self.clerk).write(
                {
                    "signer_id_type_id": self.resident_id.id,
                    "signer_id_number_entry": VALID_ID,
                }
            )
        enc, masked, _delegate = self.raw(receipt)
        self.assertTrue(enc)
        self.assertNotIn(VALID_ID, enc)
        self.assertNotIn("0519491231", enc)
        self.assertEqual(masked, "110105********002X")
        self.env.cr.execute(
            "SELECT count(*) FROM logistics_receipt r "
            "WHERE row_to_json(r)::text LIKE %s",
            [f"%{VALID_ID}%"],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, "no clear number anywhere")
        with self.key():
            self.assertEqual(receipt.with_user(self.clerk).signer_id_number, VALID_ID)
        # the wrong key cannot read it
        with patch.dict(config.options, {"logistics_id_key": "another-key-0123456789"}):
            receipt.invalidate_recordset()
            with self.assertRaises(UserError):
                receipt.with_user(self.clerk).signer_id_number  # noqa: B018

    def test_missing_key_error(self):
        receipt = self.make_receipt()
        with (
            patch.dict(config.options, {"logistics_id_key": ""}),
            patch.dict("os.environ", {"LOGISTICS_ID_KEY": ""}),
        ):
            with self.assertRaises(UserError) as error:
                receipt.with_user(self.clerk).signer_id_number = VALID_ID
            self.assertIn("logistics_id_key", str(error.exception))
        self.assertFalse(self.raw(receipt)[0])
        self.assertFalse(self.raw(receipt)[1])

    def test_environment_variable_fallback(self):
        receipt = self.make_receipt()
        with (
            patch.dict(config.options, {"logistics_id_key": ""}),
            patch.dict("os.environ", {"LOGISTICS_ID_KEY": KEY}),
        ):
            receipt.signer_id_number = VALID_ID
        with self.key():
            self.assertEqual(receipt.signer_id_number, VALID_ID)

    def test_access_to_id_numbers_by_group(self):
        """Agents see the masked form only, clerks and supervisors the
        clear number, portal users nothing at all."""
        receipt = self.make_receipt()
        with self.key():
            receipt.signer_id_number = VALID_ID
            as_agent = receipt.with_user(self.agent)
            self.assertEqual(as_agent.signer_id_number_masked, "110105********002X")
            with self.assertRaises(AccessError):
                as_agent.read(["signer_id_number"])
            with self.assertRaises(AccessError):
                as_agent.read(["signer_id_number_enc"])
            with self.assertRaises(AccessError):
                as_agent.write({"signer_id_number": "1"})
            with self.assertRaises(AccessError):
                as_agent.action_show_id_numbers()
            self.agent.group_ids += self.env.ref("base.group_allow_export")
            exported = as_agent.export_data(["signer_id_number_masked"])["datas"]
            self.assertEqual(exported, [["110105********002X"]])
            for user in (self.clerk, self.supervisor):
                receipt.invalidate_recordset()
                self.assertEqual(
                    receipt.with_user(user).read(["signer_id_number"])[0][
                        "signer_id_number"
                    ],
                    VALID_ID,
                )
            with self.assertRaises(AccessError):
                receipt.with_user(self.portal_user).read(["signer_id_number_masked"])

    def test_masked_id_fields_protected(self):
        """Issue 11 item 10: the masked ID numbers (and their erasure date)
        cannot be written by an agent over RPC, only derived from the
        number; writing the number itself still updates them."""
        receipt = self.make_receipt()
        with self.key():
            receipt.signer_id_number = VALID_ID
        as_agent = receipt.with_user(self.agent)
        for field in (
            "signer_id_number_masked",
            "delegate_id_number_masked",
            "id_erased_date",
        ):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                as_agent.write({field: "1999-01-01 00:00:00"})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            as_agent.create(
                {
                    "waybill_id": receipt.waybill_id.id,
                    "signer_id_number_masked": "110105********0000",
                }
            )
        self.assertEqual(receipt.signer_id_number_masked, "110105********002X")
        as_agent.write({"signer_name": receipt.signer_name or "x"})

    def test_reveal_log(self):
        receipt = self.make_receipt()
        Reveal = self.env["logistics.receipt.reveal"]
        with self.key():
            receipt.signer_id_number_entry = VALID_ID
            self.assertFalse(Reveal.search([("receipt_id", "=", receipt.id)]))
            receipt.invalidate_recordset()
            receipt.with_user(self.clerk).signer_id_number  # noqa: B018
            action = receipt.with_user(self.supervisor).action_show_id_numbers()
        self.assertIn(VALID_ID, action["params"]["message"])
        logs = Reveal.search([("receipt_id", "=", receipt.id)], order="id")
        self.assertEqual(logs.mapped("user_id"), self.clerk | self.supervisor)
        self.assertEqual(logs.mapped("method"), ["field", "button"])
        self.assertTrue(Reveal.with_user(self.supervisor).search_count([]))

    def test_retention_cron(self):
        receipt = self.make_receipt(signer_name="杨民敬")
        kept = self.make_receipt(signer_name="杨民敬")
        with self.key():
            (receipt | kept).write(
                {
                    "signer_id_type_id": self.resident_id.id,
                    "signer_id_number": VALID_ID,
                }
            )
            for rec in receipt | kept:
                rec.action_sign()
                rec.write({"state": "received"})
                rec.action_verify()
                rec.handed_over_to = "Sales"
                rec.action_hand_over()
        receipt.write({"handed_over_date": datetime.now() - timedelta(days=200)})
        self.env["ir.config_parameter"].sudo().set_param(
            "logistics_followup.receipt_id_retention_days", 180
        )
        self.assertEqual(self.Receipt._cron_erase_id_numbers(), 1)
        self.assertEqual(self.Receipt._cron_erase_id_numbers(), 0)
        enc, masked, _delegate = self.raw(receipt)
        self.assertFalse(enc)
        self.assertEqual(masked, "110105********002X")
        self.assertTrue(receipt.id_erased_date)
        self.assertTrue(self.raw(kept)[0])


@tagged("post_install", "-at_install")
class TestReceiptFollowsParcel(ReceiptCommon):
    """R-RC-7: a receipt is signed where its parcel is handed out, so not
    before the parcel has arrived at its delivering station or been
    delivered; R-RC-2: a wrong ID check digit is reported as it is typed;
    messages name the receipt once; the monthly summary has no empty
    month (R-RC-9)."""

    def test_cannot_sign_a_parcel_in_transit(self):
        receipt = self.make_receipt(signer_name="杨民敬", arrived=False)
        self.assertEqual(receipt.waybill_id.state, "created")
        with self.assertRaises(UserError) as error:
            receipt.with_user(self.clerk).action_sign()
        message = str(error.exception)
        self.assertIn(f"Receipt {receipt.waybill_number} cannot be signed", message)
        self.assertIn("Created", message)
        self.assertEqual(receipt.state, "required")
        self.set_tracking(receipt.waybill_id, state="in_transit")
        with self.assertRaises(UserError) as error:
            receipt.action_sign()
        self.assertIn("In Transit", str(error.exception))
        # arrived at the delivering station: it can be signed there
        self.set_tracking(receipt.waybill_id, state="at_station")
        receipt.with_user(self.clerk).action_sign()
        self.assertEqual(receipt.state, "signed")

    def test_failed_delivery_at_the_station_can_be_signed(self):
        receipt = self.make_receipt(signer_name="杨民敬", arrived=False)
        self.set_tracking(receipt.waybill_id, state="exception")
        with self.assertRaises(UserError):
            receipt.action_sign()
        self.set_tracking(
            receipt.waybill_id, state="exception", arrival_date=datetime(2026, 11, 20)
        )
        receipt.action_sign()
        self.assertEqual(receipt.state, "signed")

    def test_returned_parcel_blocks_every_step(self):
        receipt = self.make_receipt(signer_name="杨民敬")
        receipt.action_sign()
        self.set_tracking(
            receipt.waybill_id, state="returned", arrival_date=datetime(2026, 11, 20)
        )
        envelope = self.env["logistics.receipt.envelope"].create(
            {"line_ids": [(0, 0, {"receipt_id": receipt.id})]}
        )
        envelope.action_send()
        envelope.action_receive()
        envelope.found_numbers = receipt.waybill_number
        with self.assertRaises(UserError) as error:
            envelope.action_check()
        self.assertIn("cannot be received yet", str(error.exception))
        self.assertIn("Returned", str(error.exception))
        self.assertEqual(receipt.state, "sent")
        receipt.action_mark_missing()
        with self.assertRaises(UserError):
            receipt.action_found()
        # a direct write cannot skip the rule either
        with self.assertRaises(UserError):
            receipt.write({"state": "handed_over"})
        self.set_tracking(receipt.waybill_id, state="delivered")
        receipt.action_found()
        receipt.action_verify()
        receipt.handed_over_to = "Sales"
        self.set_tracking(receipt.waybill_id, state="lost")
        with self.assertRaises(UserError) as error:
            receipt.action_hand_over()
        self.assertIn("cannot be handed over yet", str(error.exception))
        self.set_tracking(receipt.waybill_id, state="delivered")
        receipt.action_hand_over()
        self.assertEqual(receipt.state, "handed_over")

    def test_batch_error_names_each_receipt(self):
        first = self.make_receipt("张伟", signer_name="张伟", arrived=False)
        second = self.make_receipt("王芳", signer_name="王芳", arrived=False)
        ready = self.make_receipt("李娜", signer_name="李娜")
        with self.assertRaises(UserError) as error:
            (first | second | ready).action_sign()
        message = str(error.exception)
        self.assertIn(first.waybill_number, message)
        self.assertIn(second.waybill_number, message)
        self.assertNotIn(ready.waybill_number, message)
        self.assertEqual(ready.state, "required", "all or nothing")

    def test_id_number_checked_as_typed(self):
        receipt = self.make_receipt(requirement="signature_id", signer_name="杨民敬")
        with self.key():
            result = receipt.with_user(self.clerk)._id_number_warning(
                self.resident_id, BAD_CHECK_ID, "signer"
            )
            self.assertEqual(result["warning"]["title"], "Check the ID number")
            message = result["warning"]["message"]
            self.assertIn("the check digit does not match", message)
            self.assertNotIn(BAD_CHECK_ID, message, "shown masked")
            self.assertIsNone(
                receipt._id_number_warning(self.resident_id, VALID_ID, "signer")
            )
            # no type chosen yet: a resident ID number is checked all the same
            self.assertTrue(
                receipt._id_number_warning(self.Doc, BAD_CHECK_ID, "delegate")
            )
            self.assertIsNone(receipt._id_number_warning(self.Doc, "", "signer"))
            # in the form, as the clerk types it
            form = Form(receipt.with_user(self.clerk))
            form.signer_id_type_id = self.resident_id
            with self.assertLogs("odoo.tests.form", level="WARNING") as logs:
                form.signer_id_number_entry = BAD_CHECK_ID
            self.assertIn("check digit", "\n".join(logs.output))
            form.save()
            # the check at signing is kept
            with self.assertRaises(ValidationError):
                receipt.action_sign()

    def test_messages_name_the_receipt_once(self):
        receipt = self.make_receipt(signer_name="杨民敬")
        number = receipt.waybill_number
        self.assertEqual(receipt.display_name, f"Receipt {number}")
        messages = []
        with self.assertRaises(UserError) as error:
            receipt.action_verify()
        messages.append(str(error.exception))
        receipt.action_sign()
        with self.assertRaises(UserError) as error:
            receipt.action_reject()
        messages.append(str(error.exception))
        other = self.make_receipt("王芳", signer_name="张三")
        with self.assertRaises(ValidationError) as error:
            other.action_sign()
        messages.append(str(error.exception))
        late = self.make_receipt(signer_name="杨民敬", arrived=False)
        with self.assertRaises(UserError) as error:
            late.action_sign()
        messages.append(str(error.exception))
        for message in messages:
            self.assertNotIn("Receipt Receipt", message)
            self.assertIn("Receipt ", message)
        receipt.reject_reason = "Smudged"
        receipt.action_reject()
        chatter = "\n".join(receipt.message_ids.mapped("body"))
        self.assertNotIn("Receipt Receipt", chatter)

    def test_monthly_summary_has_no_empty_month(self):
        """Receipts whose parcel has not arrived have no due date: counted
        under their own heading in the analysis, left out of the PDF's
        figures with their count in a note."""
        due = self.make_receipt(signer_name="杨民敬")
        waiting = self.make_receipt("王芳", arrived=False)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE logistics_receipt SET due_date = '2026-12-10' WHERE id = %s",
            [due.id],
        )
        self.env.invalidate_all()
        Report = self.env["logistics.receipt.report"].with_user(self.supervisor)
        groups = dict(
            Report._read_group(
                [("receipt_id", "in", (due | waiting).ids)],
                ["due_month"],
                ["receipt_count:sum"],
            )
        )
        self.assertEqual(groups, {"2026-12": 1, "Not due yet (parcel not arrived)": 1})
        self.assertNotIn(False, groups)
        self.assertNotIn(None, groups)
        # the heading follows the reader's language
        self.env["res.lang"]._activate_lang("zh_CN")
        zh = Report.with_context(lang="zh_CN")._read_group(
            [("receipt_id", "=", waiting.id)], ["due_month"], ["__count"]
        )
        self.assertTrue(zh[0][0])
        run = self.env["logistics.report.run"].create(
            {
                "report": "monthly_receipt",
                "period_start": date(2026, 12, 1),
                "period_end": date(2027, 1, 1),
            }
        )
        figures = run._report_figures()
        metrics = {m["label"]: m["current"] for m in figures["metrics"]}
        self.assertEqual(metrics["Receipts due"], 1)
        notes = "\n".join(figures["notes"])
        self.assertIn("not counted until their parcel arrives: 1", notes)
