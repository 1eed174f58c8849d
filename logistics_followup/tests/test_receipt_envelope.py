# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_receipt import ReceiptCommon


@tagged("post_install", "-at_install")
class TestReceiptEnvelope(ReceiptCommon):
    """R-RC-7: envelopes listing their receipts, checked at the origin."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receipts = cls.Receipt
        for name in ("张伟", "王芳", "李娜"):
            cls.receipts |= cls.make_receipt(name, signer_name=name)
        cls.receipts.action_sign()
        cls.Envelope = cls.env["logistics.receipt.envelope"]

    def test_mismatch_missing_and_extra(self):
        first, second, third = self.receipts
        stray = self.make_receipt("赵磊", signer_name="赵磊")
        envelope = self.Envelope.create(
            {"from_station": "杭州西湖网点", "to_station": "深圳宝安网点"}
        )
        self.assertTrue(envelope.name.startswith("ENV/"))
        envelope.action_add_signed()
        self.assertLessEqual(self.receipts, envelope.line_ids.receipt_id)
        # signed receipts of demo data at the same station are not this test's
        envelope.line_ids.filtered(
            lambda line: line.receipt_id not in self.receipts
        ).unlink()
        self.assertEqual(envelope.line_ids.receipt_id, self.receipts)
        self.assertEqual(envelope.receipt_count, 3)
        envelope.action_send()
        self.assertEqual(set(self.receipts.mapped("state")), {"sent"})
        with self.assertRaises(UserError):
            envelope.action_check()
        envelope.action_receive()
        with self.assertRaises(UserError):
            envelope.action_check()
        envelope.found_numbers = (
            f"{first.waybill_number}\n {second.waybill_number.lower()} ,"
            f"{stray.waybill_number}; SF9999999999999"
        )
        envelope.action_check()
        self.assertEqual(envelope.state, "checked")
        self.assertEqual((first | second).mapped("state"), ["received", "received"])
        self.assertEqual(third.state, "missing")
        self.assertEqual(envelope.missing_count, 1)
        self.assertEqual(envelope.extra_count, 2)
        extras = envelope.line_ids.filtered(lambda line: line.result == "extra")
        self.assertEqual(
            sorted(extras.mapped("waybill_number")),
            sorted([stray.waybill_number, "SF9999999999999"]),
        )
        self.assertEqual(extras.receipt_id, stray)
        self.assertEqual(stray.state, "required", "extras are reported only")
        move = third.move_ids.sorted("id")[-1]
        self.assertEqual((move.state_from, move.state_to), ("sent", "missing"))
        self.assertIn(envelope.name, move.note)
        self.assertIn("SF9999999999999", envelope.message_ids[0].body)

    def test_only_signed_receipts_are_sent(self):
        unsigned = self.make_receipt("吴敏")
        envelope = self.Envelope.create(
            {"line_ids": [(0, 0, {"receipt_id": unsigned.id})]}
        )
        with self.assertRaises(UserError):
            envelope.action_send()
        with self.assertRaises(UserError):
            self.Envelope.create({}).action_send()

    def test_envelope_report(self):
        envelope = self.Envelope.create(
            {
                "from_station": "杭州西湖网点",
                "line_ids": [(0, 0, {"receipt_id": r.id}) for r in self.receipts],
            }
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "logistics_followup.action_report_receipt_envelope", envelope.ids
            )[0]
            .decode()
        )
        self.assertIn(envelope.name, html)
        for receipt in self.receipts:
            self.assertIn(receipt.waybill_number, html)
        self.assertIn("张*", html)
        self.assertNotIn("王芳", html, "names are masked on the printed list")
        content, kind = self.env["ir.actions.report"]._render_qweb_pdf(
            "logistics_followup.action_report_receipt_envelope", envelope.ids
        )
        self.assertTrue(content)
        self.assertIn(kind, ("pdf", "html"))

    def test_monthly_summary(self):
        """R-RC-9: on time, late, abnormal, missing, from the SQL view."""
        first, second, third = self.receipts
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE logistics_receipt SET due_date = '2026-11-10', "
            "received_date = CASE id WHEN %s THEN '2026-11-09 05:00'::timestamp "
            "WHEN %s THEN '2026-11-12 05:00'::timestamp END, "
            "state = CASE id WHEN %s THEN 'missing' ELSE 'received' END "
            "WHERE id IN %s",
            [first.id, second.id, third.id, tuple(self.receipts.ids)],
        )
        abnormal = self.make_receipt("赵磊", signer_name="赵磊")
        abnormal.action_sign()
        abnormal.reject_reason = "Smudged"
        abnormal.action_reject()
        self.env.flush_all()
        report = self.env["logistics.receipt.report"].search(
            [("receipt_id", "in", (self.receipts | abnormal).ids)]
        )
        by_receipt = {r.receipt_id: r.classification for r in report}
        self.assertEqual(
            [by_receipt[r] for r in (first, second, third, abnormal)],
            ["on_time", "late", "missing", "abnormal"],
        )
        groups = self.env["logistics.receipt.report"]._read_group(
            [("receipt_id", "in", self.receipts.ids)],
            ["due_date:month", "classification"],
            ["receipt_count:sum"],
        )
        self.assertEqual(sum(count for _m, _c, count in groups), 3)
