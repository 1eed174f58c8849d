# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError

from ..models.logistics_waybill import WAYBILL_STATE_SELECTION


class LogisticsTrackingEventAdd(models.TransientModel):
    """Manual entry of a scan on the waybill form: a source of ``ingest``
    like any other (R-WB-3)."""

    _name = "logistics.tracking.event.add"
    _description = "Add a Tracking Event"

    waybill_id = fields.Many2one(comodel_name="logistics.waybill", required=True)
    event_time = fields.Datetime(
        string="Time", required=True, default=fields.Datetime.now
    )
    state = fields.Selection(
        selection=WAYBILL_STATE_SELECTION, string="Event", required=True
    )
    place = fields.Char()
    description = fields.Char()
    operator = fields.Char()
    operator_phone = fields.Char()

    def action_add(self):
        self.ensure_one()
        # event_time is naive UTC: say so, ingest reads naive times as local
        row = {
            "waybill": self.waybill_id.number,
            "courier": self.waybill_id.courier_id.code,
            "time": fields.Datetime.to_string(self.event_time) + "+00:00",
            "status": self.state,
            "place": self.place or "",
            "description": self.description or "",
            "operator": self.operator or "",
            "operator_phone": self.operator_phone or "",
        }
        # this waybill's company only: a user of several companies reaches
        # all of theirs through ingest, a scan entered on a form belongs to
        # the waybill of the form
        company = self.waybill_id.company_id
        Event = self.env["logistics.tracking.event"].with_context(
            allowed_company_ids=company.ids
        )
        result = Event.ingest([row], source="manual")
        if result["rejected"]:
            raise UserError(result["rejected"][0]["reason"])
        return {"type": "ir.actions.act_window_close"}
