/** @odoo-module **/
// Copyright 2026 logistics_followup contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { HelpdeskDashboard } from "@helpdesk_mgmt/views/helpdesk_dashboard/helpdesk_dashboard.esm";
import { registry } from "@web/core/registry";
import { ListRenderer } from "@web/views/list/list_renderer";
import { listView } from "@web/views/list/list_view";
import { CallerLookup } from "./caller_lookup";

// the helpdesk home (helpdesk_mgmt's team dashboard) gets the field above
// its figures
HelpdeskDashboard.components = { ...HelpdeskDashboard.components, CallerLookup };

// the waybill list gets it above the list
export class WaybillListRenderer extends ListRenderer {
    static template = "logistics_followup.WaybillListRenderer";
    static components = { ...ListRenderer.components, CallerLookup };
}

registry.category("views").add("logistics_waybill_list", {
    ...listView,
    Renderer: WaybillListRenderer,
});
