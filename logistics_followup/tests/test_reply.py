# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import LogisticsCommon


@tagged("post_install", "-at_install")
class TestReplies(LogisticsCommon):
    """R-CP-5 / R-CP-3: replies go to the waybill's customer (or the
    ticket's contact) with a salutation in his language, in one click; text
    messages when the SMS module is there; phone calls logged and counted as
    the first response when they reached the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        Partner = cls.env["res.partner"]
        cls.receiver = Partner.create(
            {
                "name": "张三",
                "email": "zhangsan@example.com",
                "phone": "+86 139 0013 9000",
                "lang": "zh_CN",
                "logistics_title": "mr",
            }
        )
        cls.sender = Partner.create(
            {"name": "Acme Trading", "email": "acme@example.com", "is_company": True}
        )
        cls.waybill = cls.env["logistics.waybill"].create(
            {
                "number": "SF1234567890661",
                "courier_id": cls.courier_sf.id,
                "direction": "inbound",
                "sender_partner_id": cls.sender.id,
                "receiver_partner_id": cls.receiver.id,
                "sender_address": "上海市浦东新区张江路1号",
                "sender_phone": "13800138000",
                "receiver_address": "北京市海淀区中关村大街1号",
                "receiver_phone": "13900139000",
            }
        )
        cls.phone_channel = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")

    def ticket(self, **vals):
        return (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                {
                    "name": "催件",
                    "description": "<p>客户催件</p>",
                    "logistics_kind": "delivery_chase",
                    "waybill_id": self.waybill.id,
                    "channel_id": self.phone_channel.id,
                    **vals,
                }
            )
        )

    # recipients and salutation ---------------------------------------------

    def test_reply_goes_to_the_waybill_customer(self):
        """No contact on the ticket: the receiver of a parcel we deliver;
        the contact when the ticket has one."""
        ticket = self.ticket()
        self.assertEqual(ticket.reply_partner_id, self.receiver)
        self.assertEqual(ticket.reply_salutation, "尊敬的张先生：")
        self.assertEqual(ticket.reply_phone, "13900139000")
        contact = self.env["res.partner"].create(
            {"name": "Li Si", "email": "lisi@example.com", "lang": "en_US"}
        )
        ticket.partner_id = contact
        self.assertEqual(ticket.reply_partner_id, contact)
        self.assertEqual(ticket.reply_salutation, "Dear Li Si,")

    def test_templates_address_the_customer(self):
        """Every reply template has a recipient, a language and a
        salutation: never "Dear ," nor an empty To field."""
        ticket = self.ticket()
        for name in ("apology", "missing_info", "appointment", "resolution"):
            template = self.env.ref(f"logistics_followup.mail_template_ticket_{name}")
            values = template._generate_template(
                ticket.ids, ("body_html", "partner_to", "lang")
            )[ticket.id]
            self.assertEqual(values["partner_ids"], self.receiver.ids, name)
            self.assertIn("尊敬的张先生：", values["body_html"], name)
            self.assertNotIn("Dear ,", values["body_html"], name)
            self.assertEqual(template._render_lang(ticket.ids)[ticket.id], "zh_CN")

    def test_one_click_reply_sends(self):
        """The header button sends the reply at once: a public message to
        the customer, e-mailed, which is the ticket's first response."""
        ticket = self.ticket()
        self.assertTrue(ticket.first_response_deadline)
        ticket.with_user(self.agent).with_context(
            logistics_template="logistics_followup.mail_template_ticket_apology"
        ).action_send_reply()
        message = ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.receiver in m.partner_ids
        )
        self.assertEqual(len(message), 1)
        self.assertIn("尊敬的张先生：", message.body)
        self.assertIn("SF1234567890661", message.subject)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertTrue(
            message.notification_ids.filtered(
                lambda n: (
                    n.res_partner_id == self.receiver and n.notification_type == "email"
                )
            )
        )
        self.assertTrue(ticket.first_response_date)

    def test_reply_composer_prefilled(self):
        """ "Reply" opens the composer with the template the situation calls
        for and the customer as recipient: Send sends it."""
        ticket = self.ticket()
        ticket.receiver_address = False
        self.assertTrue(ticket.missing_facts)
        action = ticket.with_user(self.agent).action_send_logistics_template()
        self.assertEqual(
            action["context"]["default_template_id"],
            self.env.ref("logistics_followup.mail_template_ticket_missing_info").id,
        )
        composer = Form.from_action(self.env(user=self.agent), action)
        # the customer, and whoever else Odoo suggests (a team's followers)
        self.assertIn(self.receiver, composer.partner_ids[:])
        composer.save().action_send_mail()
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: m.message_type == "comment" and self.receiver in m.partner_ids
            )
        )

    def test_reply_without_email_refused(self):
        self.receiver.email = False
        ticket = self.ticket()
        with self.assertRaises(UserError):
            ticket.with_user(self.agent).action_send_reply()
        self.assertFalse(
            ticket.message_ids.filtered(lambda m: m.message_type == "comment")
        )

    def test_sms(self):
        """A text message through the SMS module when installed (the button
        shows only then); without it, a clear refusal."""
        ticket = self.ticket()
        if "sms.composer" not in self.env:
            self.assertFalse(ticket.logistics_sms_available)
            with self.assertRaises(UserError):
                ticket.with_user(self.agent).action_send_sms()
            return
        self.assertTrue(ticket.logistics_sms_available)
        action = ticket.with_user(self.agent).action_send_sms()
        self.assertTrue(action["context"]["default_body"].startswith("尊敬的张先生："))
        composer = Form.from_action(self.env(user=self.agent), action)
        composer.body = composer.body + "预计明天派送。"
        composer.save().action_send_sms()
        sms = ticket.message_ids.filtered(lambda m: m.message_type == "sms")
        self.assertEqual(len(sms), 1)
        self.assertIn("预计明天派送", sms.body)
        self.assertTrue(ticket.first_response_date)

    # phone calls -------------------------------------------------------------

    def log_call(self, ticket, user=None, **vals):
        action = ticket.with_user(user or self.agent).action_log_call()
        form = Form(
            self.env["logistics.call.log"]
            .with_user(user or self.agent)
            .with_context(**action["context"])
        )
        for name, value in vals.items():
            setattr(form, name, value)
        return form.save()

    def test_reached_call_is_first_response(self):
        """R-CP-3: an outbound call that reached the customer answers the
        ticket; no answer, busy or the customer's own call do not; the cron
        does not flag an answered ticket."""
        start = datetime(2026, 11, 22, 8, 0)
        with freeze_time(start):
            ticket = self.ticket()
        self.assertEqual(ticket.first_response_deadline, start + timedelta(minutes=5))
        with freeze_time(start + timedelta(minutes=1)):
            busy = self.log_call(ticket, outcome="busy")
            inbound = self.log_call(ticket, outcome="reached", direction="inbound")
        self.assertFalse(ticket.first_response_date)
        self.assertFalse(busy.counted_as_response or inbound.counted_as_response)
        with freeze_time(start + timedelta(minutes=3)):
            reached = self.log_call(
                ticket, outcome="reached", duration=2.5, note="已告知明天派送"
            )
        self.assertEqual(reached.partner_id, self.receiver)
        self.assertEqual(reached.phone, "13900139000")
        self.assertTrue(reached.counted_as_response)
        self.assertEqual(ticket.first_response_date, start + timedelta(minutes=3))
        self.assertFalse(ticket.response_breached)
        self.assertEqual(ticket.call_count, 3)
        note = ticket.message_ids.filtered(lambda m: "已告知明天派送" in (m.body or ""))
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn("2.5", note.body)
        with freeze_time(start + timedelta(hours=1)):
            self.env["helpdesk.ticket"]._cron_flag_response_breaches()
        self.assertFalse(ticket.response_breached)

    def test_late_call_is_a_breach(self):
        start = datetime(2026, 11, 22, 8, 0)
        with freeze_time(start):
            ticket = self.ticket()
        with freeze_time(start + timedelta(minutes=20)):
            self.log_call(ticket, outcome="reached")
        self.assertTrue(ticket.response_breached)

    def test_bad_call_refused(self):
        ticket = self.ticket()
        with self.assertRaises(ValidationError):
            self.log_call(ticket, outcome="reached", duration=-1)
        self.assertFalse(ticket.call_log_ids)

    def test_call_access(self):
        """Agents log calls and read them, they do not rewrite or delete
        them; supervisors may; another company sees nothing."""
        ticket = self.ticket()
        call = self.log_call(ticket, outcome="no_answer")
        with self.assertRaises(AccessError):
            call.with_user(self.agent).write({"outcome": "reached"})
        with self.assertRaises(AccessError):
            call.with_user(self.agent).unlink()
        call.with_user(self.supervisor).write({"note": "再打一次"})
        self.assertEqual(call.note, "再打一次")
        other = self.env["res.company"].create({"name": "Other Express"})
        outsider = self.agent.copy(
            {
                "login": "lf_agent_other_calls",
                "company_id": other.id,
                "company_ids": [other.id],
            }
        )
        Call = self.env["logistics.call.log"].with_user(outsider)
        self.assertFalse(Call.search([("id", "=", call.id)]))
        with self.assertRaises(AccessError):
            call.with_user(outsider).read(["outcome"])
        with self.assertRaises(AccessError):
            Call.create({"ticket_id": ticket.id, "outcome": "reached"})
        self.assertEqual(ticket.call_count, 1)
        with self.assertRaises(AccessError):
            self.env["logistics.call.log"].with_user(self.clerk).search([])
