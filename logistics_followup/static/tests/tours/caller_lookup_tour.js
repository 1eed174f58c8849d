/** @odoo-module **/
// Copyright 2026 logistics_followup contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The caller look-up in the browser (issue 15, items 1 and 9): from the
// caller's words on the helpdesk home to the parcel's progress line in at
// most 3 interactions. The data are made by tests/test_caller_lookup.py.
import { registry } from "@web/core/registry";

const FIELD = ".o_logistics_caller_lookup input[name=caller_words]";
const FIND = ".o_logistics_caller_lookup button[type=submit]";

function lookUp(words) {
    return [
        { content: "the agent types the caller's words", trigger: FIELD, run: `edit ${words}` },
        { content: "and looks them up", trigger: FIND, run: "click" },
    ];
}

function landsOn(number, step) {
    return [
        {
            content: "the parcel's form is open",
            trigger: `.o_form_view .oe_title [name=number] input:value(${number})`,
        },
        {
            content: "its progress line shows the current step",
            trigger: `.o_logistics_journey_step.o_logistics_journey_current[data-step=${step}]`,
        },
        {
            content: "its open tickets are at hand",
            trigger: ".o_form_view button[name=action_view_open_tickets]",
        },
    ];
}

const tours = registry.category("web_tour.tours");

// 1: the last 4 digits of the receiver's phone
tours.add("logistics_caller_lookup_last4", {
    steps: () => [...lookUp("尾号5678"), ...landsOn("SF1500000000001", "at_station")],
});

// 2: the sender's full phone, written otherwise than stored
tours.add("logistics_caller_lookup_phone", {
    steps: () => [
        ...lookUp("0086 138-0013-8000"),
        ...landsOn("SF1500000000002", "out_for_delivery"),
        {
            content: "the exception is marked on the step reached",
            trigger: ".o_logistics_journey_current.o_logistics_journey_marked .o_logistics_journey_marker",
        },
    ],
});

// 3: the waybill number in lower case with spaces, from the waybill list
tours.add("logistics_caller_lookup_number", {
    steps: () => [
        { content: "the waybill list is shown", trigger: ".o_list_view" },
        ...lookUp("sf 1500 0000 00001"),
        ...landsOn("SF1500000000001", "at_station"),
    ],
});

// 4: a name shared by two parcels: the candidates, with the Caller facet
tours.add("logistics_caller_lookup_candidates", {
    steps: () => [
        ...lookUp("王小明"),
        {
            content: "the candidates are listed under the Caller facet",
            trigger: ".o_searchview_facet:contains(王小明)",
        },
        { trigger: ".o_list_view .o_data_row:nth-child(2)" },
    ],
});

// 5: an unknown number several couriers' formats accept: choose, track
tours.add("logistics_caller_lookup_unknown", {
    steps: () => [
        ...lookUp("9044-1726-8350"),
        {
            content: "the courier is chosen among the candidates",
            trigger: ".modal [name=courier_id] label:contains(ZTO Express)",
            run: "click",
        },
        {
            content: "the new parcel is created and tracked",
            trigger: ".modal button[name=action_track]",
            run: "click",
        },
        {
            content: "its form is open, its progress line still empty",
            trigger: ".o_form_view .oe_title [name=number] input:value(904417268350)",
        },
        { trigger: ".o_logistics_journey .o_logistics_journey_step[data-step=picked_up].o_logistics_journey_todo" },
    ],
});

// 6: a zh_TW agent: the progress line speaks his language
tours.add("logistics_caller_lookup_zh_tw", {
    steps: () => [
        ...lookUp("尾號 5678"),
        {
            content: "the current step is labelled in traditional Chinese",
            trigger: ".o_logistics_journey_current[data-step=at_station] .o_logistics_journey_label:contains(網點)",
        },
        {
            content: "the hubs are counted in traditional Chinese",
            trigger: ".o_logistics_journey_step[data-step=in_transit]:contains(2 個轉運中心)",
        },
    ],
});
