# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

import requests

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import pull as pull_core
from ..core import transit as transit_core
from ..core import waybill as waybill_core
from ..core import webhook as webhook_core
from .settings import get_setting

_logger = logging.getLogger(__name__)


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
    alias_names = fields.Char(
        string="Other Names",
        help="Other names of the courier in files and messages, separated by "
        "commas: short and full names, in simplified and traditional Chinese "
        "and in English, e.g. 顺丰, 顺丰速运, 順豐, SF Express. Imports "
        "recognise them whatever the languages installed.",
    )
    tracking_url = fields.Char(
        string="Tracking URL",
        help="Public tracking page of the courier; {number} is replaced by the "
        "waybill number.",
    )
    pull_adapter = fields.Selection(
        selection=[("none", "None"), ("kuaidi100", "Kuaidi100 real-time query")],
        string="Pull Tracking From",
        required=True,
        default="none",
        help="Where the hourly cron pulls the tracking of this courier's "
        "waybills that are still travelling (at most every 30 minutes per "
        "waybill). Kuaidi100 needs its customer id and key in the Settings.",
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

    # ------------------------------------------------------------
    # PULL ADAPTERS: _pull_<adapter>(waybills) -> rows for ingest()
    # ------------------------------------------------------------

    @api.model
    def _cron_pull_tracking(self, batch=pull_core.PULL_BATCH):
        """Pull the tracking of travelling waybills whose courier has a pull
        adapter; one indexed SELECT per courier, one ingest per batch, each
        batch committed (resumable after a crash)."""
        Waybill = self.env["logistics.waybill"]
        threshold = fields.Datetime.now() - pull_core.MIN_PULL_INTERVAL
        couriers = self.search([("pull_adapter", "!=", "none")])
        for courier in couriers:
            remaining_time = float("inf")
            while remaining_time > 0:
                waybills = Waybill.search(
                    [
                        ("courier_id", "=", courier.id),
                        ("state", "not in", list(transit_core.FINAL_STATES)),
                        "|",
                        ("last_pull_time", "=", False),
                        ("last_pull_time", "<=", threshold),
                    ],
                    order="last_pull_time asc nulls first, id",
                    limit=batch,
                )
                if not waybills:
                    break
                courier._pull_waybills(waybills)
                # pulled waybills are not due again for 30 minutes: the loop ends
                remaining_time = self.env["ir.cron"]._commit_progress(len(waybills))

    def _pull_waybills(self, waybills):
        """Pull these waybills of this courier from its adapter, ingest the
        rows and mark them pulled: the one pull path of the hourly cron and
        of the waybill's "Refresh tracking" button.

        :returns: the ``ingest`` result (``{}`` when the source gave no row)
        """
        self.ensure_one()
        rows = getattr(self, f"_pull_{self.pull_adapter}")(waybills)
        result = {}
        if rows:
            result = self.env["logistics.tracking.event"].ingest(
                rows, source="pull", courier=self.code
            )
        waybills._mark_pulled()
        return result

    def _pull_setup_problem(self):
        """Why the tracking of this courier cannot be pulled (translated), or
        ``False`` when it can."""
        self.ensure_one()
        if self.pull_adapter == "none":
            return self.env._(
                "%(courier)s has no tracking source to pull from: a supervisor "
                "chooses one in the courier's 'Pull Tracking From' field.",
                courier=self.name,
            )
        if self.pull_adapter == "kuaidi100" and not self._kuaidi100_credentials():
            return self.env._(
                "Pulling %(courier)s from Kuaidi100 needs the Kuaidi100 customer "
                "id and key in the Settings and the courier's Kuaidi100 code.",
                courier=self.name,
            )
        return False

    def _kuaidi100_credentials(self):
        """``(customer, key, company code)`` of a Kuaidi100 query for this
        courier, or ``None`` when one is missing."""
        self.ensure_one()
        customer = get_setting(self.env, "kuaidi100_customer")
        key = get_setting(self.env, "kuaidi100_key")
        if not customer or not key or not self.kuaidi100_code:
            return None
        return customer, key, self.kuaidi100_code

    def _pull_kuaidi100(self, waybills):
        """Kuaidi100 real-time query, one request per waybill (its API has no
        batch query); failures are logged and the waybill waits for the next
        run."""
        self.ensure_one()
        credentials = self._kuaidi100_credentials()
        if not credentials:
            _logger.warning(
                "courier %s: Kuaidi100 pull needs the customer id and key "
                "(Settings) and the courier's Kuaidi100 code",
                self.code,
            )
            return []
        customer, key, company = credentials
        rows = []
        for waybill in waybills:
            form = pull_core.kuaidi100_query_form(
                customer,
                key,
                company,
                waybill.number,
                waybill.receiver_phone_last4 or waybill.sender_phone_last4 or "",
            )
            try:
                response = requests.post(
                    pull_core.KUAIDI100_QUERY_URL,
                    data=form,
                    timeout=pull_core.PULL_TIMEOUT,
                )
                answer = pull_core.parse_kuaidi100_query(response.content)
            except (requests.RequestException, webhook_core.WebhookError) as exc:
                _logger.info("kuaidi100 pull of %s failed: %s", waybill.number, exc)
                continue
            rows += [dict(row, courier=self.code) for row in answer]
        return rows

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
