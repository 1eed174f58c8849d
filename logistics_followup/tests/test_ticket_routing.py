# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import LogisticsCommon

NOW = datetime(2026, 10, 10, 12, 0)  # outside the shipped peak periods


class RoutingCommon(LogisticsCommon):
    """A parcel-service team of three agents, a customer and his parcels."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.Detection = cls.env["logistics.problem.detection"]
        cls.members = cls.agent | cls.env["res.users"].concat(
            *(
                new_test_user(
                    cls.env,
                    f"lf_route_{i}",
                    groups="logistics_followup.group_logistics_agent",
                )
                for i in range(2)
            )
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Parcel desk", "user_ids": [(6, 0, cls.members.ids)]}
        )
        cls.env.company.logistics_team_id = cls.team
        # tickets the database already has (demo data) do not count
        cls.env["helpdesk.ticket"].search([("user_id", "in", cls.members.ids)]).write(
            {"user_id": False}
        )
        cls.customer = cls.portal_user.partner_id
        cls.customer.write(
            {
                "street": "北京市海淀区中关村大街1号",
                "phone": "13900139000",
                "lang": "en_US",
            }
        )
        cls.sender = cls.env["res.partner"].create(
            {
                "name": "寄件人 张三",
                "street": "上海市浦东新区张江路1号",
                "phone": "13800138000",
            }
        )
        cls.seq = 0
        cls.stalled = cls.env.ref("logistics_followup.problem_type_stalled")
        cls.exception_type = cls.env.ref(
            "logistics_followup.problem_type_exception_scan"
        )
        cls.chase_type = cls.env.ref("logistics_followup.problem_type_delivery_chase")

    def waybill(self, state="in_transit", **sql_values):
        type(self).seq += 1
        waybill = self.env["logistics.waybill"].create(
            {
                "number": f"SF{7100000000000 + self.seq:013d}",
                "courier_id": self.courier_sf.id,
                "direction": "inbound",
                "sender_partner_id": self.sender.id,
                "receiver_partner_id": self.customer.id,
            }
        )
        values = {"state": state, "create_date": NOW - timedelta(days=10)}
        values.update(sql_values)
        return self.set_tracking(waybill, **values)

    def open_tickets(self, waybill):
        return self.Ticket.search(
            [("waybill_id", "=", waybill.id), ("logistics_open", "=", True)]
        )


@tagged("post_install", "-at_install")
class TestTicketRouting(RoutingCommon):
    def test_detection_from_its_cron_makes_routed_tickets(self):
        """The hourly detection, started by its cron from a fresh cursor,
        opens numbered tickets through create(): team, balanced assignee,
        followers, creation message, checklist; one per waybill and type."""
        waybills = self.env["logistics.waybill"].concat(
            *(
                self.waybill("in_transit", last_event_time=NOW - timedelta(days=5))
                for _i in range(3)
            )
        )
        with freeze_time(NOW):
            self.run_cron("logistics_followup.ir_cron_detect_problems")
        tickets = self.Ticket.search(
            [
                ("waybill_id", "in", waybills.ids),
                ("problem_type_id", "=", self.stalled.id),
            ]
        )
        self.assertEqual(len(tickets), 3)
        for ticket in tickets:
            self.assertTrue(ticket.number and ticket.number != "/", ticket.number)
            self.assertEqual(ticket.team_id, self.team)
            self.assertIn(ticket.user_id, self.members)
            self.assertIn(ticket.user_id.partner_id, ticket.message_partner_ids)
            self.assertTrue(
                ticket.message_ids.filtered(
                    lambda m: (
                        m.subtype_id == self.env.ref("helpdesk_mgmt.hlp_tck_created")
                    )
                ),
                "helpdesk_mgmt's creation message",
            )
            self.assertTrue(ticket.step_ids)
            self.assertFalse(ticket.portal_shared)
        # three tickets, three agents: one each
        self.assertEqual(tickets.user_id, self.members)
        self.assertEqual(len(set(tickets.mapped("number"))), 3)
        # the rerun adds nothing
        with freeze_time(NOW + timedelta(hours=1)):
            self.run_cron("logistics_followup.ir_cron_detect_problems")
        self.assertEqual(
            self.Ticket.search_count([("waybill_id", "in", waybills.ids)]), 3
        )

    def test_balanced_assignment(self):
        """N tickets over k equally available members: max - min <= 1; an
        unavailable member gets none."""
        away = self.members[2]
        away.logistics_available = False
        waybills = [self.waybill() for _i in range(7)]
        tickets = self.Ticket.create(
            [
                {
                    "name": "Chase",
                    "description": "<p>x</p>",
                    "logistics_kind": "problem",
                    "problem_type_id": self.stalled.id,
                    "waybill_id": w.id,
                }
                for w in waybills
            ]
        )
        counts = [
            len(tickets.filtered(lambda t, u=user: t.user_id == u))
            for user in self.members - away
        ]
        self.assertLessEqual(max(counts) - min(counts), 1)
        self.assertEqual(sum(counts), 7)
        self.assertFalse(tickets.filtered(lambda t: t.user_id == away))

    def test_delivery_area_agent_takes_delivery_chase(self):
        """R-PP-2: the delivery area's agent takes its delivery chases."""
        courier = self.env["res.partner"].create({"name": "快递员 王五"})
        area = self.env["logistics.delivery.area"].create(
            {
                "name": "中关村片区",
                "keywords": "中关村",
                "courier_partner_id": courier.id,
                "user_id": self.members[1].id,
            }
        )
        waybill = self.waybill()
        waybill.delivery_area_id = area
        [(ticket, created)] = self.Ticket._logistics_request(
            [
                {
                    "vals": {
                        "name": "Chase",
                        "description": "<p>x</p>",
                        "waybill_id": waybill.id,
                        "logistics_kind": "delivery_chase",
                    }
                }
            ]
        )
        self.assertTrue(created)
        self.assertEqual(ticket.user_id, self.members[1])

    def test_portal_request_never_assigned_to_customer(self):
        """A customer's chase from the portal, with helpdesk_mgmt's auto
        assignment on: routed to the team, never to the customer; it gets
        the chase type's checklist and deadline."""
        self.env.company.helpdesk_mgmt_ticket_auto_assign = True
        waybill = self.waybill()
        ticket, created = (
            waybill.with_user(self.portal_user)
            .sudo()
            ._portal_open_ticket(self.customer, "chase", "我的快递呢")
        )
        self.assertTrue(created)
        self.assertNotEqual(ticket.user_id, self.portal_user)
        self.assertIn(ticket.user_id, self.members)
        self.assertEqual(ticket.problem_type_id, self.chase_type)
        self.assertTrue(ticket.step_ids)
        self.assertTrue(ticket.logistics_deadline)
        self.assertTrue(ticket.portal_shared)

    def test_second_request_joins_open_ticket(self):
        """A second request on the parcel's open ticket of that slot is a
        message on it; the requester follows it and is told which ticket
        took it; "New Ticket" opens the existing ticket."""
        waybill = self.waybill()
        first, created = waybill.sudo()._portal_open_ticket(
            self.customer, "chase", "第一次催件"
        )
        self.assertTrue(created)
        again, created = waybill.sudo()._portal_open_ticket(
            self.customer, "chase", "第二次催件"
        )
        self.assertFalse(created)
        self.assertEqual(again, first)
        self.assertEqual(len(self.open_tickets(waybill)), 1)
        self.assertIn("第二次催件", "".join(first.message_ids.mapped("body")))
        self.assertIn(self.customer, first.message_partner_ids)
        # created directly (the ticket form): refused, naming the open one
        with self.assertRaises(UserError) as error:
            self.Ticket.with_user(self.agent).create(
                {
                    "name": "Chase",
                    "description": "<p>x</p>",
                    "waybill_id": waybill.id,
                    "logistics_kind": "delivery_chase",
                }
            )
        self.assertIn(first.number, str(error.exception))
        action = waybill.with_user(self.agent).action_new_ticket()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["next"]["res_id"], first.id)
        self.assertIn(first.number, action["params"]["message"])

    def test_request_on_unknown_or_foreign_waybill_refused(self):
        """Bad input: an unknown waybill, or one of a company the user may
        not reach, is refused with a reason and creates nothing."""
        other_company = self.env["res.company"].create({"name": "Other Express"})
        waybill = self.waybill()
        waybill.sudo().company_id = other_company
        count = self.Ticket.search_count([])
        for waybill_id in (waybill.id, 999999999):
            with self.assertRaises(UserError):
                self.Ticket.with_user(self.agent)._logistics_request(
                    [
                        {
                            "vals": {
                                "name": "x",
                                "description": "<p>x</p>",
                                "waybill_id": waybill_id,
                                "logistics_kind": "problem",
                                "problem_type_id": self.stalled.id,
                            }
                        }
                    ]
                )
        self.assertEqual(self.Ticket.search_count([]), count)

    def test_portal_user_never_sees_internal_ticket(self):
        """Tickets the detection or an agent opened stay internal: not in
        /my/tickets' search, not readable, not on the parcel page; shared,
        they appear."""
        waybill = self.waybill("in_transit", last_event_time=NOW - timedelta(days=5))
        with freeze_time(NOW):
            self.Detection._detect(now=NOW)
        internal = self.open_tickets(waybill)
        self.assertEqual(len(internal), 1)
        self.assertEqual(internal.partner_id, self.customer)
        Portal = self.Ticket.with_user(self.portal_user)
        self.assertFalse(Portal.search([("id", "=", internal.id)]))
        with self.assertRaises(AccessError):
            internal.with_user(self.portal_user).read(["name"])
        internal.portal_shared = True
        self.assertEqual(Portal.search([("id", "=", internal.id)]), internal)

    def test_merge_tickets_of_one_parcel(self):
        """Merge: messages, followers and attachments kept on the ticket that
        goes on; the merged one closed with a link; two parcels refused."""
        waybill = self.waybill()
        keep = self.Ticket.create(
            {"name": "A", "description": "<p>a</p>", "waybill_id": waybill.id,
             "logistics_kind": "inquiry"}
        )  # fmt: skip
        merged = self.Ticket.create(
            {"name": "B", "description": "<p>b</p>", "waybill_id": waybill.id,
             "logistics_kind": "complaint", "partner_id": self.sender.id}
        )  # fmt: skip
        merged.message_post(body="客户补充说明", message_type="comment")
        attachment = self.env["ir.attachment"].create(
            {"name": "photo.jpg", "res_model": "helpdesk.ticket", "res_id": merged.id}
        )
        merged.message_subscribe(partner_ids=self.sender.ids)
        wizard = (
            self.env["logistics.ticket.merge.wizard"]
            .with_user(self.agent)
            .with_context(
                active_model="helpdesk.ticket", active_ids=[keep.id, merged.id]
            )
            .create({})
        )
        self.assertEqual(wizard.target_id, keep)
        wizard.action_merge()
        self.assertTrue(merged.closed)
        self.assertEqual(merged.duplicate_id, keep)
        self.assertEqual(attachment.res_id, keep.id)
        self.assertIn("客户补充说明", "".join(keep.message_ids.mapped("body")))
        self.assertIn(self.sender, keep.message_partner_ids)
        # tickets of two parcels
        other = self.Ticket.create(
            {"name": "C", "description": "<p>c</p>", "waybill_id": self.waybill().id,
             "logistics_kind": "inquiry"}
        )  # fmt: skip
        wizard = self.env["logistics.ticket.merge.wizard"].create(
            {"ticket_ids": [(6, 0, (keep | other).ids)], "target_id": keep.id}
        )
        with self.assertRaises(UserError):
            wizard.action_merge()

    def test_rebalance_by_supervisor(self):
        waybills = [self.waybill() for _i in range(4)]
        tickets = self.Ticket.create(
            [
                {
                    "name": "x",
                    "description": "<p>x</p>",
                    "logistics_kind": "problem",
                    "problem_type_id": self.stalled.id,
                    "waybill_id": w.id,
                    "user_id": self.members[0].id,
                    "team_id": self.team.id,
                }
                for w in waybills
            ]
        )
        with self.assertRaises(UserError):
            tickets.with_user(self.agent).action_rebalance()
        tickets.with_user(self.supervisor).action_rebalance()
        counts = [
            len(tickets.filtered(lambda t, u=u: t.user_id == u)) for u in self.members
        ]
        self.assertLessEqual(max(counts) - min(counts), 1)

    def test_exception_event_becomes_ticket_through_trigger(self):
        """An exception scan arriving through ingest flags its waybill and
        triggers the event-driven detection; its cron, run as the cron
        runner runs it, opens the ticket at once (not an hour later)."""
        waybill = self.waybill("in_transit")
        cron = self.env.ref("logistics_followup.ir_cron_detect_events")
        # not due by its interval: only the ingestion's trigger makes it ready
        cron.nextcall = datetime.now() + timedelta(days=1)
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        result = self.env["logistics.tracking.event"].ingest(
            [
                {
                    "waybill": waybill.number,
                    "courier": "SF",
                    "time": "2026-10-10T11:00:00+08:00",
                    "status": "exception",
                    "place": "北京海淀站",
                    "description": "客户不在，改日派送",
                }
            ]
        )
        self.assertEqual(result["accepted"], 1)
        self.assertTrue(waybill.detection_pending)
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers,
        )
        self.run_cron("logistics_followup.ir_cron_detect_events", ready_only=True)
        ticket = self.open_tickets(waybill)
        self.assertEqual(ticket.problem_type_id, self.exception_type)
        self.assertTrue(ticket.user_id)
        self.assertFalse(waybill.detection_pending)
        # closed, the same exception does not open a ticket again
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        waybill.sudo().detection_pending = True
        self.Detection._detect_pending()
        self.assertFalse(self.open_tickets(waybill))

    def test_response_breach_visible_when_due(self):
        """R-CP-3: a phone inquiry unanswered 5 minutes later is found by the
        "Answer Overdue" search at once, and flagged by the 5-minute job."""
        phone = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        with freeze_time(NOW):
            ticket = self.Ticket.create(
                {
                    "name": "查件",
                    "description": "<p>x</p>",
                    "logistics_kind": "inquiry",
                    "channel_id": phone.id,
                }
            )
        self.assertTrue(ticket.first_response_deadline)
        overdue = [("response_overdue", "=", True), ("id", "=", ticket.id)]
        with freeze_time(NOW + timedelta(minutes=4)):
            self.assertFalse(self.Ticket.search(overdue))
        with freeze_time(NOW + timedelta(minutes=6)):
            self.assertEqual(self.Ticket.search(overdue), ticket)
            self.run_cron("logistics_followup.ir_cron_flag_response_breaches")
        self.assertTrue(ticket.response_breached)

    def test_detect_now_menu_for_supervisors(self):
        """The manual detection run is on a menu supervisors see and can
        run; agents do not see it."""
        menu = self.env.ref("logistics_followup.menu_logistics_detect")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.supervisor)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.agent)._visible_menu_ids())
        action = self.env.ref("logistics_followup.action_detect_problems")
        result = action.with_user(self.supervisor).run()
        self.assertEqual(result["tag"], "display_notification")

    def test_company_language_on_detected_tickets(self):
        """What the detection writes is in the company's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env.company.partner_id.lang = "zh_CN"
        self.env["ir.module.module"].search(
            [("name", "=", "logistics_followup")]
        )._update_translations(["zh_CN"])
        waybill = self.waybill("in_transit", last_event_time=NOW - timedelta(days=5))
        with freeze_time(NOW):
            self.Detection.with_context(lang="en_US")._detect(now=NOW)
        ticket = self.open_tickets(waybill)
        self.assertTrue(ticket.name.startswith("分拨中心扫描后滞留"), ticket.name)
        self.assertNotIn("Detected", ticket.description)
        self.assertFalse(
            [s for s in ticket.step_ids.mapped("name") if s.isascii()],
            ticket.step_ids.mapped("name"),
        )


@tagged("post_install", "-at_install")
class TestTicketRequestInterleaving(RoutingCommon):
    """Property: whatever the order of N requests (customer from the portal,
    agent, detection) on one waybill and slot, exactly one open ticket holds
    all of them."""

    @settings(max_examples=12, deadline=None)
    @given(
        st.lists(
            st.sampled_from(["portal", "agent", "detection"]), min_size=1, max_size=5
        )
    )
    def test_any_interleaving_leaves_one_ticket(self, sources):
        waybill = self.waybill("in_transit", last_event_time=NOW - timedelta(days=5))
        for index, source in enumerate(sources):
            marker = f"request-{index}-{source}"
            if source == "portal":
                waybill.sudo()._portal_open_ticket(self.customer, "chase", marker)
            elif source == "agent":
                self.Ticket.with_user(self.agent)._logistics_request(
                    [
                        {
                            "vals": {
                                "name": "Chase",
                                "description": f"<p>{marker}</p>",
                                "waybill_id": waybill.id,
                                "logistics_kind": "delivery_chase",
                            },
                            "partner": self.agent.partner_id,
                        }
                    ]
                )
            else:
                self.Ticket._logistics_request(
                    [
                        {
                            "vals": {
                                "name": "Chase",
                                "description": f"<p>{marker}</p>",
                                "waybill_id": waybill.id,
                                "problem_type_id": self.chase_type.id,
                            }
                        }
                    ]
                )
        tickets = self.open_tickets(waybill).filtered(
            lambda t: t.problem_type_id == self.chase_type
        )
        self.assertEqual(len(tickets), 1)
        text = tickets.description + "".join(tickets.message_ids.mapped("body"))
        for index, source in enumerate(sources):
            self.assertIn(f"request-{index}-{source}", text)
