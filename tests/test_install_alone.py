# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Each addon is a proper addon: installs alone, uninstalls cleanly, comes back
(slow: real installs, in subprocesses, on throwaway ``inst_*`` databases).

1. Each of the three addons is installed alone: crm_lifecycle on a new
   database, crm_segmentation and crm_complaints (which depend on it) each on a
   copy of that database, with the Apps button. The modules installed are
   exactly those its manifest implies (its dependencies, theirs, and the
   modules Odoo installs automatically along with them), and nothing logs an
   ERROR.
2. On the crm_complaints database of 1, full of data (customers with confirmed
   orders, validated deliveries, posted invoices, interactions, complaints),
   crm_segmentation is installed and the RFM segmentation placed every customer
   in a cell. Then, one addon after the other:
   - crm_segmentation is uninstalled: its models, tables and columns are gone,
     the partners, orders, deliveries, invoices and the lifecycle data are the
     same; reinstalled, it places the customers again;
   - crm_complaints likewise: the complaints are gone, the invoices they were
     about are the same, the lifecycle still follows a new customer and the
     timelines that showed complaints still read; reinstalled, a complaint can
     be filed again;
   - crm_lifecycle is uninstalled, and its two dependents with it: nothing of the
     three is left, the documents are the same, and an order is still confirmed
     and delivered, its invoice posted.
"""

import ast
from concurrent.futures import ThreadPoolExecutor

import pytest

from .odoo_subprocess import (
    ROOT,
    UNINSTALL_NOISE,
    copy_db,
    odoo,
    shell_result,
    throwaway_dbs,
)

ADDONS = ("crm_lifecycle", "crm_segmentation", "crm_complaints")


def _depends(addon):
    manifest = ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())
    return manifest["depends"]


# The modules a database must hold once ``addon`` is installed on a database
# with nothing else: the addon, its declared dependencies (read from its
# manifest, not from the database), their dependencies (Odoo's modules, from the
# database), and the modules that install automatically when theirs are there,
# but the localisations (modules with countries: Odoo installs those of the
# companies' countries, and a new database's company has none when it installs).
EXPECTED_MODULES = """
Module = env["ir.module.module"]
modules = {m.name: m for m in Module.search([])}
addon, depends = %r, %r


def with_dependencies(names):
    done = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in done:
            continue
        done.add(name)
        if name == addon:
            todo += depends
        else:
            todo += modules[name].dependencies_id.mapped("name")
    return done


expected = with_dependencies({"base", addon})
while True:
    triggered = {
        m.name
        for m in modules.values()
        if m.auto_install
        and m.name not in expected
        and m.state != "uninstallable"
        and not m.country_ids
        and {d.name for d in m.dependencies_id if d.auto_install_required} <= expected
    }
    if not triggered:
        break
    expected = with_dependencies(expected | triggered)
installed = Module.search([("state", "=", "installed")]).mapped("name")
declared = modules[addon].dependencies_id.mapped("name")
result({"expected": sorted(expected), "installed": sorted(installed),
        "declared": sorted(declared)})
"""

# Shared by the scripts below: what must survive an uninstall, and what an
# addon owns (and must take away with it).
COMMON = """
from odoo import Command

OURS = ("crm_lifecycle", "crm_segmentation", "crm_complaints")
CORE = {
    "res.partner": ["name", "active", "parent_id", "email"],
    "product.product": ["name", "active"],
    "sale.order": ["state", "partner_id", "amount_total", "invoice_status"],
    "sale.order.line": ["order_id", "product_id", "product_uom_qty", "qty_invoiced"],
    "stock.picking": ["state", "partner_id", "origin"],
    "stock.move": ["state", "product_id", "quantity", "picking_id"],
    "account.move": ["state", "move_type", "partner_id", "amount_total", "name"],
    "account.move.line": ["move_id", "account_id", "balance"],
}


def documents():
    env.invalidate_all()
    return {
        model: {
            str(row.pop("id")): row
            for row in env[model].with_context(active_test=False).search_read(
                [], fields, order="id", load=None)
        }
        for model, fields in CORE.items()
    }


def lifecycle():
    env.invalidate_all()
    if "crm.interaction" not in env:
        return None
    partners = env["res.partner"].with_context(active_test=False).search(
        [("lifecycle_stage_id", "!=", False)], order="id")
    return {
        "stages": {str(p.id): p.lifecycle_stage_id.id for p in partners},
        "interactions": env["crm.interaction"].search([], order="id").ids,
        "history": env["crm.lifecycle.history"].search([], order="id").ids,
    }


def owned(modules):
    \"\"\"The models, tables and columns that only ``modules`` define.\"\"\"
    Data = env["ir.model.data"]

    def only_theirs(model):
        theirs = set(Data.search([("module", "in", modules), ("model", "=", model)])
                     .mapped("res_id"))
        others = set(Data.search([("module", "not in", modules), ("model", "=", model),
                                  ("res_id", "in", list(theirs))]).mapped("res_id"))
        return env[model].browse(sorted(theirs - others))

    models = only_theirs("ir.model").mapped("model")
    tables = [env[m]._table for m in models if not env[m]._abstract]
    relations = env["ir.model.relation"].search([])
    tables += sorted(
        set(relations.filtered(lambda r: r.module.name in modules).mapped("name"))
        - set(relations.filtered(lambda r: r.module.name not in modules)
              .mapped("name")))
    columns = sorted(
        f"{env[f.model]._table}.{f.name}"
        for f in only_theirs("ir.model.fields")
        if f.model not in models and f.store
        and env[f.model]._fields[f.name].column_type)
    return {"models": sorted(models), "tables": sorted(tables), "columns": columns}


def present(things):
    \"\"\"What is still there of ``owned(...)``.\"\"\"
    env.cr.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s)",
                   [things["tables"]])
    tables = sorted(r[0] for r in env.cr.fetchall())
    env.cr.execute(
        "SELECT table_name || '.' || column_name FROM information_schema.columns"
        " WHERE table_name || '.' || column_name = ANY(%s)", [things["columns"]])
    columns = sorted(r[0] for r in env.cr.fetchall())
    models = sorted(m for m in things["models"] if m in env)
    return {"models": models, "tables": tables, "columns": columns}


def states(*names):
    return dict(env["ir.module.module"].search([("name", "in", names)])
                .mapped(lambda m: (m.name, m.state)))


def sell(customer, products, qty=1):
    \"\"\"Confirmed order, validated delivery, posted invoice.\"\"\"
    order = env["sale.order"].create({"partner_id": customer.id, "order_line": [
        Command.create({"product_id": p.id, "product_uom_qty": qty})
        for p in products]})
    order.action_confirm()
    picking = order.picking_ids
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
    picking.move_ids.picked = True
    picking.button_validate()
    invoice = order._create_invoices()
    invoice.action_post()
    assert order.state == "sale", order.state
    assert picking.state == "done", picking.state
    assert invoice.state == "posted", invoice.state
    return order, picking, invoice


def uninstall(name):
    \"\"\"Uninstall ``name`` (and its dependents) with the Apps button; what was
    there before and after, and what is left of what they owned.\"\"\"
    module = env["ir.module.module"].search([("name", "=", name)])
    removing = sorted((module | module.downstream_dependencies()).mapped("name"))
    kept = [n for n, state in states(*OURS).items()
            if state == "installed" and n not in removing]
    mine = {"removed": owned(removing), **{n: owned([n]) for n in kept}}
    before = {"documents": documents(), "lifecycle": lifecycle()}
    module.button_immediate_uninstall()
    env.transaction.reset()
    return {
        "removing": removing,
        "before": before,
        "after": {"documents": documents(), "lifecycle": lifecycle()},
        "owned": mine,
        "left": {n: present(things) for n, things in mine.items()},
        "states": states(*OURS),
    }


def install(name):
    env["ir.module.module"].search([("name", "=", name)]).button_immediate_install()
    env.transaction.reset()
"""

INSTALL = """
env["ir.module.module"].search([("name", "=", %r)]).button_immediate_install()
env.transaction.reset()
"""

DATA = """
products = env["product.product"].create([
    {"name": f"Inst product {i}", "type": "consu", "list_price": 10.0 * (i + 1)}
    for i in range(3)])
customers = env["res.partner"].create([
    {"name": f"Inst customer {i}", "is_company": True, "email": f"inst{i}@example.com"}
    for i in range(6)])
env["res.partner"].create([{"name": f"Contact {i}", "parent_id": c.id}
                           for i, c in enumerate(customers)])
for i, customer in enumerate(customers):
    order, picking, invoice = sell(customer, products[: 1 + i % 3], qty=i + 1)
    env["crm.interaction"].create({"name": f"Call {i}", "partner_id": customer.id})
    late, wrong = env["crm.complaint"].create([
        {"subject": f"Late delivery {i}", "partner_id": customer.id,
         "picking_id": picking.id},
        {"subject": f"Wrong invoice {i}", "partner_id": customer.id,
         "invoice_id": invoice.id, "sale_order_id": order.id},
    ])
    late.stage_id = env.ref("crm_complaints.stage_closed")
env.cr.commit()

install("crm_segmentation")
env["res.partner"]._rfm_compute(env.company)
matrix = env.ref("crm_segmentation.crm_segment_matrix_rfm")
matrix.action_recompute()
env.cr.commit()
memberships = env["crm.segment.membership"].search([("matrix_id", "=", matrix.id)])
result({
    "customers": customers.ids,
    "placed": sorted(memberships.mapped("partner_id").ids),
    "complaints": env["crm.complaint"].search_count([]),
    "closed_logged": env["crm.interaction"].search_count(
        [("interaction_type", "=", "complaint_closed")]),
    "states": states(*OURS),
})
"""

SEGMENTATION = """
out = uninstall("crm_segmentation")
env.cr.commit()
install("crm_segmentation")
env["res.partner"]._rfm_compute(env.company)
matrix = env.ref("crm_segmentation.crm_segment_matrix_rfm")
matrix.action_recompute()
env.cr.commit()
out["placed"] = sorted(env["crm.segment.membership"].search(
    [("matrix_id", "=", matrix.id)]).mapped("partner_id").ids)
out["states_again"] = states("crm_segmentation")
result(out)
"""

COMPLAINTS = """
out = uninstall("crm_complaints")
# the lifecycle still follows the customers: a new one buys
customer = env["res.partner"].create({"name": "Inst newcomer", "is_company": True})
products = env["product.product"].search([("name", "like", "Inst product")])
order, picking, invoice = sell(customer, products[:1])
logged = env["crm.interaction"].search([("partner_id", "=", customer.id)])
out["newcomer"] = {
    "stage_kind": customer.lifecycle_stage_id.kind,
    "logged": sorted(set(logged.mapped("res_model"))),
}
# the timeline and summary of a customer whose complaints are gone still render
old = env["res.partner"].browse(%r)
old.lifecycle_summary_html
timeline = env["crm.interaction"].search([("partner_id", "in", old.ids)])
timeline.read()
out["timeline"] = sorted(set(timeline.mapped("res_model")) - {False})
# the closing interactions (a value crm_complaints added) got the default type
env.cr.execute("SELECT interaction_type, count(*) FROM crm_interaction"
               " WHERE res_model = 'crm.complaint' GROUP BY 1")
out["complaint_types"] = dict(env.cr.fetchall())
env.cr.commit()
install("crm_complaints")
complaint = env["crm.complaint"].create({"subject": "Back again", "partner_id": old.id,
                                         "invoice_id": old.invoice_ids[:1].id})
env.cr.commit()
out["complaint"] = bool(complaint.name)
out["states_again"] = states("crm_complaints")
result(out)
"""

LIFECYCLE = """
out = uninstall("crm_lifecycle")
customer = env["res.partner"].create({"name": "Inst after all", "is_company": True})
products = env["product.product"].search([("name", "like", "Inst product")])
sell(customer, products)
sell(env["res.partner"].browse(%r), products[:1])
env.cr.commit()
out["sold"] = True
result(out)
"""

UNINSTALLED = {"models": [], "tables": [], "columns": []}


@pytest.fixture(scope="module")
def alone():
    """{addon: (database, EXPECTED_MODULES result)}, each addon installed alone:
    crm_lifecycle on a new database, the two others (which depend on it) each on
    a copy of that one, with the Apps button."""
    first, *others = ADDONS
    assert all(first in _depends(addon) for addon in others)
    with throwaway_dbs("lifecycle", "segmentation", "complaints") as names:
        dbs = dict(zip(ADDONS, names, strict=True))
        db_lifecycle = dbs[first]
        odoo(db_lifecycle, "-i", first)

        def modules(addon, script=""):
            script += EXPECTED_MODULES % (addon, _depends(addon))
            return dbs[addon], shell_result(dbs[addon], script)

        def install_alone(addon):
            copy_db(db_lifecycle, dbs[addon])
            return modules(addon, INSTALL % addon)

        # one at a time on the new database, then two at a time on the copies:
        # `make test` has two cores
        results = {first: modules(first)}
        with ThreadPoolExecutor(max_workers=2) as pool:
            results.update(zip(others, pool.map(install_alone, others), strict=True))
        yield results


@pytest.mark.parametrize("addon", ADDONS)
def test_addon_installs_alone(alone, addon):
    __, modules = alone[addon]
    assert modules["declared"] == sorted(_depends(addon))
    assert modules["installed"] == modules["expected"]
    others = set(ADDONS) - {addon} - set(_depends(addon))
    assert not others & set(modules["installed"])


# bridges installed by themselves with the addons (the Customers dashboard comes
# with the segmentation and the complaints when Dashboards is there): they go
# with the addon they bridge
AUTO_BRIDGES = {"crm_segmentation_dashboard"}


def _assert_clean_uninstall(out, removed, kept):
    assert sorted(set(out["removing"]) - AUTO_BRIDGES) == sorted(removed)
    assert out["states"] == {
        **dict.fromkeys(removed, "uninstalled"),
        **dict.fromkeys(kept, "installed"),
    }
    assert out["owned"]["removed"]["tables"], "nothing to remove?"
    assert out["left"]["removed"] == UNINSTALLED, out["owned"]["removed"]
    for name in kept:
        assert out["left"][name] == out["owned"][name], name
    assert all(out["before"]["documents"].values()), "nothing to keep?"
    assert out["after"]["documents"] == out["before"]["documents"]


def test_uninstall_reinstall_on_data(alone):
    db, __ = alone["crm_complaints"]
    data = shell_result(db, COMMON + DATA)
    assert set(data["states"].values()) == {"installed"}
    assert data["placed"] == data["customers"], "every customer in a cell"
    assert data["complaints"] == 2 * len(data["customers"])
    assert data["closed_logged"] == len(data["customers"])
    customer = data["customers"][0]

    out = shell_result(db, COMMON + SEGMENTATION, noise=UNINSTALL_NOISE)
    _assert_clean_uninstall(
        out, ["crm_segmentation"], ["crm_lifecycle", "crm_complaints"]
    )
    assert all(out["before"]["lifecycle"].values()), "no lifecycle data?"
    assert out["after"]["lifecycle"] == out["before"]["lifecycle"]
    assert out["states_again"] == {"crm_segmentation": "installed"}
    assert out["placed"] == data["customers"]

    out = shell_result(db, COMMON + COMPLAINTS % customer, noise=UNINSTALL_NOISE)
    _assert_clean_uninstall(
        out, ["crm_complaints"], ["crm_lifecycle", "crm_segmentation"]
    )
    assert "crm.complaint" in out["owned"]["removed"]["models"]
    assert out["after"]["lifecycle"] == out["before"]["lifecycle"]
    assert out["newcomer"]["stage_kind"] == "customer"
    assert "crm.complaint" in out["timeline"]
    assert "complaint_closed" not in out["complaint_types"]
    assert {"sale.order", "account.move"} <= set(out["newcomer"]["logged"])
    assert out["complaint"]
    assert out["states_again"] == {"crm_complaints": "installed"}

    out = shell_result(db, COMMON + LIFECYCLE % customer, noise=UNINSTALL_NOISE)
    _assert_clean_uninstall(out, ADDONS, [])
    assert "crm_interaction" in out["owned"]["removed"]["tables"]
    assert out["after"]["lifecycle"] is None
    assert out["sold"]
