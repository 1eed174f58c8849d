# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class LogisticsProblemStep(models.Model):
    """One step of a problem type's playbook (the seed's handling steps)."""

    _name = "logistics.problem.step"
    _description = "Problem Parcel Playbook Step"
    _order = "problem_type_id, sequence, id"

    problem_type_id = fields.Many2one(
        "logistics.problem.type", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True, translate=True)
