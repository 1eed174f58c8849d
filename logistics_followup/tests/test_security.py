# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import LogisticsCommon


@tagged("post_install", "-at_install", "security")
class TestSecurity(LogisticsCommon):
    def test_group_ladder(self):
        """Agent < Supervisor; the receipt clerk stands apart."""
        self.assertTrue(
            self.supervisor.has_group("logistics_followup.group_logistics_agent")
        )
        self.assertTrue(
            self.supervisor.has_group("helpdesk_mgmt.group_helpdesk_manager")
        )
        self.assertTrue(self.agent.has_group("helpdesk_mgmt.group_helpdesk_user"))
        self.assertFalse(
            self.agent.has_group("logistics_followup.group_logistics_supervisor")
        )
        self.assertFalse(
            self.agent.has_group("logistics_followup.group_logistics_receipt_clerk")
        )
        self.assertFalse(
            self.clerk.has_group("logistics_followup.group_logistics_agent")
        )
        self.assertTrue(self.clerk.has_group("base.group_user"))

    def test_groups_have_their_own_category(self):
        category = self.env.ref("logistics_followup.module_category_logistics_followup")
        for xmlid in (
            "group_logistics_agent",
            "group_logistics_supervisor",
            "group_logistics_receipt_clerk",
        ):
            group = self.env.ref(f"logistics_followup.{xmlid}")
            self.assertEqual(group.privilege_id.category_id, category, xmlid)

    def test_admin_is_supervisor(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(
            admin.has_group("logistics_followup.group_logistics_supervisor")
        )

    def test_courier_access(self):
        """Agents read couriers, only supervisors change them, portal users
        do not reach the model at all."""
        self.assertTrue(self.courier_sf.with_user(self.agent).name)
        with self.assertRaises(AccessError):
            self.courier_sf.with_user(self.agent).write({"name": "X"})
        with self.assertRaises(AccessError):
            self.env["logistics.courier"].with_user(self.portal_user).search([])
        self.courier_sf.with_user(self.supervisor).write({"sequence": 5})
        self.assertEqual(self.courier_sf.sequence, 5)

    def test_courier_form_opens_for_each_role(self):
        """The form view loads for agents and supervisors, who need not have
        Inventory or Sales rights (delivery methods are shown to those who do)."""
        for user in (self.agent, self.supervisor):
            form = Form(self.courier_sf.with_user(user))
            self.assertEqual(form.code, "SF")
            self.assertTrue(form.number_rule_ids)

    def test_menus_only_for_what_exists(self):
        """Every menu of the addon opens an action or holds one that does."""
        menus = (
            self.env["ir.ui.menu"]
            .search([])
            .filtered(
                lambda m: m.get_external_id()[m.id].startswith("logistics_followup.")
            )
        )
        self.assertTrue(menus)
        for menu in menus:
            self.assertTrue(
                menu.action or menu.child_id,
                f"{menu.complete_name} is an empty placeholder menu",
            )
