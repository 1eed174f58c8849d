/** @odoo-module **/
// Copyright 2026 logistics_followup contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { Component } from "@odoo/owl";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * The parcel's journey as a progress line: picked up, hubs, delivering
 * station, out for delivery, delivered; the current step highlighted, an
 * exception or a return marked on it. The steps, their labels (in the
 * reader's language) and times (UTC, shown in the browser's time zone as
 * the scans below) come from logistics.waybill.journey (core/journey.py).
 */
export class JourneyField extends Component {
    static template = "logistics_followup.JourneyField";
    static props = { ...standardFieldProps };

    get journey() {
        return this.props.record.data[this.props.name];
    }

    formatTime(value) {
        return formatDateTime(deserializeDateTime(value), { format: "MM-dd HH:mm" });
    }

    stepClass(step) {
        const journey = this.journey;
        const classes = [`o_logistics_journey_${step.status}`];
        if (step.status === "current" && journey.marker) {
            classes.push("o_logistics_journey_marked");
        }
        if (step.status === "current" && step.key === "delivered") {
            classes.push("o_logistics_journey_arrived");
        }
        return classes.join(" ");
    }
}

registry.category("fields").add("logistics_journey", {
    component: JourneyField,
    supportedTypes: ["json"],
});
