# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class LogisticsWaybillTrack(models.TransientModel):
    """The caller look-up's offer for a number no waybill has yet: create
    the waybill and track it (issue 15, item 1), its courier guessed from
    the number's formats (R-WB-2), the candidates offered when several
    couriers' formats accept it."""

    _name = "logistics.waybill.track"
    _description = "Track a New Waybill"

    number = fields.Char(required=True, readonly=True)
    candidate_courier_ids = fields.Many2many(
        comodel_name="logistics.courier", string="Possible Couriers", readonly=True
    )
    courier_id = fields.Many2one(
        comodel_name="logistics.courier",
        required=True,
        domain="[('id', 'in', candidate_courier_ids)]",
    )
    direction = fields.Selection(
        selection=lambda self: (
            self.env["logistics.waybill"]
            ._fields["direction"]
            ._description_selection(self.env)
        ),
        required=True,
        default="outbound",
    )
    receiver_phone = fields.Char(
        help="Some couriers' tracking (SF, ZTO) is only given with the last 4 "
        "digits of the sender's or receiver's phone."
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )

    @api.model
    def _offer(self, number, couriers):
        """The action offering to track ``number`` with one of ``couriers``
        (most specific first, ``logistics.courier._find_by_number``)."""
        wizard = self.create(
            {
                "number": number,
                "candidate_courier_ids": [fields.Command.set(couriers.ids)],
                "courier_id": couriers[:1].id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Track %(number)s", number=number),
            "res_model": self._name,
            "res_id": wizard.id,
            "views": [(False, "form")],
            "target": "new",
        }

    def action_track(self):
        """Create the waybill (its number validated for the chosen courier),
        pull its tracking now when the courier has a usable source, and open
        it."""
        self.ensure_one()
        waybill = (
            self.env["logistics.waybill"]
            .with_company(self.company_id)
            .create(
                {
                    "number": self.number,
                    "courier_id": self.courier_id.id,
                    "direction": self.direction,
                    "receiver_phone": self.receiver_phone or False,
                    "company_id": self.company_id.id,
                }
            )
        )
        if not self.courier_id._pull_setup_problem():
            self.courier_id._pull_waybills(waybill)
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.waybill",
            "res_id": waybill.id,
            "views": [(False, "form")],
            "target": "current",
        }
