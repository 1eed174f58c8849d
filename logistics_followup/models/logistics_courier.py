# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import waybill as waybill_core
from ..core import webhook as webhook_core


class LogisticsCourier(models.Model):
    """A courier company (快递公司) and the formats of its waybill numbers.

    R-WB-2: numbers are normalised and validated per courier. The formats
    are data (``logistics.courier.number.rule``) that an administrator
    extends when a courier changes them; their defaults come from
    ``core/waybill.py``.
    """

    _name = "logistics.courier"
    _description = "Courier"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short upper-case code used by imports, webhooks and the API, e.g. SF.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kuaidi100_code = fields.Char(
        help="Company code of this courier at Kuaidi100 (快递100), e.g. shunfeng.",
    )
    tracking_url = fields.Char(
        string="Tracking URL",
        help="Public tracking page of the courier; {number} is replaced by the "
        "waybill number.",
    )
    webhook_secret = fields.Char(
        groups="logistics_followup.group_logistics_supervisor",
        copy=False,
        help="Shared secret of the courier's webhook: each push is signed with "
        "HMAC-SHA256 over '<timestamp>.<body>' (X-Logistics-Signature).",
    )
    number_rule_ids = fields.One2many(
        comodel_name="logistics.courier.number.rule",
        inverse_name="courier_id",
        string="Number Formats",
        context={"active_test": False},
    )
    delivery_carrier_ids = fields.One2many(
        comodel_name="delivery.carrier",
        inverse_name="logistics_courier_id",
        string="Delivery Methods",
        # only the groups that may read delivery methods at all
        groups="stock.group_stock_user,sales_team.group_sale_salesman,base.group_partner_manager",
    )

    _code_uniq = models.Constraint(
        "UNIQUE(code)",
        "Another courier already uses this code.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS AND CRUD
    # ------------------------------------------------------------

    @api.constrains("tracking_url")
    def _check_tracking_url(self):
        for courier in self:
            if waybill_core.tracking_url_problem(courier.tracking_url):
                raise ValidationError(
                    self.env._(
                        "The tracking URL of %(courier)s must start with http:// or "
                        "https:// and contain {number}, which is replaced by the "
                        "waybill number.",
                        courier=courier.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = vals["code"].strip().upper()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("code"):
            vals["code"] = vals["code"].strip().upper()
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_number_rules(self):
        """The courier's active formats as core ``NumberRule`` objects."""
        self.ensure_one()
        return tuple(
            rule._to_core()
            for rule in self.number_rule_ids.sorted("sequence")
            if rule.active
        )

    def _check_waybill_number(self, number):
        """Normalise ``number`` and validate it against this courier (R-WB-2).

        :returns: the normalised number
        :raises ValidationError: naming the expected formats
        """
        self.ensure_one()
        result = waybill_core.validate_number(number, self._get_number_rules())
        if not result.valid:
            raise ValidationError(self._waybill_number_error(number, result))
        return result.number

    def _waybill_number_error(self, number, result):
        """The translated message for an invalid ``ValidationResult``."""
        message = self.env._(
            "%(number)s is not a valid %(courier)s waybill number: %(reason)s",
            number=result.number or (number or "").strip() or "-",
            courier=self.name,
            reason=self._number_reason(result.code),
        )
        labels = self._translated_rule_labels(result.expected)
        if labels:
            message += "\n" + self.env._(
                "Expected: %(formats)s.", formats="; ".join(labels)
            )
        return message

    @api.model
    def _number_reason(self, code):
        """The translated reason of a ``ValidationResult.code``."""
        reasons = {
            "empty": self.env._("the number is empty."),
            "bad_characters": self.env._(
                "only the letters A-Z and digits are allowed (spaces and dashes "
                "are removed)."
            ),
            "length": self.env._("a waybill number has 6 to 32 characters."),
            "format": self.env._("it matches none of the courier's formats."),
            "check_digit": self.env._(
                "its check digit is wrong; a character was probably mistyped."
            ),
        }
        return reasons.get(code, code)

    def _translated_rule_labels(self, labels):
        """Labels of the courier's rules in the user's language.

        The core reports the labels it was given; map them back to the rule
        records so that translated labels are shown.
        """
        by_label = {
            rule.with_context(lang="en_US").label: rule.label
            for rule in self.number_rule_ids
        }
        return [by_label.get(label, label) for label in labels]

    @api.model
    def _find_by_number(self, number):
        """Couriers whose formats accept ``number``, most specific first.

        The "which couriers could this number belong to" question of R-WB-2,
        answered from the formats stored in the database.
        """
        couriers = self.search([])
        by_code = {courier.code: courier for courier in couriers}
        rules = {courier.code: courier._get_number_rules() for courier in couriers}
        codes = waybill_core.candidate_couriers(number, rules)
        return self.browse([by_code[code].id for code in codes])

    @api.model
    def _find_by_kuaidi100_code(self, code):
        """The courier of a Kuaidi100 company code (``com``): the courier's own
        ``kuaidi100_code`` first, then the defaults of ``core/webhook.py``."""
        if not code:
            return self.browse()
        code = code.strip().lower()
        courier = self.search([("kuaidi100_code", "=", code)], limit=1)
        if not courier and code in webhook_core.KUAIDI100_COMPANIES:
            courier = self.search(
                [("code", "=", webhook_core.KUAIDI100_COMPANIES[code])], limit=1
            )
        return courier

    def _get_tracking_url(self, number):
        self.ensure_one()
        return waybill_core.render_tracking_url(self.tracking_url, number) or False

    @api.model
    def _install_default_number_rules(self):
        """Give couriers without formats the defaults of ``core/waybill.py``.

        Called from the data file at install and update; formats an
        administrator edited or archived are left alone.
        """
        vals_list = []
        for courier in self.with_context(active_test=False).search([]):
            if courier.number_rule_ids:
                continue
            for sequence, rule in enumerate(
                waybill_core.DEFAULT_RULES.get(courier.code, ())
            ):
                vals_list.append(
                    {
                        "courier_id": courier.id,
                        "sequence": (sequence + 1) * 10,
                        "pattern": rule.pattern,
                        "label": rule.label,
                        "example": rule.example,
                        "check_scheme": rule.check,
                    }
                )
        return self.env["logistics.courier.number.rule"].create(vals_list)
