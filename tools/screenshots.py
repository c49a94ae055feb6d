"""Render screens of a running Odoo with headless Chromium (Chrome DevTools
Protocol over websocket-client, no extra dependency).

    .venv/bin/python tools/screenshots.py --url http://localhost:8069 \\
        --db crm_demo --out docs/screenshots [--only NAME]

Logs in (admin/admin by default), opens each screen of SCREENS at desktop and
phone width, waits for the web client to settle and writes PNG files. Screens
that show one record find it with a search over JSON-RPC (the demo data's ids
differ between databases); a screen whose addon or record is missing is left
out with a note.
"""

import argparse
import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

DESKTOP = (1440, 900, False)
PHONE = (390, 844, True)

# name -> (path, extra wait seconds, record to show or None, JS run before the shot)
# A path with "{id}" is filled with the first record of (model, domain, order).
# the first column with cards, at the left (the first stages may be empty)
FIRST_FULL_COLUMN = (
    "[...document.querySelectorAll('.o_kanban_group')]"
    ".find(g => g.querySelector('.o_kanban_record'))"
    "?.scrollIntoView({inline: 'start', block: 'nearest'})"
)


def open_tab(label):
    return (
        "(() => { const tab = [...document.querySelectorAll('.o_notebook .nav-link')]"
        f".find(a => a.textContent.trim() === {json.dumps(label)});"
        " if (tab) { tab.click(); setTimeout(() =>"
        " document.querySelector('.o_notebook .nav')"
        ".scrollIntoView({block: 'center'}), 300); } })()"
    )


# the heat map of the first matrix: its card's Heat Map button (an object
# method, no URL of its own), then wait until the grid shows its cells
HEAT_MAP = (
    "(async () => {"
    " document.querySelector('.o_kanban_record a[name=action_view_heat_map]')"
    "?.click();"
    " for (let i = 0; i < 300 && !document.querySelector("
    "'.o_heat_map_cell'); i++) {"
    " await new Promise((resolve) => setTimeout(resolve, 100)); } })()"
)
# the holdout check of a fitted model: its Holdout Graph button, then the bars
HOLDOUT_GRAPH = (
    "(async () => {"
    " document.querySelector('button[name=action_view_holdout_graph]')?.click();"
    " for (let i = 0; i < 300 && !document.querySelector("
    "'.o_graph_renderer canvas'); i++) {"
    " await new Promise((resolve) => setTimeout(resolve, 100)); } })()"
)

SCREENS = {
    "lifecycle_kanban": ("/odoo/customer-lifecycle", 1.0, None, FIRST_FULL_COLUMN),
    "customer": (
        "/odoo/customer-lifecycle/{id}",
        1.5,
        (
            "res.partner",
            [("is_company", "=", True), ("lifecycle_history_ids", "!=", False)],
            "lifecycle_invoiced_amount desc, id",
        ),
        None,
    ),
    "customer_lifecycle_tab": (
        "/odoo/customer-lifecycle/{id}",
        1.5,
        (
            "res.partner",
            [("is_company", "=", True), ("lifecycle_history_ids", "!=", False)],
            "lifecycle_invoiced_amount desc, id",
        ),
        open_tab("Lifecycle"),
    ),
    "collections": ("/odoo/collections", 1.0, None, None),
    "segment_heat_map": (
        "/odoo/action-crm_segmentation.crm_segment_matrix_action",
        1.0,
        None,
        HEAT_MAP,
    ),
    "customers_worth_saving": (
        "/odoo/action-crm_segmentation.res_partner_churn_action",
        1.0,
        None,
        None,
    ),
    "model_comparison": (
        "/odoo/action-crm_segmentation.crm_clv_model_action/{id}",
        1.5,
        ("crm.clv.model", [("state", "=", "fitted")], "id"),
        open_tab("Model Comparison"),
    ),
    "holdout_graph": (
        "/odoo/action-crm_segmentation.crm_clv_model_action/{id}",
        1.5,
        ("crm.clv.model", [("state", "=", "fitted")], "id"),
        HOLDOUT_GRAPH,
    ),
    "next_best_offers": (
        "/odoo/action-crm_segmentation.crm_cross_sell_offer_action",
        1.0,
        None,
        None,
    ),
    # the dashboard of the URL (the phone has no side panel to pick it in)
    "customers_dashboard": (
        "/odoo/dashboards?dashboard_id={id}",
        10.0,
        (
            "spreadsheet.dashboard",
            [("name", "=", "Customers"), ("is_published", "=", True)],
            "id",
        ),
        None,
    ),
    "complaint": (
        "/odoo/action-crm_complaints.crm_complaint_action/{id}",
        1.5,
        ("crm.complaint", [("sla_status", "!=", False)], "sla_deadline, id"),
        open_tab("SLA"),
    ),
    "complaints_kanban": (
        "/odoo/action-crm_complaints.crm_complaint_action",
        1.0,
        None,
        FIRST_FULL_COLUMN,
    ),
    "portal_complaint": (
        "/my/complaints/{id}",
        6.0,
        ("crm.complaint", [("sla_status", "!=", False)], "sla_deadline, id"),
        None,
    ),
}


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("chromium not found: run tools/setup.sh")


def login(url, db, user, password):
    payload = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": db, "login": user, "password": password},
        }
    ).encode()
    request = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=payload,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
        if body.get("error"):
            sys.exit(f"login failed: {body['error']}")
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("session_id="):
                return header.split(";", 1)[0].split("=", 1)[1]
    sys.exit("login failed: no session cookie")


def first_record(url, session, model, domain, order):
    """Id of the first record of a search, or None (JSON-RPC with the session)."""
    payload = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": "search",
                "args": [domain],
                "kwargs": {"limit": 1, "order": order},
            },
        }
    ).encode()
    request = urllib.request.Request(
        f"{url}/web/dataset/call_kw/{model}/search",
        data=payload,
        headers={
            "Content-Type": "application/json",
            "Cookie": f"session_id={session}",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    if body.get("error"):
        return None
    return (body.get("result") or [None])[0]


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="crm-shots-")
        self.proc = subprocess.Popen(
            [
                find_chromium(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-port=9333",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(
                    "http://127.0.0.1:9333/json", timeout=2
                ) as r:
                    targets = json.loads(r.read())
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:  # noqa: BLE001 - chromium still starting
                time.sleep(0.2)
        else:
            self.close()
            sys.exit("chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120)
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        # a script may return a promise (wait for a screen it opened)
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        return result.get("result", {}).get("value")

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def compact(path):
    """256-colour PNG (a third of the size; screens have few colours)."""
    try:
        from PIL import Image  # noqa: PLC0415 - optional, Odoo's dependency
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def shoot(browser, url, path, size, target, settle, script=None):
    width, height, mobile = size
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=height,
        deviceScaleFactor=1,
        mobile=mobile,
    )
    browser.send("Page.navigate", url=f"{url}{path}")
    deadline = time.time() + 60
    while time.time() < deadline:
        ready = browser.evaluate(
            "document.readyState === 'complete' && !!document.querySelector"
            "('.o_action_manager .o_view_controller, .o_action_manager .o_form_view,"
            " .o_portal_wrap, main') && !document.querySelector('.o_loading_indicator')"
        )
        if ready:
            break
        time.sleep(0.3)
    if script:
        browser.evaluate(script)
    time.sleep(settle)
    shot = browser.send("Page.captureScreenshot", format="png")
    target.write_bytes(base64.b64decode(shot["data"]))
    compact(target)
    errors = browser.evaluate(
        "Array.from(document.querySelectorAll("
        "'.o_error_dialog, .o_notification.border-danger'))"
        ".map(e => e.innerText.slice(0, 300))"
    )
    return errors or []


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="crm_demo")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--only", action="append")
    parser.add_argument("--path", help="shoot one ad-hoc path (/odoo/...) as NAME=path")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    screens = dict(SCREENS)
    if args.path:
        name, path = args.path.split("=", 1)
        screens = {name: (path, 1.0, None, None)}
    elif args.only:
        screens = {name: screens[name] for name in args.only}
    session = login(args.url, args.db, args.user, args.password)
    paths = {}
    for name, (path, _settle, record, _script) in screens.items():
        if record:
            record_id = first_record(args.url, session, *record)
            if record_id is None:
                print(f"{name}: skipped (no {record[0]} matching {record[1]})")
                continue
            path = path.format(id=record_id)
        paths[name] = path
    browser = Browser()
    status = 0
    try:
        browser.send("Page.enable")
        host = args.url.split("://", 1)[1].split("/", 1)[0].split(":")[0]
        browser.send(
            "Network.setCookie", name="session_id", value=session, domain=host, path="/"
        )
        for name, path in paths.items():
            _path, settle, _record, script = screens[name]
            for suffix, size in (("desktop", DESKTOP), ("phone", PHONE)):
                target = out / f"{name}_{suffix}.png"
                errors = shoot(browser, args.url, path, size, target, settle, script)
                print(f"{target}{'  ERRORS: ' + repr(errors) if errors else ''}")
                status = status or bool(errors)
    finally:
        browser.close()
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
