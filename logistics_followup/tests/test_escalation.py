# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import LogisticsCommon


@tagged("post_install", "-at_install")
class TestEscalation(LogisticsCommon):
    """催件 / 转派: chase the responsible station or courier from a ticket,
    remind when the reply is late, re-route with the history kept."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.station = Partner.create(
            {"name": "北京海淀站", "email": "haidian@example.com", "is_company": True}
        )
        cls.other_station = Partner.create(
            {"name": "北京朝阳站", "email": "chaoyang@example.com", "is_company": True}
        )
        cls.courier = Partner.create({"name": "快递员 王五", "phone": "13700137000"})
        waybill = cls.env["logistics.waybill"].create(
            {
                "number": "SF1234567890124",
                "courier_id": cls.courier_sf.id,
                "receiver_address": "北京市海淀区中关村大街1号",
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "派送催单",
                "description": "<p>客户催件</p>",
                "logistics_kind": "delivery_chase",
                "waybill_id": waybill.id,
                "responsible_station_id": cls.station.id,
                "user_id": cls.agent.id,
            }
        )

    def run_wizard(self, user=None, **vals):
        ticket = self.ticket.with_user(user or self.agent)
        action = ticket.action_escalate()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user or self.agent)
            .with_context(**action["context"])
        )
        for name, value in vals.items():
            setattr(form, name, value)
        wizard = form.save()
        return wizard.action_confirm()

    def test_chase_by_email(self):
        """The station gets the chase template with the waybill facts; the
        chase is logged on the ticket with its reply deadline."""
        now = datetime(2026, 11, 22, 8, 0)
        with freeze_time(now):
            self.run_wizard(note="请告知延误原因及派送时间")
        escalation = self.ticket.escalation_ids
        self.assertEqual(escalation.partner_id, self.station)
        self.assertEqual(escalation.state, "waiting")
        self.assertEqual(escalation.reply_deadline, now + timedelta(hours=4))
        mail = self.env["mail.mail"].search(
            [("model", "=", "logistics.escalation"), ("res_id", "=", escalation.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("SF1234567890124", mail.body_html)
        self.assertIn("请告知延误原因及派送时间", mail.body_html)
        self.assertEqual(mail.recipient_ids, self.station)
        self.assertIn("请告知延误原因及派送时间", self.ticket.message_ids[0].body)
        self.assertEqual(self.ticket.escalation_count, 1)

    def test_chase_note_in_agent_time_zone(self):
        """The chatter note gives the reply deadline in the agent's time zone
        (08:00 UTC + 4 h = 20:00 in Shanghai), not in UTC."""
        self.agent.tz = "Asia/Shanghai"
        with freeze_time(datetime(2026, 11, 22, 8, 0)):
            self.run_wizard(note="请尽快回复")
        body = self.ticket.message_ids[0].body
        self.assertIn("Asia/Shanghai", body)
        self.assertIn("2026-11-22 20:00", body)
        self.assertNotIn("12:00", body)

    def test_phone_chase_and_missing_email(self):
        """A contact without email is chased by phone (logged), not mailed."""
        self.ticket.responsible_courier_id = self.courier
        with self.assertRaisesRegex(UserError, "no email"):
            self.run_wizard(role="courier", note="联系收件人")
        self.run_wizard(role="courier", channel="phone", note="联系收件人")
        escalation = self.ticket.escalation_ids
        self.assertEqual(escalation.channel, "phone")
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "logistics.escalation"), ("res_id", "=", escalation.id)]
            )
        )

    def test_reminder_when_reply_is_late(self):
        """No reply by the deadline: flagged overdue and the agent reminded,
        once; a reply closes it."""
        now = datetime(2026, 11, 22, 8, 0)
        with freeze_time(now):
            self.run_wizard(note="原因?", reply_hours=2)
        escalation = self.ticket.escalation_ids
        Escalation = self.env["logistics.escalation"]
        with freeze_time(now + timedelta(hours=1)):
            self.assertEqual(Escalation._cron_remind_overdue(), 0)
        with freeze_time(now + timedelta(hours=3)):
            self.assertEqual(Escalation._cron_remind_overdue(), 1)
            self.assertEqual(Escalation._cron_remind_overdue(), 0)
        self.assertEqual(escalation.state, "overdue")
        activity = self.ticket.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.agent)
        escalation.reply = "收件人电话空号, 明日上午再派"
        escalation.with_user(self.agent).action_mark_replied()
        self.assertEqual(escalation.state, "replied")
        self.assertIn("明日上午再派", self.ticket.message_ids[0].body)

    def test_reroute_keeps_history(self):
        """转派: the ticket moves to another station; earlier chases stay as
        history, marked re-routed."""
        self.run_wizard(note="原因?")
        first = self.ticket.escalation_ids
        with self.assertRaisesRegex(UserError, "another"):
            self.run_wizard(kind="reroute", partner_id=self.station, note="转派")
        self.run_wizard(
            kind="reroute", partner_id=self.other_station, note="转派朝阳站"
        )
        self.assertEqual(self.ticket.responsible_station_id, self.other_station)
        self.assertEqual(first.state, "rerouted")
        second = self.ticket.escalation_ids - first
        self.assertEqual(second.kind, "reroute")
        self.assertEqual(second.previous_partner_id, self.station)
        self.assertEqual(second.state, "waiting")
        # the change is tracked (tests run with tracking disabled) and logged
        self.assertTrue(self.ticket._fields["responsible_station_id"].tracking)
        self.assertIn("转派朝阳站", self.ticket.message_ids[0].body)
        self.assertIn("北京朝阳站", self.ticket.message_ids[0].body)

    def test_company_rule(self):
        """Chases follow their ticket's company."""
        self.run_wizard(note="原因?")
        other = self.env["res.company"].create({"name": "Other Express"})
        user = self.agent.copy(
            {
                "login": "lf_agent_other",
                "company_id": other.id,
                "company_ids": [other.id],
            }
        )
        self.assertFalse(self.env["logistics.escalation"].with_user(user).search([]))
