# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

# Waits in the page for each CSS selector in turn (clicking it when it starts
# with "click:"), then signals success; a selector never found, or any error
# of the web client, fails the test (warnings fail tier 3's log check).
WAIT_FOR = """
(async () => {
    const steps = %s;
    for (const step of steps) {
        const click = step.startsWith("click:");
        const selector = click ? step.slice(6) : step;
        let found = null;
        for (let i = 0; i < 300 && !found; i++) {
            found = document.querySelector(selector);
            if (!found) { await new Promise((r) => setTimeout(r, 50)); }
        }
        if (!found) { throw new Error("not rendered: " + selector); }
        if (click) { found.click(); }
    }
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestWebClient(HttpCase):
    """The screens agents, clerks and supervisors use render in the web
    client without error (headless Chromium): parcel tickets kanban and form
    (R-WB-1 banner, checklist), waybill form, receipts, rounds, problem
    types."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env, "lf_web_agent", groups="logistics_followup.group_logistics_agent"
        )
        cls.clerk = new_test_user(
            cls.env,
            "lf_web_clerk",
            groups="logistics_followup.group_logistics_receipt_clerk",
        )
        cls.supervisor = new_test_user(
            cls.env,
            "lf_web_supervisor",
            groups="logistics_followup.group_logistics_supervisor",
        )
        cls.waybill = cls.env["logistics.waybill"].create(
            {
                "number": "SF1234567890777",
                "courier_id": cls.env.ref("logistics_followup.courier_sf").id,
                "sender_address": "上海市浦东新区张江路1号",
                "sender_phone": "13800138000",
                "receiver_address": "北京市海淀区中关村大街1号",
                "receipt_requirement": "signature",
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "催单",
                "description": "<p>客户催单</p>",
                "waybill_id": cls.waybill.id,
                "problem_type_id": cls.env.ref(
                    "logistics_followup.problem_type_stalled"
                ).id,
                "logistics_deadline": fields.Datetime.now() + timedelta(hours=2),
                "user_id": cls.agent.id,
            }
        )

    def assert_renders(self, path, steps, login):
        self.browser_js(
            path,
            WAIT_FOR % steps,
            login=login,
            timeout=90,
        )

    def test_agent_screens(self):
        action = "logistics_followup.helpdesk_ticket_action_logistics"
        self.assert_renders(
            f"/odoo/action-{action}",
            [".o_kanban_record .fa-clock-o"],
            "lf_web_agent",
        )
        self.assert_renders(
            f"/odoo/action-{action}/{self.ticket.id}",
            [
                ".o_form_view .alert-warning [name=missing_facts]",
                "click:.o_notebook a[name=logistics_checklist]",
                "[name=step_ids] .o_data_row",
                "click:.o_notebook a[name=logistics_resolution]",
                "[name=compensation_proposed]",
            ],
            "lf_web_agent",
        )
        self.assert_renders(
            f"/odoo/action-logistics_followup.logistics_waybill_action/{self.waybill.id}",
            [".o_form_view button[name=action_view_tickets]"],
            "lf_web_agent",
        )
        self.assert_renders(
            "/odoo/action-logistics_followup.logistics_delivery_round_action",
            [".o_list_view, .o_view_nocontent"],
            "lf_web_agent",
        )

    def test_portal_ticket_page(self):
        """The customer's ticket page of the portal still renders, without
        the other party's phone."""
        portal = new_test_user(self.env, "lf_web_portal", groups="base.group_portal")
        self.ticket.write(
            {
                "partner_id": portal.partner_id.id,
                "receiver_phone": "13900139000",
                "portal_shared": True,
            }
        )
        self.authenticate("lf_web_portal", "lf_web_portal")
        response = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"<span>{self.ticket.id:,}</span>", response.text)
        self.assertNotIn("13900139000", response.text)

    def test_clerk_and_supervisor_screens(self):
        receipt = self.waybill.receipt_ids
        self.assertTrue(receipt)
        self.assert_renders(
            f"/odoo/action-logistics_followup.logistics_receipt_action/{receipt.id}",
            [".o_form_view [name=signer_name]"],
            "lf_web_clerk",
        )
        self.assert_renders(
            "/odoo/action-logistics_followup.logistics_receipt_envelope_action",
            [".o_list_view, .o_view_nocontent"],
            "lf_web_clerk",
        )
        problem_type = self.env.ref("logistics_followup.problem_type_stalled")
        self.assert_renders(
            "/odoo/action-logistics_followup.logistics_problem_type_action/"
            f"{problem_type.id}",
            [".o_form_view [name=step_ids] .o_data_row"],
            "lf_web_supervisor",
        )

    def test_supervisor_dashboard(self):
        """The dashboard renders its figures and trend chart (Chart.js) and a
        figure opens the records behind it."""
        self.assert_renders(
            "/odoo/action-logistics_followup.logistics_dashboard_action",
            [
                ".o_logistics_dashboard_card[data-key=open_problems]",
                "canvas.o_logistics_dashboard_trend",
                "click:.o_logistics_dashboard_card[data-key=open_problems]",
                ".o_list_view .o_data_row",
            ],
            "lf_web_supervisor",
        )

    def test_portal_parcel_pages(self):
        """R-PT-1 in the browser: the portal home shows the customer's
        parcels card (its counter comes from the page's script), the list
        links the parcel, the parcel page shows its timeline and the chase
        form; R-PT-2: the public look-up form renders."""
        portal = new_test_user(self.env, "lf_web_customer", groups="base.group_portal")
        self.waybill.receiver_partner_id = portal.partner_id
        self.env["logistics.tracking.event"].ingest(
            [
                {
                    "waybill": self.waybill.number,
                    "courier": "SF",
                    "time": "2026-11-10T09:00:00+08:00",
                    "status": "1",
                    "place": "上海浦东网点",
                }
            ]
        )
        self.assert_renders(
            "/my",
            [".o_portal_index_card:not(.d-none) a[href='/my/parcels']"],
            "lf_web_customer",
        )
        self.assert_renders(
            "/my/parcels",
            [f"a[href='/my/parcels/{self.waybill.id}']"],
            "lf_web_customer",
        )
        self.assert_renders(
            f"/my/parcels/{self.waybill.id}",
            [".o_logistics_timeline li", "textarea[name=description]"],
            "lf_web_customer",
        )
        self.assert_renders("/parcel/track", ["input[name=last4]"], None)

    def test_portal_notification_preferences(self):
        """The customer's notification choices in the browser: the page
        lists the milestones, one is switched off and saved."""
        portal = new_test_user(self.env, "lf_web_notify", groups="base.group_portal")
        # the box unticked as a person does, the form posted as the browser
        # posts it (a navigation would end the test script)
        self.browser_js(
            "/my/parcel-notifications",
            """
            (async () => {
                const box = document.querySelector(
                    "input[name=milestone_out_for_delivery]:checked");
                if (!box) { throw new Error("milestone not listed as on"); }
                box.click();
                const form = box.closest("form");
                const response = await fetch(form.action, {
                    method: "POST", body: new FormData(form)});
                const text = await response.text();
                if (!text.includes("alert-success")) {
                    throw new Error("choices not saved");
                }
                console.log("test successful");
            })();
            """,
            login="lf_web_notify",
            timeout=90,
        )
        choices = portal.partner_id._logistics_notify_choices()
        self.assertFalse(choices[(portal.partner_id.id, "out_for_delivery")])
        self.assertTrue(choices[(portal.partner_id.id, "delivered")])
