# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class LogisticsTicketStep(models.Model):
    """A checklist line of a ticket, copied from its problem type's playbook."""

    _name = "logistics.ticket.step"
    _description = "Ticket Checklist Step"
    _order = "ticket_id, sequence, id"
    # the detection inserts a checklist of ~5 rows with each ticket: no
    # create/write columns (and their two foreign keys per row); who ticked a
    # step and when is kept in done_uid / done_date
    _log_access = False

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="ticket_id.company_id")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    done = fields.Boolean()
    done_uid = fields.Many2one("res.users", string="Done By", readonly=True)
    done_date = fields.Datetime(string="Done On", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("done"):
                vals.update(done_uid=self.env.uid, done_date=fields.Datetime.now())
        return super().create(vals_list)

    def write(self, vals):
        if "done" in vals:
            if vals["done"]:
                vals.update(done_uid=self.env.uid, done_date=fields.Datetime.now())
            else:
                vals.update(done_uid=False, done_date=False)
        return super().write(vals)
