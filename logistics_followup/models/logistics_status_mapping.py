# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

from ..core import status as status_core
from .logistics_waybill import SIGNED_BY_SELECTION, WAYBILL_STATE_SELECTION


class LogisticsStatusMapping(models.Model):
    """How a courier or aggregator status becomes one of our states.

    R-WB-3: Kuaidi100 state codes, AfterShip tags and sub-statuses and plain
    Chinese status words, seeded from ``core/status.py``; an administrator
    adds the codes a new source sends.
    """

    _name = "logistics.status.mapping"
    _description = "Tracking Status Mapping"
    _order = "source, code"

    source = fields.Selection(
        selection=[
            ("state", "Our state code"),
            ("kuaidi100", "Kuaidi100 state code"),
            ("aftership", "AfterShip tag or sub-status"),
            ("word", "Chinese status word"),
        ],
        required=True,
    )
    code = fields.Char(required=True)
    state = fields.Selection(selection=WAYBILL_STATE_SELECTION, required=True)
    signed_by = fields.Selection(selection=SIGNED_BY_SELECTION, string="How Signed")
    active = fields.Boolean(default=True)

    _source_code_uniq = models.Constraint(
        "UNIQUE(source, code)", "This status is already mapped."
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    def _get_mapping(self):
        """The active mappings as the dict ``core.status.resolve_status`` expects."""
        return dict(self._get_mapping_cached())

    @tools.ormcache()
    def _get_mapping_cached(self):
        self.env.cr.execute(
            "SELECT source, code, state, signed_by FROM logistics_status_mapping "
            "WHERE active"
        )
        return tuple(
            ((source, code), (state, signed_by or None))
            for source, code, state, signed_by in self.env.cr.fetchall()
        )

    @api.model
    def _install_default_mappings(self):
        """Add the mappings of ``core/status.py`` that are not there yet;
        edited or archived ones are left alone."""
        existing = {
            (m.source, m.code) for m in self.with_context(active_test=False).search([])
        }
        defaults = status_core.iter_default_mappings()
        return self.create(
            [
                {"source": source, "code": code, "state": state, "signed_by": signed_by}
                for source, code, state, signed_by in defaults
                if (source, code) not in existing
            ]
        )
