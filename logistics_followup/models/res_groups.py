# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .res_users import LANDING


class ResGroups(models.Model):
    _inherit = "res.groups"

    def write(self, vals):
        if "user_ids" not in vals or not self._logistics_role_groups():
            return super().write(vals)
        before = self.sudo().all_user_ids
        res = super().write(vals)
        # a user given or taken a role from the group's side lands anew
        (before | self.sudo().all_user_ids)._logistics_set_landing()
        return res

    def _logistics_role_groups(self):
        """The logistics role groups these groups are or imply."""
        roles = self.browse()
        for group_xmlid, _action in LANDING.values():
            roles |= self.env.ref(group_xmlid, raise_if_not_found=False) or roles
        return self.sudo().all_implied_ids & roles
