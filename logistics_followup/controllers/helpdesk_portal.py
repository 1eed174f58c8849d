# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

_lt = LazyTranslate(__name__)

#: The sort, group and search labels of helpdesk_mgmt's portal ticket list.
#: They are code terms of helpdesk_mgmt, which Odoo reads from
#: helpdesk_mgmt's own catalogues only (it ships no Chinese one): named here
#: in the customer's language until it does (docs/upstream/helpdesk_mgmt.md).
PORTAL_LABELS = {
    "Newest": _lt("Newest"),
    "Title": _lt("Title"),
    "Stage": _lt("Stage"),
    "Last Stage Update": _lt("Last Stage Update"),
    "None": _lt("None"),
    "Category": _lt("Category"),
    "Search in All": _lt("Search in All"),
    "Search in Number": _lt("Search in Number"),
    "Search in Title": _lt("Search in Title"),
}


def _translated(options):
    """The options with helpdesk_mgmt's untranslated labels translated."""
    for option in options.values():
        label = PORTAL_LABELS.get(option.get("label"))
        if label:
            option["label"] = request.env._(label)
    return options


class LogisticsHelpdeskPortal(CustomerPortalHelpdesk):
    def _ticket_get_searchbar_sortings(self):
        return _translated(super()._ticket_get_searchbar_sortings())

    def _ticket_get_searchbar_groupby(self):
        return _translated(super()._ticket_get_searchbar_groupby())

    def _ticket_get_searchbar_inputs(self):
        return _translated(super()._ticket_get_searchbar_inputs())
