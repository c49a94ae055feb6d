# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The arithmetic of the heat map, the migration grid and the cohorts, without
Odoo: the model (``crm.segment.matrix``, models/crm_segment_matrix_heat_map.py)
reads the aggregates with one query each and hands them here.

* ``cell_figures``: per cell the customers, the share of the revenue, the
  average predicted value and the value at risk, and per measure a heat
  between 0 (least) and 1 (most) that colours the cell.
* ``migration_grid``: the customers moved from one cell to another between
  two dates, as a from x to grid.
* ``cohort_table``: the customers by month of first purchase against the
  months since, and the share of each cohort still buying.
"""

from datetime import date

MEASURES = ("customers", "revenue_share", "clv_avg", "value_at_risk")


def _ratio(part, whole):
    return part / whole if whole else 0.0


def heat(values):
    """The heat of each value, between 0 and 1: its share of the largest one
    (0 for all when none is positive; negative values count as 0)."""
    top = max((value for value in values if value > 0), default=0)
    return [round(max(value, 0) / top, 4) if top else 0.0 for value in values]


def cell_figures(cell_ids, aggregates, measures=MEASURES):
    """The figures of every cell of ``cell_ids``, in that order.

    :param aggregates: {cell id: (customers, revenue, sum of predicted values,
        value at risk)} for the cells with customers (money sums may be None
        when the user may not read them)
    :param measures: the measures to compute (those the user may see)
    :return: (list of {"customers", "revenue", "revenue_share", "clv_avg",
        "value_at_risk", "heat": {measure: 0..1}}, totals of the same keys)
    """
    empty = (0, 0.0, 0.0, 0.0)
    rows = [aggregates.get(cell_id, empty) for cell_id in cell_ids]
    total_customers = sum(row[0] for row in rows)
    total_revenue = sum(row[1] or 0.0 for row in rows)
    total_clv = sum(row[2] or 0.0 for row in rows)
    total_at_risk = sum(row[3] or 0.0 for row in rows)
    figures = []
    for customers, revenue, clv_sum, at_risk in rows:
        figures.append(
            {
                "customers": customers,
                "revenue": revenue or 0.0,
                "revenue_share": _ratio(revenue or 0.0, total_revenue),
                "clv_avg": _ratio(clv_sum or 0.0, customers),
                "value_at_risk": at_risk or 0.0,
            }
        )
    for figure in figures:
        figure["heat"] = {}
    for measure in measures:
        for figure, level in zip(
            figures, heat([figure[measure] for figure in figures]), strict=True
        ):
            figure["heat"][measure] = level
    totals = {
        "customers": total_customers,
        "revenue": total_revenue,
        "revenue_share": 1.0 if total_revenue else 0.0,
        "clv_avg": _ratio(total_clv, total_customers),
        "value_at_risk": total_at_risk,
    }
    for figure in [*figures, totals]:
        for measure in set(MEASURES) - set(measures):
            figure.pop(measure, None)
        if "revenue_share" not in measures:
            figure.pop("revenue", None)
    return figures, totals


def migration_grid(pairs, cell_order):
    """The from x to grid of the moves between two dates.

    :param pairs: [(cell at the first date or None, cell at the second date or
        None, customers)]; None is "not in the matrix"
    :param cell_order: the cell ids in the matrix's order
    :return: {"from": [cell ids or None], "to": [...], "counts": {(from, to):
        customers}, "moved": customers in another cell (entered and left
        included), "stayed": customers in the same cell}
    """
    rank = {cell_id: index for index, cell_id in enumerate(cell_order)}

    def order(cell_id):
        # "not in the matrix" after the cells
        return rank.get(cell_id, len(rank)) if cell_id else len(rank) + 1

    counts, moved, stayed = {}, 0, 0
    for cell_from, cell_to, customers in pairs:
        if not cell_from and not cell_to:
            continue
        counts[(cell_from or None, cell_to or None)] = customers
        if cell_from == cell_to:
            stayed += customers
        else:
            moved += customers
    return {
        "from": sorted({key[0] for key in counts}, key=order),
        "to": sorted({key[1] for key in counts}, key=order),
        "counts": counts,
        "moved": moved,
        "stayed": stayed,
    }


def month_index(month):
    """A month as a number of months (for month differences)."""
    return month.year * 12 + month.month - 1


def add_months(month, months):
    index = month_index(month) + months
    return date(index // 12, index % 12 + 1, 1)


def cohort_table(rows, first_month, last_month):
    """The cohorts of the months from ``first_month`` to ``last_month``.

    :param rows: [(cohort month, months since the first purchase, customers
        buying in that month)]; months since 0 is the cohort's size
    :return: [{"month": first day of the month, "size": customers,
        "shares": [share still buying 0, 1, ... months after, up to
        ``last_month``]}], oldest first, one per month (empty ones too)
    """
    buying = {}
    for cohort, since, customers in rows:
        buying[(month_index(cohort), since)] = customers
    table = []
    last = month_index(last_month)
    for index in range(month_index(first_month), last + 1):
        size = buying.get((index, 0), 0)
        shares = [
            round(_ratio(buying.get((index, since), 0), size), 4)
            for since in range(last - index + 1)
        ]
        table.append(
            {
                "month": date(index // 12, index % 12 + 1, 1),
                "size": size,
                "shares": shares,
            }
        )
    return table
