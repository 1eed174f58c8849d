# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..core import revisit as revisit_core
from .common import LogisticsCommon


class RevisitCommon(LogisticsCommon):
    """Two agents of one team, customers with their agent; nothing of the
    database's own (demo) customers, revisits or agents takes part."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Revisit = cls.env["logistics.revisit"]
        cls.Partner = cls.env["res.partner"]
        cls.company = cls.env.company
        group = cls.env.ref("logistics_followup.group_logistics_agent")
        cls.agent2 = new_test_user(
            cls.env, "lf_agent2", groups="logistics_followup.group_logistics_agent"
        )
        cls.outsider = new_test_user(
            cls.env, "lf_agent3", groups="logistics_followup.group_logistics_agent"
        )
        cls.env["res.users"].search(
            [("all_group_ids", "in", group.ids), ("id", "not in", cls.agent.ids)]
        ).write({"logistics_available": False})
        (cls.agent | cls.agent2 | cls.outsider).logistics_available = True
        cls.supervisor.logistics_available = False
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Revisit desk", "user_ids": [(6, 0, (cls.agent | cls.agent2).ids)]}
        )
        cls.Partner.search([("logistics_customer", "=", True)]).write(
            {"logistics_customer": False}
        )
        cls.Revisit.search([("state", "=", "planned")]).write({"state": "cancelled"})
        cls.env["mail.activity"].search(
            [("res_model", "=", "logistics.revisit")]
        ).unlink()
        cls.rule = {
            code: cls.Revisit._rule(cls.company, code)
            for code in ("new_customer", "regular", "frequent", "complaint")
        }
        cls.today = cls.Revisit._today(cls.company)
        cls.seq = 0

    def customer(self, agent=None, age_days=200, **vals):
        type(self).seq += 1
        partner = self.Partner.create(
            dict(
                {
                    "name": f"客户 {self.seq}",
                    "is_company": True,
                    "phone": f"0211000{self.seq:04d}",
                    "logistics_customer": True,
                    "logistics_agent_id": (agent or self.agent).id,
                },
                **vals,
            )
        )
        # an established customer: assigned long ago
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET logistics_assigned_date = %s WHERE id = %s",
                self.today - timedelta(days=age_days),
                partner.id,
            )
        )
        partner.invalidate_recordset()
        return partner

    def done_revisit(self, partner, days_ago):
        revisit = self.Revisit.create(
            {
                "partner_id": partner.id,
                "rule_id": self.rule["regular"].id,
                "due_date": self.today,
            }
        )
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_revisit SET state = 'done', attempts = 1, "
                "success = 1, done_date = %s, last_attempt_date = %s WHERE id = %s",
                fields.Datetime.now() - timedelta(days=days_ago),
                self.today - timedelta(days=days_ago),
                revisit.id,
            )
        )
        revisit.invalidate_recordset()
        return revisit

    def plan(self):
        return self.Revisit._plan_company(self.company, self.today)

    def open_revisit(self, partner):
        return self.Revisit.search(
            [("partner_id", "=", partner.id), ("state", "=", "planned")]
        )


@tagged("post_install", "-at_install")
class TestRevisitRules(RevisitCommon):
    """Each rule's trigger (R-RV-1..3, R-RP-5), de-duplication across rules,
    the planner started by its cron, idempotence."""

    def test_new_customer_assigned_and_revisited_within_a_week(self):
        """R-RP-5 / R-RV-1: a new customer goes to the agent with the fewest
        customers; the planner gives him a revisit due within 7 days."""
        self.customer(agent=self.agent)
        self.customer(agent=self.agent)
        self.customer(agent=self.agent2)
        new = self.Partner.create(
            {"name": "新客户", "is_company": True, "phone": "02112345678"}
        )
        self.assertFalse(new.logistics_agent_id)
        new.logistics_customer = True
        self.assertEqual(new.logistics_agent_id, self.outsider)  # 0 customers
        self.assertEqual(new.logistics_assigned_date, self.today)
        self.plan()
        revisit = self.open_revisit(new)
        self.assertEqual(revisit.rule_id, self.rule["new_customer"])
        self.assertLessEqual(revisit.due_date, self.today + timedelta(days=7))

    def test_supervisor_rebalances_a_team(self):
        """R-RP-5: the team's customers spread again over its available
        members; those of a member who is away move."""
        customers = [self.customer(agent=self.agent) for _i in range(4)]
        customers += [self.customer(agent=self.agent2) for _i in range(2)]
        self.team.with_user(self.supervisor).action_rebalance_customers()
        owners = [p.logistics_agent_id for p in customers]
        self.assertEqual(owners.count(self.agent), 3)
        self.assertEqual(owners.count(self.agent2), 3)
        self.agent2.logistics_available = False
        self.team.action_rebalance_customers()
        self.assertTrue(all(p.logistics_agent_id == self.agent for p in customers))

    def test_regular_every_sixty_days_and_frequent_problems(self):
        """R-RV-2: revisited 61 days ago -> due; 10 days ago -> not; with 3
        tickets in the last 30 days -> the frequent-problems rule wins and
        both reasons are kept (one open revisit per customer)."""
        old = self.customer()
        self.done_revisit(old, 61)
        recent = self.customer()
        self.done_revisit(recent, 10)
        troubled = self.customer()
        self.done_revisit(troubled, 61)
        for i in range(3):
            self.env["helpdesk.ticket"].create(
                {
                    "name": f"问题 {i}",
                    "description": "<p>x</p>",
                    "partner_id": troubled.id,
                }
            )
        self.plan()
        self.assertEqual(self.open_revisit(old).rule_id, self.rule["regular"])
        self.assertFalse(self.open_revisit(recent))
        revisit = self.open_revisit(troubled)
        self.assertEqual(len(revisit), 1)
        self.assertEqual(revisit.rule_id, self.rule["frequent"])
        self.assertEqual(
            revisit.reason_ids, self.rule["frequent"] | self.rule["regular"]
        )

    def test_campaign_by_domain_and_dates(self):
        """特色回访: the customers of the campaign's filter, during its dates."""
        rule = self.env["logistics.revisit.rule"].create(
            {
                "name": "春节回访",
                "code": "campaign",
                "priority": 50,
                "date_from": self.today,
                "date_to": self.today + timedelta(days=5),
                "campaign_domain": "[('name', 'like', '春节')]",
            }
        )
        festive = self.customer(name="春节客户")
        other = self.customer()
        self.done_revisit(festive, 5)
        self.done_revisit(other, 5)
        self.plan()
        self.assertEqual(self.open_revisit(festive).rule_id, rule)
        self.assertFalse(self.open_revisit(other))
        with self.assertRaises(ValidationError):
            rule.date_to = self.today - timedelta(days=1)

    def test_planner_cron_twice_adds_nothing(self):
        """The daily cron, started like Odoo's runner: revisits created and
        assigned, each with an activity for its agent; a second run changes
        nothing."""
        customers = [self.customer() for _i in range(3)]
        for partner in customers:
            self.done_revisit(partner, 70)
        self.run_cron("logistics_followup.ir_cron_plan_revisits")
        revisits = self.Revisit.search(
            [("partner_id", "in", [p.id for p in customers]), ("state", "=", "planned")]
        )
        self.assertEqual(len(revisits), 3)
        state = sorted((r.id, r.user_id.id, r.planned_date) for r in revisits)
        self.assertTrue(all(r.planned_date == self.today for r in revisits))
        activities = revisits.activity_ids
        self.assertEqual(len(activities), 3)
        self.assertEqual(activities.user_id, revisits.user_id)
        self.run_cron("logistics_followup.ir_cron_plan_revisits")
        again = self.Revisit.search([("partner_id", "in", [p.id for p in customers])])
        self.assertEqual(len(again), 6)  # 3 done + 3 planned
        self.assertEqual(
            sorted(
                (r.id, r.user_id.id, r.planned_date)
                for r in again
                if r.state == "planned"
            ),
            state,
        )
        self.assertEqual(len(again.activity_ids), 3)

    def test_complaint_closed_gets_revisit_within_k_days(self):
        """R-CP-1 / R-RV-3: a closed complaint plans a revisit of its
        customer within the complaint rule's days, for the ticket's agent
        (closing itself: test_helpdesk_ticket); a customer with an open
        revisit gets the complaint added to it."""
        partner = self.customer()
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "投诉",
                "description": "<p>x</p>",
                "partner_id": partner.id,
                "user_id": self.agent2.id,
            }
        )
        self.Revisit._schedule_after_complaint(ticket)
        revisit = self.open_revisit(partner)
        self.assertEqual(revisit.ticket_id, ticket)
        self.assertEqual(revisit.user_id, self.agent2)
        self.assertEqual(revisit.rule_id, self.rule["complaint"])
        days = self.rule["complaint"].interval_days
        self.assertLessEqual(revisit.planned_date, self.today + timedelta(days=days))
        self.assertIn(revisit, ticket.revisit_ids)
        other = self.customer()
        regular = self.Revisit.create(
            {
                "partner_id": other.id,
                "rule_id": self.rule["regular"].id,
                "due_date": self.today + timedelta(days=30),
            }
        )
        ticket2 = ticket.copy({"partner_id": other.id})
        self.Revisit._schedule_after_complaint(ticket2)
        self.assertEqual(self.open_revisit(other), regular)
        self.assertEqual(regular.rule_id, self.rule["complaint"])
        self.assertIn(self.rule["regular"], regular.reason_ids)
        self.assertEqual(regular.due_date, self.today + timedelta(days=days))


@tagged("post_install", "-at_install")
class TestRevisitPlanning(RevisitCommon):
    """R-RV-4: quota, balance, own agent, away agents, carry-over."""

    def test_quota_balance_own_agent_and_away(self):
        """12 due: the away agent gets none; the owner keeps his own
        customers; everybody else at least the quota, within one."""
        self.outsider.logistics_available = False
        mine = [self.customer(agent=self.agent) for _i in range(4)]
        theirs = [self.customer(agent=self.outsider) for _i in range(8)]
        for partner in mine + theirs:
            self.done_revisit(partner, 70)
        result = self.plan()
        self.assertEqual(result["agents"], 2)
        loads = {}
        for partner in mine + theirs:
            revisit = self.open_revisit(partner)
            self.assertEqual(revisit.planned_date, self.today)
            loads[revisit.user_id] = loads.get(revisit.user_id, 0) + 1
        self.assertNotIn(self.outsider, loads)
        self.assertEqual(loads, {self.agent: 6, self.agent2: 6})
        for partner in mine:
            self.assertEqual(self.open_revisit(partner).user_id, self.agent)

    def test_carry_over_oldest_first(self):
        """More due than the agents' daily maximum: the oldest are planned,
        the others wait without a date; tomorrow they come first."""
        self.env["ir.config_parameter"].set_param(
            "logistics_followup.revisit_daily_max", 4
        )
        self.env["ir.config_parameter"].set_param("logistics_followup.revisit_quota", 2)
        partners = [self.customer() for _i in range(15)]
        for days, partner in enumerate(partners):
            self.done_revisit(partner, 61 + days)
        self.plan()
        planned = [p for p in partners if self.open_revisit(p).planned_date]
        self.assertEqual(len(planned), 12)  # 3 agents x 4
        self.assertEqual(set(planned), set(partners[3:]))  # the oldest
        for partner in partners[:3]:
            self.assertFalse(self.open_revisit(partner).activity_ids)

    def test_quota_from_settings(self):
        """R-RV-4: the quota is configurable (default 4)."""
        self.assertEqual(self.plan()["target"], 4)
        self.env["res.config.settings"].create(
            {"logistics_revisit_quota": 6, "logistics_revisit_daily_max": 8}
        ).execute()
        self.assertEqual(self.Revisit._daily_max(), 8)
        self.assertEqual(self.plan()["target"], 6)

    def test_unreachable_rate_raises_target(self):
        """Half of last month's calls failed: the daily target doubles."""
        partner = self.customer()
        revisit = self.done_revisit(partner, 3)
        revisit.write({"attempts": 2})
        self.assertEqual(self.Revisit._unreachable_rate(self.company, self.today), 0.5)
        self.assertEqual(self.plan()["target"], 8)

    @settings(max_examples=8, deadline=None)
    @given(
        st.lists(
            st.tuples(st.integers(0, 20), st.integers(0, 3)), min_size=1, max_size=12
        ),
        st.integers(1, 6),
    )
    def test_sql_selection_follows_core_order(self, specs, cap):
        """The planner's SQL reads the open revisits in
        ``core.revisit.order_key``'s order (due date, priority, id): both on
        the same generated revisits."""
        sp = self.env.cr.savepoint()
        try:
            partners = [self.customer() for _i in specs]
            revisits = self.Revisit.create(
                [
                    {
                        "partner_id": p.id,
                        "rule_id": self.rule["regular"].id,
                        "due_date": self.today - timedelta(days=d),
                    }
                    for p, (d, _prio) in zip(partners, specs, strict=True)
                ]
            )
            for revisit, (_d, prio) in zip(revisits, specs, strict=True):
                revisit.priority = prio
            items = [
                revisit_core.Due(r.id, None, r.due_date, r.priority) for r in revisits
            ]
            expected = [i.key for i in sorted(items, key=revisit_core.order_key)]
            self.env["ir.config_parameter"].set_param(
                "logistics_followup.revisit_daily_max", cap
            )
            self.env["ir.config_parameter"].set_param(
                "logistics_followup.revisit_quota", 1
            )
            self.plan()
            planned = [r.id for r in revisits.sorted("id") if r.planned_date]
            self.assertEqual(sorted(planned), sorted(expected[: 3 * cap]))
        finally:
            self.env.flush_all()
            sp.close(rollback=True)
            self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestRevisitOutcome(RevisitCommon):
    """R-RV-5: outcomes, re-planning, follow-up ticket, bad input."""

    def revisit(self, **vals):
        partner = self.customer()
        return self.Revisit.create(
            dict(
                {
                    "partner_id": partner.id,
                    "rule_id": self.rule["regular"].id,
                    "due_date": self.today,
                    "planned_date": self.today,
                    "user_id": self.agent.id,
                },
                **vals,
            )
        )

    def test_done_with_ratings(self):
        revisit = self.revisit()
        self.assertEqual(revisit.activity_ids.user_id, self.agent)
        revisit = revisit.with_user(self.agent)
        revisit.write(
            {
                "person_reached": "陈经理",
                "rating_service": 5,
                "rating_staff": 4,
                "result": "满意",
            }
        )
        revisit.action_done()
        self.assertEqual(revisit.state, "done")
        self.assertEqual(revisit.attempts, 1)
        self.assertFalse(revisit.activity_ids)
        self.assertTrue(any("陈经理" in m.body for m in revisit.message_ids))
        self.assertIn("1 of 4", revisit.day_progress)
        with self.assertRaises(UserError):
            revisit.action_not_reached()

    def test_not_reached_replanned_then_closed_after_three(self):
        revisit = self.revisit()
        revisit.action_not_reached()
        first = revisit_core.next_working_day(self.today)
        self.assertEqual(revisit.planned_date, first)
        self.assertEqual(revisit.state, "planned")
        self.assertEqual(revisit.activity_ids.date_deadline, first)
        revisit.action_not_reached()
        self.assertEqual(revisit.attempts, 2)
        revisit.action_not_reached()
        self.assertEqual(revisit.state, "not_reached")
        self.assertEqual(revisit.attempts, 3)
        self.assertFalse(revisit.activity_ids)
        self.assertTrue(any("unreachable" in m.body for m in revisit.message_ids))

    def test_followup_ticket_through_the_creation_path(self):
        """A problem raised during the revisit: a ticket on the parcel through
        _logistics_request, linked both ways; without a parcel a plain one."""
        waybill = self.env["logistics.waybill"].create(
            {
                "number": "SF7654321098765",
                "courier_id": self.courier_sf.id,
                "sender_partner_id": self.customer().id,
            }
        )
        revisit = self.revisit(waybill_id=waybill.id).with_user(self.agent)
        with self.assertRaises(UserError):
            revisit.action_followup_ticket()
        revisit.result = "上周的包裹还没收到"
        action = revisit.action_followup_ticket()
        ticket = revisit.followup_ticket_id
        self.assertEqual(action["res_id"], ticket.id)
        self.assertEqual(ticket.waybill_id, waybill)
        self.assertEqual(ticket.logistics_kind, "inquiry")
        self.assertIn(revisit, ticket.sudo().source_revisit_ids)
        arch = ticket.with_user(self.agent).get_view(view_type="form")["arch"]
        self.assertIn("source_revisit_ids", arch)
        plain = self.revisit().with_user(self.agent)
        plain.suggestions = "希望增加夜间派送"
        plain.action_followup_ticket()
        self.assertFalse(plain.followup_ticket_id.waybill_id)
        self.assertEqual(plain.followup_ticket_id.partner_id, plain.partner_id)

    def test_bad_input(self):
        """Ratings outside 1-5, a date in the past, a phone revisit of a
        customer without phone: translated errors, nothing written."""
        revisit = self.revisit()
        with self.assertRaises(ValidationError) as err:
            revisit.rating_service = 6
        self.assertIn("1 (poor) to 5", str(err.exception))
        with self.assertRaises(ValidationError):
            revisit.rating_staff = -1
        with self.assertRaises(ValidationError) as err:
            revisit.planned_date = self.today - timedelta(days=1)
        self.assertIn("past", str(err.exception))
        mute = self.customer(phone=False)
        count = self.Revisit.search_count([])
        with self.assertRaises(ValidationError) as err:
            self.Revisit.create(
                {
                    "partner_id": mute.id,
                    "rule_id": self.rule["regular"].id,
                    "due_date": self.today,
                }
            )
        self.assertIn("no phone", str(err.exception))
        with self.assertRaises(ValidationError) as err:
            self.Revisit.create(
                {
                    "partner_id": mute.id,
                    "rule_id": self.rule["regular"].id,
                    "due_date": self.today,
                    "channel": "email",
                }
            )
        self.assertIn("no email", str(err.exception))
        self.assertEqual(self.Revisit.search_count([]), count)


@tagged("post_install", "-at_install")
class TestRevisitAccess(RevisitCommon):
    """An agent sees and edits his own revisits and reads his team's; a
    supervisor all; a portal user none; another company nothing."""

    def test_access(self):
        mine = self.Revisit.create(
            {
                "partner_id": self.customer().id,
                "rule_id": self.rule["regular"].id,
                "due_date": self.today,
                "user_id": self.agent.id,
            }
        )
        teammate = self.Revisit.create(
            {
                "partner_id": self.customer().id,
                "rule_id": self.rule["regular"].id,
                "due_date": self.today,
                "user_id": self.agent2.id,
            }
        )
        stranger = self.Revisit.create(
            {
                "partner_id": self.customer().id,
                "rule_id": self.rule["regular"].id,
                "due_date": self.today,
                "user_id": self.outsider.id,
            }
        )
        as_agent = self.Revisit.with_user(self.agent)
        seen = as_agent.search([("id", "in", (mine | teammate | stranger).ids)])
        self.assertEqual(seen, mine | teammate)
        mine.with_user(self.agent).result = "ok"
        with self.assertRaises(AccessError):
            teammate.with_user(self.agent).write({"result": "not mine"})
        with self.assertRaises(AccessError):
            stranger.with_user(self.agent).read(["result"])
        sup = self.Revisit.with_user(self.supervisor)
        self.assertEqual(
            len(sup.search([("id", "in", (mine | teammate | stranger).ids)])), 3
        )
        stranger.with_user(self.supervisor).result = "checked"
        with self.assertRaises(AccessError):
            self.Revisit.with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            mine.with_user(self.portal_user).read(["result"])

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_second_company_sees_nothing(self):
        other = self.env["res.company"].create({"name": "Other Express"})
        self.assertTrue(
            self.env["logistics.revisit.rule"].search([("company_id", "=", other.id)])
        )
        revisit = self.Revisit.create(
            {
                "partner_id": self.customer().id,
                "rule_id": self.rule["regular"].id,
                "due_date": self.today,
                "user_id": self.agent.id,
            }
        )
        foreign = new_test_user(
            self.env,
            "lf_other_sup",
            groups="logistics_followup.group_logistics_supervisor",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        as_foreign = self.Revisit.with_user(foreign)
        self.assertFalse(as_foreign.search([("id", "=", revisit.id)]))
        with self.assertRaises(AccessError):
            revisit.with_user(foreign).write({"result": "x"})
        with self.assertRaises(AccessError):
            revisit.with_user(foreign).read(["result"])
