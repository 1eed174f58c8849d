# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import LogisticsCommon


@tagged("post_install", "-at_install")
class TestHelpdeskTicket(LogisticsCommon):
    """R-WB-1 gate, problem types and checklists, deadlines, R-CP-1 closed
    loop, R-CP-3 response targets, compensation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.sender = cls.env["res.partner"].create(
            {
                "name": "张三",
                "street": "上海市浦东新区张江路1号",
                "phone": "13800138000",
                "email": "zhangsan@example.com",
            }
        )
        cls.receiver = cls.env["res.partner"].create(
            {"name": "李四", "street": "北京市海淀区中关村大街1号"}
        )
        cls.waybill = cls.env["logistics.waybill"].create(
            {
                "number": "SF1234567890123",
                "courier_id": cls.courier_sf.id,
                "sender_partner_id": cls.sender.id,
                "receiver_partner_id": cls.receiver.id,
                "destination_station": "北京海淀站",
            }
        )
        cls.lost = cls.env.ref("logistics_followup.problem_type_lost")
        cls.attitude = cls.env.ref("logistics_followup.problem_type_service_attitude")

    def ticket(self, **vals):
        return self.Ticket.create(
            dict(
                {
                    "name": "催单",
                    "description": "<p>客户催单</p>",
                    # an inquiry: chases are one open ticket per parcel
                    "logistics_kind": "inquiry",
                    "waybill_id": self.waybill.id,
                },
                **vals,
            )
        )

    # R-WB-1 ---------------------------------------------------------------

    def test_gate_lists_missing_facts(self):
        """R-WB-1: the first stage cannot be left while the receiver's phone is
        unknown; the message names it; recorded, the ticket moves on."""
        ticket = self.ticket()
        self.assertEqual(ticket.sender_address, "上海市浦东新区张江路1号")
        self.assertEqual(ticket.sender_phone, "13800138000")
        self.assertFalse(ticket.receiver_phone)
        self.assertEqual(ticket.missing_facts, "receiver phone")
        with self.assertRaises(ValidationError) as err:  # rolled back
            ticket.stage_id = self.stage_progress
        self.assertIn("receiver phone", str(err.exception))
        self.assertEqual(ticket.stage_id, self.stage_new)
        ticket.receiver_phone = "13900139000"
        ticket.stage_id = self.stage_progress
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertFalse(ticket.missing_facts)

    def test_gate_without_waybill(self):
        """R-WB-1: everything is listed when nothing is known; a non-logistics
        ticket is not gated."""
        ticket = self.Ticket.create(
            {"name": "查件", "description": "<p>?</p>", "logistics_kind": "inquiry"}
        )
        with self.assertRaises(ValidationError) as err:
            ticket.stage_id = self.stage_progress
        for label in (
            "waybill number",
            "sender address",
            "receiver address",
            "sender phone",
            "receiver phone",
        ):
            self.assertIn(label, str(err.exception))
        plain = self.Ticket.create({"name": "IT", "description": "<p>printer</p>"})
        plain.stage_id = self.stage_progress
        self.assertEqual(plain.stage_id, self.stage_progress)

    def test_gate_on_create_in_later_stage(self):
        """R-WB-1: a ticket cannot be created past its first stage without
        the facts either."""
        with self.assertRaises(ValidationError):
            self.ticket(stage_id=self.stage_progress.id)

    def test_waybill_action_prefills(self):
        """Creating a ticket from a waybill fills what the waybill knows."""
        action = self.waybill.action_new_ticket()
        form = Form(self.Ticket.with_context(**action["context"]))
        ticket = form.save()
        self.assertEqual(ticket.waybill_id, self.waybill)
        self.assertEqual(ticket.logistics_kind, "outbound_chase")
        self.assertEqual(ticket.partner_id, self.sender)
        self.assertEqual(ticket.receiver_address, "北京市海淀区中关村大街1号")
        self.assertEqual(self.waybill.ticket_count, 1)
        self.assertEqual(
            self.waybill.action_view_tickets()["domain"],
            [("waybill_id", "=", self.waybill.id)],
        )

    # problem types, checklist, deadlines ------------------------------------

    @freeze_time("2026-11-22 08:00:00")
    def test_problem_type_playbook_and_deadline(self):
        """A problem type brings its kind, checklist and default deadline; the
        checklist records who ticked what."""
        ticket = self.ticket(logistics_kind=False, problem_type_id=self.lost.id)
        self.assertEqual(ticket.logistics_kind, "compensation")
        self.assertEqual(
            ticket.step_ids.mapped("name"), self.lost.step_ids.mapped("name")
        )
        self.assertEqual(ticket.logistics_deadline, datetime(2026, 11, 25, 8, 0))
        self.assertEqual(ticket.step_progress, 0)
        ticket.step_ids[0].with_user(self.agent).done = True
        self.assertEqual(ticket.step_ids[0].done_uid, self.agent)
        self.assertAlmostEqual(ticket.step_progress, 100 / len(ticket.step_ids))
        # a type set later brings its playbook too
        other = self.ticket()
        self.assertFalse(other.step_ids)
        other.problem_type_id = self.attitude
        self.assertEqual(len(other.step_ids), len(self.attitude.step_ids))

    def test_deadline_states_and_search(self):
        """R-PP-4: on time, due soon (4 h before), overdue; searchable for the
        "my overdue" filter; a closed ticket is never overdue."""
        now = datetime(2026, 11, 22, 8, 0)
        with freeze_time(now):
            ok = self.ticket(logistics_deadline=now + timedelta(hours=10))
            soon = self.ticket(logistics_deadline=now + timedelta(hours=2))
            late = self.ticket(
                logistics_deadline=now - timedelta(hours=1), user_id=self.env.uid
            )
            none = self.ticket()
            self.assertEqual(
                (ok + soon + late + none).mapped("deadline_state"),
                ["ok", "warning", "overdue", "none"],
            )
            mine = [("user_id", "=", self.env.uid), ("deadline_state", "=", "overdue")]
            self.assertEqual(self.Ticket.search(mine), late)
            found = self.Ticket.search([("deadline_state", "in", ["warning", "ok"])])
            self.assertEqual(found & (ok + soon + late + none), ok + soon)
            self.assertEqual(
                self.Ticket.search([("deadline_state", "=", "none")])
                & (ok + soon + late + none),
                none,
            )
            late.receiver_phone = "13900139000"
            late.stage_id = self.stage_done
            self.assertEqual(late.deadline_state, "none")
            self.assertFalse(self.Ticket.search(mine))

    # R-CP-1 ----------------------------------------------------------------

    def test_complaint_needs_root_cause_and_schedules_revisit(self):
        """R-CP-1: closing a complaint requires its root cause; closing it
        plans the customer's revisit (R-RV-3)."""
        complaint = self.ticket(
            logistics_kind="complaint",
            problem_type_id=self.attitude.id,
            receiver_phone="13900139000",
            user_id=self.agent.id,
        )
        with self.assertRaises(ValidationError) as err:  # rolled back
            complaint.stage_id = self.stage_done
        self.assertIn("root cause", str(err.exception))
        complaint.root_cause = "快递员未电话联系即放驿站"
        complaint.stage_id = self.stage_done
        # R-RV-3: the shipper (the waybill's customer) is revisited within
        # the complaint rule's days, by the agent who handled the complaint
        revisit = complaint.revisit_ids
        self.assertEqual(len(revisit), 1)
        self.assertEqual(revisit.partner_id, self.sender)
        self.assertEqual(revisit.user_id, self.agent)
        self.assertEqual(revisit.state, "planned")
        rule = self.env.ref("logistics_followup.revisit_rule_complaint")
        self.assertEqual(revisit.rule_id, rule)
        today = self.env["logistics.revisit"]._today(complaint.company_id)
        self.assertLessEqual(
            revisit.planned_date, today + timedelta(days=rule.interval_days)
        )
        self.assertEqual(revisit.activity_ids.user_id, self.agent)
        self.assertIn("Revisit", revisit.activity_ids.summary)
        # emptying the root cause of a closed complaint is refused too
        with self.assertRaises(ValidationError):
            complaint.root_cause = False

    # R-CP-3 ----------------------------------------------------------------

    def test_response_targets(self):
        """R-CP-3: phone 5 minutes, price inquiry 8 hours; answered late is a
        breach, unanswered past the target is flagged by the cron."""
        phone = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        price = self.env.ref("logistics_followup.helpdesk_ticket_category_price")
        now = datetime(2026, 11, 22, 8, 0)
        with freeze_time(now):
            call = self.ticket(channel_id=phone.id)
            quote = self.ticket(category_id=price.id, logistics_kind="inquiry")
            untargeted = self.ticket()
        self.assertEqual(call.first_response_deadline, now + timedelta(minutes=5))
        self.assertEqual(quote.first_response_deadline, now + timedelta(hours=8))
        self.assertFalse(untargeted.first_response_deadline)
        with freeze_time(now + timedelta(minutes=3)):
            call.with_user(self.agent).action_mark_responded()
        self.assertFalse(call.response_breached)
        with freeze_time(now + timedelta(hours=9)):
            # at least ours (demo tickets may be breached too)
            self.assertGreaterEqual(self.Ticket._cron_flag_response_breaches(), 1)
        self.assertTrue(quote.response_breached)
        self.assertFalse(quote.first_response_date)
        self.assertEqual(
            self.Ticket.search([("response_breached", "=", True)]) & (call + quote),
            quote,
        )

    def test_public_reply_is_first_response(self):
        """R-CP-3: an agent's public message answers the customer; an
        internal note does not."""
        phone = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        ticket = self.ticket(channel_id=phone.id)
        ticket.with_user(self.agent).message_post(
            body="内部备注", subtype_xmlid="mail.mt_note", message_type="comment"
        )
        self.assertFalse(ticket.first_response_date)
        ticket.with_user(self.agent).message_post(
            body="您好, 已为您催件",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        self.assertTrue(ticket.first_response_date)

    # compensation ----------------------------------------------------------

    def test_compensation_proposal_and_approval(self):
        """REFERENCE.md 6.3: uninsured loss capped at 3x freight; insured
        partial loss in proportion; only a supervisor approves."""
        ticket = self.ticket(
            problem_type_id=self.lost.id, actual_loss=500, freight_amount=20
        )
        self.assertEqual(ticket.compensation_proposed, 60)
        self.assertEqual(ticket.compensation_basis, "uninsured_capped")
        self.env["ir.config_parameter"].sudo().set_param(
            "logistics_followup.uninsured_multiple", 5
        )
        ticket.invalidate_recordset(["compensation_proposed"])
        self.assertEqual(ticket.compensation_proposed, 100)
        ticket.write(
            {
                "insured": True,
                "insured_amount": 1000,
                "declared_value": 2000,
                "partial_loss": True,
            }
        )
        self.assertEqual(ticket.compensation_proposed, 250)
        self.assertEqual(ticket.compensation_basis, "insured_partial")
        with self.assertRaises(UserError):
            ticket.with_user(self.agent).action_approve_compensation()
        ticket.with_user(self.supervisor).action_approve_compensation()
        self.assertEqual(ticket.compensation_approved, 250)
        self.assertEqual(ticket.compensation_approved_uid, self.supervisor)
        with self.assertRaisesRegex(ValidationError, "declared"):
            ticket.declared_value = 0
        with self.assertRaises(ValidationError):
            ticket.actual_loss = -1

    # templates -------------------------------------------------------------

    def test_reply_templates_render(self):
        """R-CP-5: the four reply templates render the ticket's facts."""
        ticket = self.ticket(
            appointment_date=datetime(2026, 11, 25, 2, 0),
            partner_id=self.sender.id,
        )
        for xmlid in (
            "mail_template_ticket_apology",
            "mail_template_ticket_missing_info",
            "mail_template_ticket_appointment",
            "mail_template_ticket_resolution",
        ):
            template = self.env.ref(f"logistics_followup.{xmlid}")
            body = template._render_field("body_html", ticket.ids)[ticket.id]
            self.assertIn("SF1234567890123", body, xmlid)
            action = ticket.with_context(
                logistics_template=f"logistics_followup.{xmlid}"
            ).action_send_logistics_template()
            self.assertEqual(action["context"]["default_template_id"], template.id)
        missing = self.env.ref("logistics_followup.mail_template_ticket_missing_info")
        self.assertIn(
            "receiver phone",
            missing._render_field("body_html", ticket.ids)[ticket.id],
        )

    def test_reply_templates_in_customer_language(self):
        """R-CP-5: the templates are written in the customer's language."""
        for lang in ("zh_CN", "zh_TW"):
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["logistics_followup"], ["zh_CN", "zh_TW"], overwrite=True
        )
        template = self.env.ref("logistics_followup.mail_template_ticket_apology")
        for lang, expected in (
            ("zh_CN", "运输时间"),
            ("zh_TW", "運輸時間"),
            ("en_US", "taking longer"),
        ):
            self.sender.lang = lang
            ticket = self.ticket(partner_id=self.sender.id)
            body = template._render_field("body_html", ticket.ids, compute_lang=True)[
                ticket.id
            ]
            subject = template._render_field("subject", ticket.ids, compute_lang=True)[
                ticket.id
            ]
            self.assertIn("SF1234567890123", body)
            self.assertIn(expected, body + subject, lang)

    # access ----------------------------------------------------------------

    def test_portal_sees_own_ticket_without_internal_facts(self):
        """A customer reads his own ticket in the portal, but not the other
        party's phone and address, the root cause, the station chases or the
        compensation analysis (PIPL; GB/T 41833 masking outside the back
        office)."""
        customer = self.portal_user.partner_id
        ticket = self.ticket(
            partner_id=customer.id,
            receiver_phone="13900139000",
            problem_type_id=self.lost.id,
            actual_loss=100,
        )
        ticket.message_subscribe(partner_ids=customer.ids)
        # opened by an agent: internal until shared with the customer
        with self.assertRaises(AccessError):
            ticket.with_user(self.portal_user).read(["name"])
        ticket.portal_shared = True
        mine = ticket.with_user(self.portal_user)
        values = mine.read(["name", "logistics_kind", "logistics_deadline"])[0]
        self.assertEqual(values["logistics_kind"], "inquiry")
        # another customer's ticket stays out of reach
        other = self.ticket(partner_id=self.receiver.id)
        self.assertEqual(
            self.Ticket.with_user(self.portal_user).search([("id", "in", other.ids)]),
            self.Ticket,
        )
        with self.assertRaises(AccessError):
            other.with_user(self.portal_user).read(["name"])
        for name in (
            "receiver_phone",
            "sender_address",
            "waybill_id",
            "problem_type_id",
            "root_cause",
            "responsible_courier_id",
            "escalation_ids",
            "step_ids",
            "compensation_proposed",
            "actual_loss",
        ):
            with self.assertRaises(AccessError, msg=name):
                mine.read([name])

    def test_access(self):
        """Agents tick checklists and read problem types; only supervisors
        configure them; portal users reach none of it."""
        ticket = self.ticket(problem_type_id=self.lost.id)
        ticket.step_ids[0].with_user(self.agent).done = True
        self.lost.with_user(self.agent).read(["name"])
        with self.assertRaises(AccessError):
            self.lost.with_user(self.agent).write({"deadline_hours": 1})
        self.lost.with_user(self.supervisor).write({"deadline_hours": 48})
        for model in (
            "logistics.problem.type",
            "logistics.ticket.step",
            "logistics.peak.period",
            "logistics.response.target",
            "logistics.escalation",
        ):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.portal_user).search([])
