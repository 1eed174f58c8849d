/** @odoo-module **/
// Copyright 2026 logistics_followup contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { Component, onMounted, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

const COLORS = ["#d9534f", "#2e6da4"];

/**
 * Supervisor dashboard: today's and this week's key figures, each opening
 * the records behind it, and the trend of complaints and problem parcels
 * drawn with Chart.js as Odoo's graph view loads it (web.chartjs_lib).
 */
export class LogisticsDashboard extends Component {
    static template = "logistics_followup.Dashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.canvas = useRef("trend");
        this.state = useState({ data: null });
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            this.state.data = await this.orm.call("logistics.dashboard", "get_dashboard_data", []);
        });
        onMounted(() => this.renderChart());
        onWillUnmount(() => this.chart && this.chart.destroy());
    }

    get isEmpty() {
        return this.state.data.cards.every((card) => !card.value);
    }

    get trendIsEmpty() {
        return this.state.data.trend.series.every((serie) => serie.data.every((n) => !n));
    }

    open(name, model, domain) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: model,
            domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
            target: "current",
        });
    }

    openCard(card) {
        this.open(card.label, card.model, card.domain);
    }

    openPoint(serieIndex, dayIndex) {
        const trend = this.state.data.trend;
        const serie = trend.series[serieIndex];
        const [start, end] = trend.bounds[dayIndex];
        this.open(`${serie.label} ${trend.labels[dayIndex]}`, "helpdesk.ticket", [
            ["logistics_kind", "=", serie.kind],
            ["create_date", ">=", start],
            ["create_date", "<", end],
        ]);
    }

    renderChart() {
        if (!this.canvas.el || this.trendIsEmpty) {
            return;
        }
        const trend = this.state.data.trend;
        this.chart = new Chart(this.canvas.el, {
            type: "line",
            data: {
                labels: trend.labels,
                datasets: trend.series.map((serie, index) => ({
                    label: serie.label,
                    data: serie.data,
                    borderColor: COLORS[index % COLORS.length],
                    backgroundColor: COLORS[index % COLORS.length],
                    tension: 0.2,
                })),
            },
            options: {
                responsive: true,
                maintainAspectRatio: false,
                scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
                plugins: { title: { display: true, text: _t("Opened per day") } },
                onClick: (event, elements) => {
                    if (elements.length) {
                        this.openPoint(elements[0].datasetIndex, elements[0].index);
                    }
                },
            },
        });
    }
}

registry.category("actions").add("logistics_followup.dashboard", LogisticsDashboard);
