# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customers' parcel pages (R-PT-1) and the public tracking look-up (R-PT-2).

Portal users have no access to the waybill models (tested): these pages
check that the parcel is the customer's (or that the visitor holds its access
token, or its number and phone digits) and read it as superuser, showing only
what the templates choose, masked where the reader is not its owner.
"""

import functools
import math

from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..core import portal as portal_core
from ..core import text as text_core
from ..core import transit as transit_core
from ..models.common import local_tz_name


class LogisticsCustomerPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "parcel_count" in counters:
            values["parcel_count"] = (
                request.env["logistics.waybill"]
                .sudo()
                .search_count(self._parcel_domain())
                if not request.env.user._is_public()
                else 0
            )
        return values

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _parcel_domain(self):
        Waybill = request.env["logistics.waybill"]
        return Waybill._portal_domain(request.env.user.partner_id)

    def _parcel_tz(self, waybill=None):
        return local_tz_name(
            request.env,
            request.env.user.tz,
            waybill and waybill.company_id.partner_id.tz,
        )

    def _check_text_params(self, **params):
        """Refuse (HTTP 400, with the reason) a request whose text parameters
        hold what the database cannot store or search (a NUL character, an
        invalid Unicode sequence), instead of failing on it (issue 11)."""
        for name, value in params.items():
            if not text_core.storable(value):
                raise BadRequest(
                    request.env._(
                        "The parameter %(name)s holds characters that are not allowed.",
                        name=name,
                    )
                )

    def _parcel_check_access(self, waybill_id, access_token=None):
        """The parcel as superuser and whether its reader owns it: a customer
        of one of its sides, else an employee who may read it or a visitor
        with its access token (both read the masked page). Raises
        ``AccessError`` / ``MissingError`` otherwise."""
        waybill = request.env["logistics.waybill"].sudo().browse(waybill_id).exists()
        if not waybill:
            raise MissingError(request.env._("This parcel does not exist."))
        if not request.env.user._is_public() and waybill._portal_sides(
            request.env.user.partner_id
        ):
            return waybill, True
        return (
            self._document_check_access(
                "logistics.waybill", waybill_id, access_token=access_token
            ),
            False,
        )

    def _owned_parcel(self, waybill_id):
        """The waybill if it is one of the logged-in customer's parcels,
        else None (the caller sends him back to /my)."""
        try:
            waybill, owner = self._parcel_check_access(waybill_id)
        except (AccessError, MissingError):
            return None
        return waybill if owner else None

    def _parcel_page_values(self, waybill, owner, access_token=None, **extra):
        partner = request.env.user.partner_id
        sides = waybill._portal_sides(partner) if owner else set()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "parcel",
                "waybill": waybill,
                "owner": owner,
                "access_token": access_token,
                "parties": {
                    side: waybill._portal_party(side, masked=side not in sides)
                    for side in ("sender", "receiver")
                },
                "timeline": waybill._portal_timeline(self._parcel_tz(waybill), sides),
                "tz": self._parcel_tz(waybill),
                "tickets": (
                    waybill.ticket_ids.filtered(
                        lambda t: (
                            t.portal_shared
                            and t.partner_id.commercial_partner_id
                            == partner.commercial_partner_id
                        )
                    )
                    if owner
                    else waybill.ticket_ids.browse()
                ),
                "requests": {
                    "chase": request.env._("Chase the delivery"),
                    "complaint": request.env._("Make a complaint"),
                },
            }
        )
        values.update(extra)
        return values

    # ------------------------------------------------------------
    # R-PT-1: the customer's parcels
    # ------------------------------------------------------------

    @http.route(
        ["/my/parcels", "/my/parcels/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_parcels(self, page=1, sortby=None, filterby=None, search=None, **kw):
        Waybill = request.env["logistics.waybill"].sudo()
        partner = request.env.user.partner_id.commercial_partner_id
        env = request.env
        searchbar_sortings = {
            "date": {
                "label": env._("Latest Scan"),
                "order": "last_event_time desc nulls last",
            },
            "number": {"label": env._("Waybill Number"), "order": "number"},
            "expected": {
                "label": env._("Expected Delivery"),
                "order": "expected_date desc",
            },
        }
        filter_labels = {
            "all": env._("All"),
            "open": env._("On the Way"),
            "delivered": env._("Delivered"),
            "sent": env._("Sent by Me"),
            "received": env._("Sent to Me"),
        }
        filter_domains = {
            "all": [],
            "open": [("state", "not in", list(transit_core.FINAL_STATES))],
            "delivered": [("state", "=", "delivered")],
            "sent": [("sender_partner_id", "child_of", partner.id)],
            "received": [("receiver_partner_id", "child_of", partner.id)],
        }
        searchbar_filters = {
            key: {"label": label, "domain": filter_domains[key]}
            for key, label in filter_labels.items()
        }
        sortby = sortby if sortby in searchbar_sortings else "date"
        filterby = filterby if filterby in searchbar_filters else "all"
        domain = self._parcel_domain() + searchbar_filters[filterby]["domain"]
        self._check_text_params(search=search)
        if search:
            domain += [("number", "ilike", search.strip())]
        total = Waybill.search_count(domain)
        pager = portal_pager(
            url="/my/parcels",
            url_args={"sortby": sortby, "filterby": filterby, "search": search},
            total=total,
            page=page,
            step=self._items_per_page,
        )
        parcels = Waybill.search(
            domain,
            order=searchbar_sortings[sortby]["order"] + ", id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "parcels": parcels,
                "page_name": "parcel",
                "default_url": "/my/parcels",
                "pager": pager,
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
                "searchbar_filters": searchbar_filters,
                "filterby": filterby,
                "searchbar_inputs": {
                    "number": {
                        "input": "number",
                        "label": env._("Search in Waybill Number"),
                    }
                },
                "search_in": "number",
                "search": search,
                "tz": self._parcel_tz(),
                "local_time": functools.partial(
                    portal_core.local_time, tz_name=self._parcel_tz()
                ),
            }
        )
        return request.render("logistics_followup.portal_my_parcels", values)

    @http.route(
        ["/my/parcels/<int:waybill_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_parcel(self, waybill_id, access_token=None, **kw):
        try:
            waybill, owner = self._parcel_check_access(waybill_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._parcel_page_values(waybill, owner, access_token)
        return request.render("logistics_followup.portal_parcel_page", values)

    @http.route(
        ["/my/parcels/<int:waybill_id>/ticket"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_parcel_ticket(
        self, waybill_id, request_kind=None, description=None, **kw
    ):
        waybill = self._owned_parcel(waybill_id)
        if not waybill:
            return request.redirect("/my")
        try:
            ticket, created = waybill._portal_open_ticket(
                request.env.user.partner_id, request_kind, description
            )
        except UserError as error:
            # the page again, with the reason and what the customer typed
            values = self._parcel_page_values(
                waybill,
                True,
                ticket_error=error.args[0],
                request_kind=request_kind,
                description=description or "",
            )
            return request.render(
                "logistics_followup.portal_parcel_page", values, status=400
            )
        # a request added to the parcel's open ticket: its page says so
        return request.redirect(
            f"/my/ticket/{ticket.id}" + ("" if created else "?request_added=1")
        )

    # ------------------------------------------------------------
    # R-PT-2: public tracking look-up
    # ------------------------------------------------------------

    @http.route(
        ["/parcel/track"],
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
    )
    def parcel_track(self, number=None, last4=None, **kw):
        # shown again in the form: nothing the page could not render
        values = {
            "number": text_core.shown(number or "", 64),
            "last4": "",
            "tz": self._parcel_tz(),
        }
        if request.httprequest.method != "POST":
            return request.render("logistics_followup.portal_parcel_track", values)
        Lookup = request.env["logistics.tracking.lookup"].sudo()
        waybill, wait = Lookup._throttled(
            request.httprequest.remote_addr,
            number,
            lambda: request.env["logistics.waybill"]._public_lookup(number, last4),
        )
        if wait is not None:
            values["error"] = request.env._(
                "Too many failed look-ups from your network. Try again in "
                "%(minutes)s minutes.",
                minutes=max(1, math.ceil(wait.total_seconds() / 60)),
            )
            return request.render(
                "logistics_followup.portal_parcel_track", values, status=429
            )
        if not waybill:
            values["error"] = (
                request.env._("Enter the last 4 digits of the phone number.")
                if portal_core.lookup_last4(last4) is None
                else request.env._(
                    "No parcel matches this waybill number and these phone digits."
                )
            )
            return request.render(
                "logistics_followup.portal_parcel_track", values, status=404
            )
        values.update(
            {
                "waybill": waybill,
                "parties": {
                    side: waybill._portal_party(side, masked=True)
                    for side in ("sender", "receiver")
                },
                "timeline": waybill._portal_timeline(self._parcel_tz(waybill)),
                "tz": self._parcel_tz(waybill),
            }
        )
        return request.render("logistics_followup.portal_parcel_track", values)
