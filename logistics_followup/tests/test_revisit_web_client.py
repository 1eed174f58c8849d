# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

# Runs the steps in the page: "click:SEL" clicks, any other step waits for its
# selector; a selector never found, or
# any error of the web client, fails the test.
STEPS = """
(async () => {
    const steps = %s;
    const find = async (selector) => {
        for (let i = 0; i < 300; i++) {
            const found = document.querySelector(selector);
            if (found) { return found; }
            await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error("not rendered: " + selector);
    };
    for (const step of steps) {
        if (step.startsWith("click:")) {
            (await find(step.slice(6))).click();
        } else {
            await find(step);
        }
    }
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestRevisitWebClient(HttpCase):
    """The agent's day in headless Chromium (R-RV-4, R-RV-5): today's
    revisits in a list, the call screen with the day's progress and the
    customer's parcels, an outcome recorded; the kanban, the calendar and the
    supervisor's analysis render."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env, "lf_rv_agent", groups="logistics_followup.group_logistics_agent"
        )
        cls.supervisor = new_test_user(
            cls.env,
            "lf_rv_supervisor",
            groups="logistics_followup.group_logistics_supervisor",
        )
        Revisit = cls.env["logistics.revisit"]
        cls.today = Revisit._today(cls.env.company)
        partner = cls.env["res.partner"].create(
            {
                "name": "上海华信电子有限公司",
                "is_company": True,
                "phone": "021-58881234",
                "logistics_customer": True,
                "logistics_agent_id": cls.agent.id,
            }
        )
        cls.revisit = Revisit.create(
            {
                "partner_id": partner.id,
                "rule_id": Revisit._rule(cls.env.company, "regular").id,
                "due_date": cls.today,
                "planned_date": cls.today,
                "user_id": cls.agent.id,
            }
        )

    def run_steps(self, path, steps, login):
        self.browser_js(path, STEPS % steps, login=login, timeout=90)

    def test_agent_day(self):
        action = "logistics_followup.logistics_revisit_action_today"
        self.run_steps(
            f"/odoo/action-{action}",
            [
                ".o_list_view .o_data_row",
                "click:.o_list_view .o_data_row td[name=partner_id]",
                ".o_form_view [name=day_progress]",
                ".o_form_view a[href='tel:021-58881234']",
                "click:.o_form_view button[name=action_done]",
                ".o_form_view .o_statusbar_status "
                "[data-value=done].o_arrow_button_current",
            ],
            "lf_rv_agent",
        )
        self.revisit.invalidate_recordset()
        self.assertEqual(self.revisit.state, "done")
        self.assertEqual(self.revisit.attempts, 1)
        self.assertFalse(self.revisit.activity_ids)

    def test_other_screens(self):
        action = "logistics_followup.logistics_revisit_action"
        self.run_steps(
            f"/odoo/action-{action}?view_type=kanban",
            [".o_kanban_view .o_kanban_record"],
            "lf_rv_agent",
        )
        self.run_steps(
            f"/odoo/action-{action}?view_type=calendar",
            [".o_calendar_view"],
            "lf_rv_agent",
        )
        self.run_steps(
            "/odoo/action-logistics_followup.logistics_revisit_report_action",
            [".o_pivot_view, .o_view_nocontent"],
            "lf_rv_supervisor",
        )
