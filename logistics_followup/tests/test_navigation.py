# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import LogisticsCommon

# Odoo's own hotkeys of a form (save, discard, new, pager, breadcrumbs,
# chatter, composer, statusbar, priority...): our header buttons avoid them.
ODOO_HOTKEYS = set("abchjkmnpqstuvxz")
# ... and alt+r where a priority field is shown (helpdesk tickets)
PRIORITY_HOTKEY = "r"


@tagged("post_install", "-at_install")
class TestNavigation(LogisticsCommon):
    """One Logistics app with six short sections, each entry once;
    role-based landing; hotkeys and search panels."""

    def root(self):
        return self.env.ref("logistics_followup.menu_logistics_root")

    def test_one_app_six_sections(self):
        root = self.root()
        sections = root.child_id
        self.assertLessEqual(len(sections), 6)
        self.assertEqual(
            sections.sorted("sequence").mapped("name"),
            ["Parcels", "Tickets", "Receipts", "Revisits", "Reports", "Configuration"],
        )
        for section in sections:
            self.assertLessEqual(len(section.name), 14, section.name)
        # every menu of the addon is in the app
        Menu = self.env["ir.ui.menu"].with_context(active_test=False)
        ours = Menu.browse(
            self.env["ir.model.data"]
            .search(
                [("module", "=", "logistics_followup"), ("model", "=", "ir.ui.menu")]
            )
            .mapped("res_id")
        )
        for menu in ours - root:
            self.assertTrue(
                menu.parent_path.startswith(f"{root.id}/"),
                f"{menu.complete_name} is outside the Logistics app",
            )
        # helpdesk_mgmt's own menus stay where they are
        helpdesk = self.env.ref("helpdesk_mgmt.helpdesk_ticket_main_menu")
        self.assertEqual(
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_menu").parent_id, helpdesk
        )
        self.assertFalse(
            helpdesk.child_id.filtered(
                lambda m: m.get_external_id()[m.id].startswith("logistics_followup.")
            )
        )

    def test_no_duplicate_entries(self):
        """No two menus of one parent share a name, and no action opens
        from two menus of the app (Delivery Areas was there twice)."""
        Menu = self.env["ir.ui.menu"].with_context(active_test=False)
        menus = Menu.search([("id", "child_of", self.root().id)])
        for parent in menus:
            names = parent.child_id.mapped("name")
            self.assertEqual(
                len(names), len(set(names)), f"duplicates under {parent.complete_name}"
            )
        actions = [str(m.action) for m in menus if m.action]
        self.assertEqual(len(actions), len(set(actions)), "an action in two menus")

    def test_each_role_sees_its_sections(self):
        def sections(user):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            return (
                self.root().child_id.filtered(lambda m: m.id in visible).mapped("name")
            )

        self.assertEqual(
            sections(self.supervisor),
            ["Parcels", "Tickets", "Receipts", "Revisits", "Reports", "Configuration"],
        )
        self.assertEqual(
            sections(self.agent), ["Parcels", "Tickets", "Revisits", "Reports"]
        )
        self.assertEqual(sections(self.clerk), ["Parcels", "Receipts"])

    # landing --------------------------------------------------------------

    def test_landing_per_role(self):
        dashboard = self.env.ref("logistics_followup.logistics_dashboard_action")
        queue = self.env.ref("logistics_followup.helpdesk_ticket_action_logistics_my")
        receipts = self.env.ref("logistics_followup.logistics_receipt_action")
        self.assertEqual(self.supervisor.action_id.id, dashboard.id)
        self.assertEqual(self.agent.action_id.id, queue.id)
        self.assertEqual(self.clerk.action_id.id, receipts.id)
        self.assertFalse(self.portal_user.action_id)
        # a promotion moves the landing, a departure clears it
        supervisor = self.env.ref("logistics_followup.group_logistics_supervisor")
        agent = self.env.ref("logistics_followup.group_logistics_agent")
        user = new_test_user(
            self.env,
            "lf_nav_agent",
            groups="base.group_user,logistics_followup.group_logistics_agent",
        )
        self.assertEqual(user.action_id.id, queue.id)
        user.write({"group_ids": [Command.link(supervisor.id)]})
        self.assertEqual(user.action_id.id, dashboard.id)
        user.write(
            {"group_ids": [Command.unlink(supervisor.id), Command.unlink(agent.id)]}
        )
        self.assertFalse(user.action_id)
        self.assertFalse(user.share)
        # from the group's side too
        agent.write({"user_ids": [Command.link(user.id)]})
        self.assertEqual(user.action_id.id, queue.id)

    def test_demo_users_land_on_their_work(self):
        """With demo data, each demo role's first screen is its day's work."""
        expected = {
            "demo_user_agent": "helpdesk_ticket_action_logistics_my",
            "demo_user_supervisor": "logistics_dashboard_action",
            "demo_user_receipt_clerk": "logistics_receipt_action",
        }
        users = {
            login: self.env.ref(f"logistics_followup.{login}", raise_if_not_found=False)
            for login in expected
        }
        if not any(users.values()):
            self.skipTest("no demo data")
        for xmlid, user in users.items():
            if user:
                action = self.env.ref(f"logistics_followup.{expected[xmlid]}")
                self.assertEqual(user.action_id.id, action.id, xmlid)

    def test_own_home_action_kept(self):
        discuss = self.env.ref("mail.action_discuss")
        user = new_test_user(self.env, "lf_nav_own", groups="base.group_user")
        user.action_id = discuss.id
        user.write(
            {
                "group_ids": [
                    Command.link(
                        self.env.ref("logistics_followup.group_logistics_supervisor").id
                    )
                ]
            }
        )
        self.assertEqual(user.action_id.id, discuss.id)
        self.env["res.users"]._logistics_set_landing_all()
        self.assertEqual(user.action_id.id, discuss.id)

    def test_admin_lands_on_dashboard(self):
        admin = self.env.ref("base.user_admin")
        dashboard = self.env.ref("logistics_followup.logistics_dashboard_action")
        if admin.action_id and admin.action_id.id != dashboard.id:
            self.skipTest("the administrator chose his own home action")
        admin.action_id = False
        self.env["res.users"]._logistics_set_landing_all()
        self.assertEqual(admin.action_id.id, dashboard.id)

    # views ------------------------------------------------------------------

    def test_search_panels(self):
        waybill = etree.fromstring(
            self.env["logistics.waybill"].get_view(view_type="search")["arch"]
        )
        self.assertEqual(
            waybill.xpath("//searchpanel/field/@name"), ["courier_id", "state"]
        )
        action = self.env.ref("logistics_followup.helpdesk_ticket_action_logistics_my")
        for act in (
            action,
            self.env.ref("logistics_followup.helpdesk_ticket_action_logistics"),
        ):
            ticket = etree.fromstring(
                self.env["helpdesk.ticket"].get_view(
                    act.search_view_id.id, view_type="search"
                )["arch"]
            )
            self.assertEqual(
                ticket.xpath("//searchpanel/field/@name"), ["logistics_kind", "team_id"]
            )
            # helpdesk_mgmt's filters are kept
            self.assertTrue(ticket.xpath("//filter[@name='mytickets']"))
        # helpdesk_mgmt's own ticket views get no panel
        plain = etree.fromstring(
            self.env["helpdesk.ticket"].get_view(view_type="search")["arch"]
        )
        self.assertFalse(plain.xpath("//searchpanel"))

    def test_header_hotkeys(self):
        """The main header buttons have hotkeys, distinct on their form and
        none of Odoo's own."""
        main = {
            "logistics.waybill": {"action_new_ticket", "action_add_event"},
            "helpdesk.ticket": {
                "action_send_logistics_template",
                "action_log_call",
                "action_escalate",
                "action_send_sms",
            },
            "logistics.receipt": {"action_sign", "action_verify", "action_hand_over"},
            "logistics.receipt.envelope": {"action_send"},
            "logistics.revisit": {"action_done", "action_not_reached"},
        }
        for model, buttons in main.items():
            arch = etree.fromstring(
                self.env[model]
                .with_user(self.supervisor)
                .get_view(view_type="form")["arch"]
            )
            keys = {}
            for button in arch.xpath("//header//button[@data-hotkey]"):
                key = button.get("data-hotkey")
                self.assertNotIn(key, ODOO_HOTKEYS, f"{model}: {button.get('name')}")
                if arch.xpath("//field[@widget='priority']"):
                    self.assertNotEqual(key, PRIORITY_HOTKEY, model)
                keys.setdefault(key, set()).add(button.get("name"))
            for key, names in keys.items():
                self.assertEqual(len(names), 1, f"{model}: {key} on {names}")
            with_key = {n for names in keys.values() for n in names}
            self.assertLessEqual(buttons, with_key, model)
