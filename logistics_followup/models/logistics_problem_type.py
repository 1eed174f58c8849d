# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .common import count_by

KIND_SELECTION = [
    ("delivery_chase", "Delivery Chase"),
    ("outbound_chase", "Outbound Chase"),
    ("problem", "Problem Parcel"),
    ("complaint", "Complaint"),
    ("inquiry", "Inquiry"),
    ("compensation", "Compensation Claim"),
]
DETECTION_SELECTION = [
    ("no_first_scan", "No first scan after creation"),
    ("stalled", "No new scan at one place"),
    ("at_station", "At the delivering station, not delivered"),
    ("station_message", "Station message deadline"),
    ("exception_scan", "Exception scan (at once)"),
    ("returned", "Returned or returning (at once)"),
    ("lost", "Declared lost (at once)"),
    ("signed_other", "Signed by someone else while chased (at once)"),
]


class LogisticsProblemType(models.Model):
    """A case of the problem-parcel taxonomy (docs/rules.md, section 2).

    Each type carries the seed's handling steps as a checklist copied onto
    its tickets, a default deadline, the parties to contact, whether
    compensation can apply and, for R-PP-4..7, the rule that detects it
    automatically from the tracking data.
    """

    _name = "logistics.problem.type"
    _description = "Problem Parcel Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable technical code, e.g. stalled.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        KIND_SELECTION,
        string="Ticket Kind",
        required=True,
        default="problem",
        help="The kind of the tickets opened for this type.",
    )
    rule_ref = fields.Char(
        string="Rule",
        help="The rule of the specification this type implements (for maintainers).",
    )
    description = fields.Text(translate=True)
    step_ids = fields.One2many(
        "logistics.problem.step", "problem_type_id", string="Playbook", copy=True
    )
    deadline_hours = fields.Float(
        string="Default Deadline (hours)",
        default=24.0,
        help="A ticket of this type is due this many hours after it is opened "
        "(0: no deadline).",
    )
    contact_sender = fields.Boolean()
    contact_receiver = fields.Boolean()
    contact_station = fields.Boolean()
    contact_courier = fields.Boolean()
    compensation_possible = fields.Boolean(string="Compensation May Apply")
    detection = fields.Selection(
        DETECTION_SELECTION,
        string="Automatic Detection",
        help="The tracking rule that opens tickets of this type by itself.",
    )
    kind_default = fields.Boolean(
        string="Default for its Kind",
        help="Chases and complaints opened without a problem type (from the "
        "portal, or a waybill's New Ticket) get this type's playbook and "
        "deadline.",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        help="The team that receives the tickets of this type; empty: the "
        "company's parcel-service team.",
    )
    cause_id = fields.Many2one(
        "logistics.cause",
        string="Proposed Cause",
        help="The cause proposed to this type's tickets.",
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    _code_uniq = models.Constraint("UNIQUE(code)", "Problem type codes are unique.")
    _deadline_positive = models.Constraint(
        "CHECK(deadline_hours >= 0)", "A deadline cannot be negative."
    )

    @api.constrains("detection", "active")
    def _check_one_type_per_detection(self):
        for ptype in self.filtered(lambda p: p.detection and p.active):
            others = self.search_count(
                [("detection", "=", ptype.detection), ("id", "!=", ptype.id)]
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "Only one active problem type can use the detection "
                        "rule %(rule)s.",
                        rule=dict(
                            self._fields["detection"]._description_selection(self.env)
                        )[ptype.detection],
                    )
                )

    @api.model
    def _default_for_kind(self, kind):
        """The active problem type used by default for requests of ``kind``
        without a type (empty when there is none)."""
        return self.search([("kind", "=", kind), ("kind_default", "=", True)], limit=1)

    def _ticket_vals(self, now):
        """What a ticket of this type gets from it when it does not have it
        yet: the kind, the playbook as a checklist, and the deadline counted
        from ``now`` when the type has a default one."""
        self.ensure_one()
        vals = {
            "logistics_kind": self.kind,
            "step_ids": [
                fields.Command.create({"sequence": step.sequence, "name": step.name})
                for step in self.step_ids
            ],
        }
        if self.cause_id:
            vals["cause_id"] = self.cause_id.id
        if self.deadline_hours:
            vals["logistics_deadline"] = now + timedelta(hours=self.deadline_hours)
        return vals

    def _compute_ticket_count(self):
        counts = count_by(self, "helpdesk.ticket", "problem_type_id")
        for ptype in self:
            ptype.ticket_count = counts.get(ptype, 0)

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("problem_type_id", "=", self.id)]
        action["context"] = {"default_problem_type_id": self.id}
        return action
