# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class LogisticsTicketMergeWizard(models.TransientModel):
    """Merge tickets of one parcel into one: the others' messages, followers
    and attachments move to it, and they are closed with a link to it."""

    _name = "logistics.ticket.merge.wizard"
    _description = "Merge Tickets of a Parcel"

    ticket_ids = fields.Many2many("helpdesk.ticket", string="Tickets", required=True)
    target_id = fields.Many2one(
        "helpdesk.ticket",
        string="Keep",
        required=True,
        domain="[('id', 'in', ticket_ids)]",
        help="The ticket that goes on; the others are merged into it.",
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ids = self.env.context.get("active_ids") or []
        if self.env.context.get("active_model") == "helpdesk.ticket" and ids:
            tickets = self.env["helpdesk.ticket"].browse(ids)
            res["ticket_ids"] = [fields.Command.set(tickets.ids)]
            open_ = tickets.filtered(lambda t: not t.closed) or tickets
            res["target_id"] = open_.sorted("id")[:1].id
        return res

    def action_merge(self):
        self.ensure_one()
        target = self.target_id
        others = self.ticket_ids - target
        if not others:
            raise UserError(self.env._("Select at least two tickets to merge."))
        if len(self.ticket_ids.waybill_id) != 1 or not all(
            self.ticket_ids.mapped("waybill_id")
        ):
            raise UserError(
                self.env._("Only tickets of one and the same parcel can be merged.")
            )
        others.check_access("write")
        target.check_access("write")
        closed_stage = self.env["helpdesk.ticket.stage"].search(
            [("closed", "=", True), ("team_ids", "in", [False, *target.team_id.ids])],
            order="sequence desc",
            limit=1,
        )
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "helpdesk.ticket"), ("res_id", "in", others.ids)])
        )
        messages.write({"res_id": target.id})
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", others.ids)]
            )
        )
        attachments.write({"res_id": target.id})
        target.message_subscribe(partner_ids=others.message_partner_ids.ids)
        if any(others.mapped("portal_shared")):
            target.portal_shared = True
        vals = {"duplicate_id": target.id}
        if closed_stage:
            vals["stage_id"] = closed_stage.id
        # merged, not resolved: no root cause, no revisit of its own
        others.with_context(logistics_merging=True).write(vals)
        link = Markup(
            '<a href="#" data-oe-model="helpdesk.ticket" data-oe-id="%s">%s</a>'
        )
        for ticket in others:
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Merged into %(ticket)s.",
                    ticket=link % (target.id, target.display_name),
                ),
                subtype_xmlid="mail.mt_note",
            )
        target.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Merged with %(tickets)s: their messages, followers and "
                "attachments are here.",
                tickets=", ".join(others.mapped("display_name")),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": target.id,
            "views": [(False, "form")],
        }
