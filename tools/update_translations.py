"""Refresh an addon's translation template and merge it into its .po files.

    .venv/bin/python tools/update_translations.py -d DB crm_lifecycle [...]

Exports ``i18n/<addon>.pot`` with Odoo's own exporter from database DB (where
the addon is installed), then merges it into every ``i18n/<lang>.po``: known
translations are kept, new strings are added untranslated, obsolete ones are
dropped. ``--check`` only reports strings missing from or untranslated in the
.po files (exit 1), for `make test`.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def export_pot(database, addon, target):
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "odoo"),
            "i18n",
            "export",
            "-c",
            str(ROOT / "odoo.conf"),
            "-d",
            database,
            "-o",
            str(target),
            addon,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return polib.pofile(str(target))


def key(entry):
    return (entry.msgctxt, entry.msgid)


def problems(pot, po):
    """Strings of the template missing from the .po or left untranslated.

    OCA's po formatting clears a msgstr equal to its msgid, so a single word
    left empty (a cognate such as "Total" or "Color") counts as translated.
    """
    entries = {key(e): e for e in po}
    missing = []
    for entry in pot:
        found = entries.get(key(entry))
        if found is None:
            missing.append(entry.msgid)
        elif not (found.msgstr or found.msgstr_plural) and " " in entry.msgid.strip():
            missing.append(entry.msgid)
    return missing


def merge(pot, po):
    known = {key(e): e for e in po}
    merged = polib.POFile(wrapwidth=78)
    merged.metadata = po.metadata or pot.metadata
    for entry in pot:
        old = known.get(key(entry))
        if old:
            entry.msgstr = old.msgstr
            entry.msgstr_plural = old.msgstr_plural
        merged.append(entry)
    return merged


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("addons", nargs="+")
    args = parser.parse_args()
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        for addon in args.addons:
            pot = export_pot(args.database, addon, Path(tmp) / f"{addon}.pot")
            i18n = ROOT / addon / "i18n"
            pos = sorted(i18n.glob("*.po"))
            if args.check:
                if not pos:
                    print(f"{addon}: no translation (.po) file")
                    status = 1
                for po_path in pos:
                    missing = problems(pot, polib.pofile(str(po_path)))
                    if missing:
                        status = 1
                        print(
                            f"{po_path.relative_to(ROOT)}: {len(missing)} untranslated:"
                        )
                        for msgid in missing[:20]:
                            print(f"    {msgid[:100]!r}")
                continue
            i18n.mkdir(exist_ok=True)
            pot.save(str(i18n / f"{addon}.pot"))
            for po_path in pos:
                merge(pot, polib.pofile(str(po_path))).save(str(po_path))
                print(f"updated {po_path.relative_to(ROOT)}")
            # the layout OCA's po checks expect
            subprocess.run(
                [
                    str(ROOT / ".venv" / "bin" / "oca-checks-po"),
                    "--fix",
                    "--no-exit",
                    "--no-verbose",
                    *map(str, [i18n / f"{addon}.pot", *pos]),
                ],
                check=False,
            )
    return status


if __name__ == "__main__":
    sys.exit(main())
