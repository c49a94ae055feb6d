import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { formatInteger, formatMonetary, formatPercentage } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const { DateTime } = luxon;

/**
 * The heat map of a segmentation matrix (crm.segment.matrix): its cells as a
 * coloured grid (stacked on a phone), coloured by the measure chosen; a click
 * on a cell opens its customers. Two more tabs: the customers moved between
 * cells from one date to another, and the cohorts of first purchases. The
 * figures come from the matrix's methods heat_map_data, migration_data and
 * cohort_data (models/crm_segment_matrix_heat_map.py), as the user.
 */
export class SegmentHeatMap extends Component {
    static template = "crm_segmentation.SegmentHeatMap";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.ui = useState(useService("ui"));
        const context = this.props.action.context || {};
        this.matrixId = context.active_id;
        this.tabs = [
            { key: "heat_map", label: _t("Heat Map") },
            { key: "migration", label: _t("Migration") },
            { key: "cohorts", label: _t("Cohorts") },
        ];
        this.state = useState({
            tab: context.heat_map_tab || "heat_map",
            measure: "customers",
            heatMap: null,
            migration: null,
            cohorts: null,
            dateFrom: "",
            dateTo: "",
            error: "",
        });
        onWillStart(() => this.load(this.state.tab));
    }

    async load(tab) {
        this.state.error = "";
        const ids = [this.matrixId];
        if (tab === "heat_map") {
            this.state.heatMap = await this.orm.call("crm.segment.matrix", "heat_map_data", [ids]);
        } else if (tab === "migration") {
            const migration = await this.orm.call("crm.segment.matrix", "migration_data", [ids], {
                date_from: this.state.dateFrom || null,
                date_to: this.state.dateTo || null,
            });
            this.state.dateFrom = migration.date_from;
            this.state.dateTo = migration.date_to;
            this.state.migration = migration;
        } else {
            this.state.cohorts = await this.orm.call("crm.segment.matrix", "cohort_data", [ids]);
        }
    }

    async selectTab(tab) {
        this.state.tab = tab;
        await this.load(tab);
    }

    selectMeasure(measure) {
        this.state.measure = measure;
    }

    // ------------------------------------------------------------------
    // Heat map
    // ------------------------------------------------------------------

    get currentMeasure() {
        const measures = this.state.heatMap?.measures || [];
        return measures.find((m) => m.key === this.state.measure) || measures[0];
    }

    cellAt(rowId, colId) {
        return this.state.heatMap.cells.find((c) => c.row === rowId && c.col === colId);
    }

    cellsOfRow(rowId) {
        return this.state.heatMap.cells.filter((c) => c.row === rowId);
    }

    levelName(levels, id) {
        return levels.find((level) => level.id === id)?.name || "";
    }

    formatMoney(value) {
        return formatMonetary(value, { currencyId: this.state.heatMap.currency_id });
    }

    formatMeasure(figures, key = this.currentMeasure.key) {
        const value = figures[key] || 0;
        if (key === "customers") {
            return formatInteger(value);
        }
        if (key === "revenue_share") {
            return formatPercentage(value);
        }
        return this.formatMoney(value);
    }

    customersText(count) {
        return count === 1
            ? _t("1 customer")
            : _t("%(count)s customers", { count: formatInteger(count) });
    }

    heatStyle(level) {
        // from a pale to a deep orange; light text on the dark half
        const alpha = 0.06 + 0.84 * (level || 0);
        const color = level > 0.55 ? "#fff" : "inherit";
        return `background-color: rgba(217, 83, 25, ${alpha.toFixed(3)}); color: ${color};`;
    }

    cellStyle(cell) {
        return this.heatStyle(cell.heat[this.currentMeasure.key]);
    }

    async openCell(cell) {
        const action = await this.orm.call("crm.segment.matrix", "action_view_cell", [
            [this.matrixId],
            cell.id,
        ]);
        await this.actionService.doAction(action);
    }

    // ------------------------------------------------------------------
    // Migration
    // ------------------------------------------------------------------

    async onDateChange(ev, which) {
        this.state[which] = ev.target.value;
        if (this.state.dateFrom && this.state.dateTo) {
            try {
                await this.load("migration");
            } catch (error) {
                this.state.error = error.data?.message || error.message;
            }
        }
    }

    movedText(count) {
        return count === 1
            ? _t("1 customer changed segment")
            : _t("%(count)s customers changed segment", { count: formatInteger(count) });
    }

    stayedText(count) {
        return count === 1
            ? _t("1 customer stayed in its segment")
            : _t("%(count)s customers stayed in their segment", {
                  count: formatInteger(count),
              });
    }

    moveCount(fromId, toId) {
        const pair = this.state.migration.counts.find((c) => c.from === fromId && c.to === toId);
        return pair ? pair.customers : 0;
    }

    moveStyle(fromId, toId) {
        const count = this.moveCount(fromId, toId);
        if (!count || fromId === toId) {
            return "";
        }
        const top = Math.max(
            ...this.state.migration.counts.filter((c) => c.from !== c.to).map((c) => c.customers)
        );
        return this.heatStyle(count / top);
    }

    // ------------------------------------------------------------------
    // Cohorts
    // ------------------------------------------------------------------

    formatMonth(isoDate) {
        return DateTime.fromISO(isoDate).toFormat("LLL yyyy");
    }

    formatShare(value) {
        return formatPercentage(value);
    }

    get cohortColumns() {
        const longest = Math.max(0, ...this.state.cohorts.cohorts.map((c) => c.shares.length));
        return [...Array(longest).keys()];
    }
}

registry.category("actions").add("crm_segmentation.heat_map", SegmentHeatMap);
