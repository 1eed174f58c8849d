# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class LogisticsCommon(BaseCommon):
    """Users of each role, created without relying on demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env, "lf_agent", groups="logistics_followup.group_logistics_agent"
        )
        cls.supervisor = new_test_user(
            cls.env,
            "lf_supervisor",
            groups="logistics_followup.group_logistics_supervisor",
        )
        cls.clerk = new_test_user(
            cls.env,
            "lf_clerk",
            groups="logistics_followup.group_logistics_receipt_clerk",
        )
        cls.portal_user = new_test_user(
            cls.env, "lf_portal", groups="base.group_portal"
        )
        cls.courier_sf = cls.env.ref("logistics_followup.courier_sf")
        cls.courier_cpi = cls.env.ref("logistics_followup.courier_cpi")

    def set_tracking(self, waybill, **values):
        """Put ``waybill`` in a tracking situation: its state and times
        written by SQL, as the ingestion's recompute writes them."""
        assignments = ", ".join(f"{k} = %s" for k in values)
        self.env.cr.execute(
            f"UPDATE logistics_waybill SET {assignments} WHERE id = %s",
            [*values.values(), waybill.id],
        )
        waybill.invalidate_recordset()
        return waybill
