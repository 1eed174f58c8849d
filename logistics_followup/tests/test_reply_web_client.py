# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import HttpCase, new_test_user, tagged

# Runs the steps in the page: "click:SEL" clicks, "text:SEL|TEXT" waits for
# an element containing TEXT, any other step waits for its selector; a step
# never satisfied, or any error of the web client, fails the test.
STEPS = """
(async () => {
    const steps = %s;
    const find = async (selector, text) => {
        for (let i = 0; i < 400; i++) {
            const found = [...document.querySelectorAll(selector)].find(
                (el) => !text || el.textContent.includes(text)
            );
            if (found) { return found; }
            await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error("not rendered: " + selector + (text ? " with " + text : ""));
    };
    for (const step of steps) {
        if (step.startsWith("click:")) {
            (await find(step.slice(6))).click();
        } else if (step.startsWith("text:")) {
            const [selector, text] = step.slice(5).split("|");
            await find(selector, text);
        } else {
            await find(step);
        }
    }
    console.log("test successful");
})();
"""

# At 1366 x 768 (Odoo's test browser size): the app's sections all show in
# the top bar, none pushed into the "More" menu, and they end before the
# systray.
NAVBAR_FITS = """
(async () => {
    const wait = async (test) => {
        for (let i = 0; i < 400; i++) {
            if (test()) { return; }
            await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error("navbar not rendered");
    };
    await wait(() => document.querySelectorAll(".o_menu_sections > *").length >= 6);
    await new Promise((r) => setTimeout(r, 500));
    if (window.innerWidth > 1366) { throw new Error("window wider than 1366"); }
    const sections = [...document.querySelectorAll(".o_menu_sections > *")];
    if (document.querySelector(".o_menu_sections_more")) {
        throw new Error("sections overflow into the More menu");
    }
    const names = sections.map((s) => s.textContent.trim());
    const expected = %s;
    if (JSON.stringify(names) !== JSON.stringify(expected)) {
        throw new Error("sections: " + JSON.stringify(names));
    }
    const right = Math.max(...sections.map((s) => s.getBoundingClientRect().right));
    const systray = document.querySelector(".o_menu_systray").getBoundingClientRect();
    if (right > systray.left) { throw new Error("sections run under the systray"); }
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestReplyWebClient(HttpCase):
    """In headless Chromium: an agent opens a parcel ticket, sends the
    apology in one click and sees it in the chatter, then logs a call; the
    Logistics app's top bar fits a 1366 px screen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env,
            "lf_reply_agent",
            groups="logistics_followup.group_logistics_agent",
        )
        cls.supervisor = new_test_user(
            cls.env,
            "lf_reply_supervisor",
            groups="logistics_followup.group_logistics_supervisor",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "李娜",
                "email": "lina@example.com",
                "phone": "13900139001",
                "logistics_title": "ms",
                "lang": "en_US",
            }
        )
        waybill = cls.env["logistics.waybill"].create(
            {
                "number": "SF1234567890662",
                "courier_id": cls.env.ref("logistics_followup.courier_sf").id,
                "direction": "inbound",
                "receiver_partner_id": cls.customer.id,
                "sender_address": "上海市浦东新区张江路1号",
                "sender_phone": "13800138000",
                "receiver_address": "北京市海淀区中关村大街1号",
                "receiver_phone": "13900139001",
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "客户催件",
                "description": "<p>客户催件</p>",
                "logistics_kind": "delivery_chase",
                "waybill_id": waybill.id,
                "user_id": cls.agent.id,
            }
        )

    def run_steps(self, path, steps, login):
        self.browser_js(path, STEPS % json.dumps(steps), login=login, timeout=120)

    def test_reply_and_call_from_the_ticket(self):
        action = "logistics_followup.helpdesk_ticket_action_logistics_my"
        self.run_steps(
            f"/odoo/action-{action}/{self.ticket.id}",
            [
                "click:.o_statusbar_buttons button[name=action_send_reply]",
                "text:.o-mail-Message|Dear Ms 李娜,",
                "click:.o_statusbar_buttons button[name=action_log_call]",
                "click:.modal [name=outcome] input[data-value=reached]",
                "click:.modal button.btn-primary",
                "text:.o-mail-Message|Reached",
            ],
            "lf_reply_agent",
        )
        reply = self.ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.customer in m.partner_ids
        )
        self.assertEqual(len(reply), 1)
        self.assertIn("Dear Ms 李娜,", reply.body)
        call = self.ticket.call_log_ids
        self.assertEqual(call.outcome, "reached")
        self.assertEqual(call.partner_id, self.customer)
        self.assertTrue(self.ticket.first_response_date)

    def test_navbar_fits_1366(self):
        self.browser_js(
            "/odoo/action-logistics_followup.logistics_dashboard_action",
            NAVBAR_FITS
            % json.dumps(
                [
                    "Parcels",
                    "Tickets",
                    "Receipts",
                    "Revisits",
                    "Reports",
                    "Configuration",
                ]
            ),
            login="lf_reply_supervisor",
            timeout=120,
        )

    def test_agent_lands_on_his_queue(self):
        """An agent's first screen after login is his ticket queue."""
        self.run_steps(
            "/odoo",
            [
                "text:.o_breadcrumb|My Parcel Tickets",
                ".o_search_panel",
                ".o_kanban_record",
            ],
            "lf_reply_agent",
        )
