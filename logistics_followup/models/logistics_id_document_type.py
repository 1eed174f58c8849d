# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..core import identity as identity_core


class LogisticsIdDocumentType(models.Model):
    """A kind of identity document shown when a receipt is signed, and
    whether it counts as valid ID (R-RC-2, configuration). The code names
    the number format checked by ``core.identity.validate_document``."""

    _name = "logistics.id.document.type"
    _description = "ID Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        selection=[(t.code, t.label) for t in identity_core.DOCUMENT_TYPES],
        required=True,
        help="How the document's number is validated. 'PRC passport' is the "
        "pattern of PRC passports only: foreign passports have no type yet.",
    )
    format_hint = fields.Char(compute="_compute_format_hint", string="Number Format")
    accepted = fields.Boolean(
        string="Accepted as Valid ID",
        default=True,
        help="Documents not accepted are refused when a receipt is signed or verified.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "There is already a document type with this code."
    )

    @api.depends("code")
    def _compute_format_hint(self):
        for doc_type in self:
            spec = identity_core.get_document_type(doc_type.code or "")
            doc_type.format_hint = spec.format if spec else False
