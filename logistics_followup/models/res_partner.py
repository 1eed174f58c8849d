# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import consteq
from odoo.tools.misc import hmac

UNSUBSCRIBE_SCOPE = "logistics_followup.unsubscribe"


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_key_customer = fields.Boolean(
        string="Key Customer",
        help="Gets the daily arrival feedback: one e-mail a day listing the "
        "parcels that arrived or were delivered the day before.",
    )
    logistics_notification_preference_ids = fields.One2many(
        "logistics.notification.preference",
        "partner_id",
        string="Parcel Notifications",
    )

    def _logistics_notify_choices(self):
        """``{(partner id, milestone): told}`` of these partners' choices
        (one query); milestones they did not choose take their default."""
        preferences = (
            self.env["logistics.notification.preference"]
            .sudo()
            .search([("partner_id", "in", self.ids)])
        )
        return {(p.partner_id.id, p.milestone): p.opt_in for p in preferences}

    def _logistics_set_choices(self, choices):
        """Store ``{milestone: told}`` for each of these partners."""
        Preference = self.env["logistics.notification.preference"].sudo()
        existing = {
            (p.partner_id.id, p.milestone): p
            for p in Preference.search([("partner_id", "in", self.ids)])
        }
        create = []
        for partner in self:
            for milestone, told in choices.items():
                record = existing.get((partner.id, milestone))
                if record:
                    if record.opt_in != told:
                        record.opt_in = told
                else:
                    create.append(
                        {
                            "partner_id": partner.id,
                            "milestone": milestone,
                            "opt_in": told,
                        }
                    )
        Preference.create(create)

    def _logistics_unsubscribe_token(self):
        self.ensure_one()
        return hmac(self.env(su=True), UNSUBSCRIBE_SCOPE, self.id)

    def _logistics_check_unsubscribe_token(self, token):
        self.ensure_one()
        return bool(token) and consteq(self._logistics_unsubscribe_token(), token)

    def _logistics_unsubscribe_url(self):
        self.ensure_one()
        return (
            f"{self.get_base_url()}/parcel/notifications/unsubscribe/"
            f"{self.id}/{self._logistics_unsubscribe_token()}"
        )
