# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customers' notification choices (R-PT-1): the portal preferences page, a
parcel's follow / unfollow button and the one-click unsubscribe link of every
message (no login, token-protected)."""

from odoo import http
from odoo.http import request

from .portal import LogisticsCustomerPortal


class ParcelNotificationPortal(LogisticsCustomerPortal):
    def _parcel_page_values(self, waybill, owner, access_token=None, **extra):
        values = super()._parcel_page_values(waybill, owner, access_token, **extra)
        partner = request.env.user.partner_id
        values["parcel_muted"] = (
            owner and partner in waybill.sudo().notify_muted_partner_ids
        )
        return values

    def _notification_choices(self, partner):
        Milestone = request.env["logistics.notification.milestone"].sudo()
        milestones = Milestone._for_company(request.env.company)
        choices = partner._logistics_notify_choices()
        return [
            {
                "code": code,
                "name": milestone.name,
                "told": choices.get((partner.id, code), milestone.default_opt_in),
            }
            for code, milestone in sorted(
                milestones.items(), key=lambda item: item[1].sequence
            )
            if milestone.active and milestone.audience != "none"
        ]

    @http.route(
        ["/my/parcel-notifications"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_parcel_notifications(self, **post):
        partner = request.env.user.partner_id
        saved = False
        if request.httprequest.method == "POST":
            choices = {
                item["code"]: bool(post.get(f"milestone_{item['code']}"))
                for item in self._notification_choices(partner)
            }
            partner.sudo()._logistics_set_choices(choices)
            saved = True
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "parcel_notifications",
                "milestones": self._notification_choices(partner),
                "saved": saved,
            }
        )
        return request.render("logistics_followup.portal_parcel_notifications", values)

    @http.route(
        ["/my/parcels/<int:waybill_id>/notifications"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_parcel_follow(self, waybill_id, follow=None, **kw):
        waybill = self._owned_parcel(waybill_id)
        if not waybill:
            return request.redirect("/my")
        partner = request.env.user.partner_id
        command = (3 if follow == "1" else 4, partner.id)
        waybill.sudo().notify_muted_partner_ids = [command]
        return request.redirect(f"/my/parcels/{waybill.id}")

    def _unsubscribe_partner(self, partner_id, token):
        partner = request.env["res.partner"].sudo().browse(partner_id).exists()
        if not partner or not partner._logistics_check_unsubscribe_token(token):
            return None
        return partner

    @http.route(
        ["/parcel/notifications/unsubscribe/<int:partner_id>/<string:token>"],
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        csrf=False,
    )
    def parcel_notifications_unsubscribe(self, partner_id, token, **kw):
        """One click (GET from the message, or the POST of RFC 8058): every
        milestone off for this customer."""
        partner = self._unsubscribe_partner(partner_id, token)
        if not partner:
            raise request.not_found()
        codes = (
            request.env["logistics.notification.milestone"]
            .sudo()
            ._for_company(partner.company_id or request.env.company)
        )
        partner._logistics_set_choices(dict.fromkeys(codes, False))
        return request.render(
            "logistics_followup.parcel_notifications_unsubscribed",
            {
                "message": request.env._(
                    "We will no longer tell %(name)s about parcels by e-mail or SMS.",
                    name=partner.name,
                ),
                "resubscribe_url": (
                    f"/parcel/notifications/resubscribe/{partner.id}/{token}"
                ),
            },
        )

    @http.route(
        ["/parcel/notifications/resubscribe/<int:partner_id>/<string:token>"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def parcel_notifications_resubscribe(self, partner_id, token, **kw):
        partner = self._unsubscribe_partner(partner_id, token)
        if not partner:
            raise request.not_found()
        request.env["logistics.notification.preference"].sudo().search(
            [("partner_id", "=", partner.id)]
        ).unlink()
        return request.render(
            "logistics_followup.parcel_notifications_resubscribed",
            {
                "message": request.env._(
                    "We will tell %(name)s about parcels again.", name=partner.name
                )
            },
        )
