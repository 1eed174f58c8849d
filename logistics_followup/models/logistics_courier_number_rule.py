# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import waybill as waybill_core


class LogisticsCourierNumberRule(models.Model):
    """One accepted format of a courier's waybill numbers (R-WB-2).

    Domestic formats are community knowledge and change over time
    (REFERENCE.md section 4), so they are records an administrator edits,
    not code. The UPU S10 check digit is exact and always enforced.
    """

    _name = "logistics.courier.number.rule"
    _description = "Waybill Number Format"
    _order = "courier_id, sequence, id"

    courier_id = fields.Many2one(
        comodel_name="logistics.courier",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    label = fields.Char(
        string="Format",
        required=True,
        translate=True,
        help="How the format is described to users, e.g. 'SF + 13 digits'.",
    )
    pattern = fields.Char(
        required=True,
        help="Regular expression the whole normalised number must match "
        "(upper case, without spaces or dashes), e.g. SF\\d{13}.",
    )
    example = fields.Char(help="A number in this format; it must pass the rule.")
    check_scheme = fields.Selection(
        selection=[("none", "None"), ("s10", "UPU S10 check digit")],
        string="Check Digit",
        required=True,
        default="none",
    )

    @api.constrains("pattern", "example", "check_scheme", "label")
    def _check_rule(self):
        for rule in self:
            problems = rule._to_core().problems()
            if problems:
                raise ValidationError(
                    self.env._(
                        "Format %(label)s of %(courier)s: %(problems)s",
                        label=rule.label,
                        courier=rule.courier_id.name,
                        problems=" ".join(
                            self._rule_problem_message(p) for p in problems
                        ),
                    )
                )

    def _rule_problem_message(self, code):
        """The translated text of a ``NumberRule.problems()`` code."""
        if code.startswith("example_"):
            return self.env._(
                "the example does not pass the rule: %(reason)s",
                reason=self.env["logistics.courier"]._number_reason(
                    code.removeprefix("example_")
                ),
            )
        messages = {
            "pattern_empty": self.env._("the pattern is empty."),
            "pattern_invalid": self.env._(
                "the pattern is not a valid regular expression."
            ),
            "label_empty": self.env._("the format needs a description."),
            "check_unknown": self.env._("the check-digit scheme is unknown."),
        }
        return messages.get(code, code)

    def _to_core(self):
        self.ensure_one()
        return waybill_core.NumberRule(
            pattern=self.pattern or "",
            label=self.with_context(lang="en_US").label or "",
            example=waybill_core.normalize_number(self.example or ""),
            check=self.check_scheme or "none",
        )
