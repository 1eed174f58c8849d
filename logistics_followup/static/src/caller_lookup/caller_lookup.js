/** @odoo-module **/
// Copyright 2026 logistics_followup contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { Component, onWillStart, useState } from "@odoo/owl";
import { user } from "@web/core/user";
import { useAutofocus, useService } from "@web/core/utils/hooks";

/**
 * The caller look-up field: the caller's words (a waybill number in any
 * form, a phone, its last 4 digits or a name) go to
 * logistics.waybill.action_caller_lookup, whose answer (the parcel, the
 * candidates, the offer to track a new number or a message) is opened.
 * Shown to agents only (they may read and track waybills).
 */
export class CallerLookup extends Component {
    static template = "logistics_followup.CallerLookup";
    static props = { autofocus: { type: Boolean, optional: true } };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ words: "", busy: false, allowed: false });
        if (this.props.autofocus) {
            useAutofocus({ refName: "input" });
        }
        onWillStart(async () => {
            this.state.allowed = await user.hasGroup("logistics_followup.group_logistics_agent");
        });
    }

    async onSubmit(ev) {
        ev.preventDefault();
        const words = this.state.words.trim();
        if (!words || this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            const action = await this.orm.call("logistics.waybill", "action_caller_lookup", [words]);
            await this.action.doAction(action);
        } finally {
            this.state.busy = false;
        }
    }
}
