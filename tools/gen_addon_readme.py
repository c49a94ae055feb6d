"""Generate each addon's README.rst from its readme/*.md fragments.

The same layout as OCA's ``oca-gen-addon-readme`` (fragments DESCRIPTION, CONTEXT,
INSTALL, CONFIGURE, USAGE, ROADMAP, DEVELOP, CONTRIBUTORS, CREDITS, HISTORY), without
its network and git dependencies. ``--check`` exits 1 when a README.rst is stale.
"""

import argparse
import ast
import io
import re
import sys
from pathlib import Path

import docutils.core

ROOT = Path(__file__).resolve().parent.parent
ADDONS = (
    "crm_lifecycle",
    "crm_segmentation",
    "crm_complaints",
    "crm_segmentation_mass_mailing",
    "crm_lifecycle_mass_mailing",
    "crm_privacy",
    "crm_privacy_complaints",
    "crm_lifecycle_credit_control",
    "crm_complaints_rma",
    "crm_segmentation_dashboard",
)
SECTIONS = (
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
)
# fragment headings sit under the "=" sections: "#" and "##" are sub-sections
HEADING_CHARS = {1: "-", 2: "-", 3: "~"}


def _table_to_rst(rows):
    """A Markdown pipe table (header, separator, rows) as an RST list-table."""
    cells = [
        [cell.strip() for cell in row.strip().strip("|").split("|")]
        for i, row in enumerate(rows)
        if i != 1  # the |---|---:| separator
    ]
    out = ["", ".. list-table::", "   :header-rows: 1", ""]
    for row in cells:
        out.append(f"   * - {row[0]}")
        out.extend(f"     - {cell}".rstrip() for cell in row[1:])
    return out + [""]


LIST_ITEM = re.compile(r"^( *)[-*] ")


def _inline(line):
    """Markdown links and inline code as RST."""
    line = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", line)
    return re.sub(r"(?<![`\w])`([^`]+)`(?![`_])", r"``\1``", line)


def md_to_rst(text):
    """Convert the small Markdown subset used in fragments to reStructuredText.

    RST needs a blank line where a nested list starts or ends (Markdown does
    not), and has no pipe tables: they become list-tables."""
    out = []
    in_code = False
    table = []
    depth = None  # indentation of the list item before, None outside lists
    for line in text.strip().splitlines() + [""]:
        if table and not line.startswith("|"):
            out.extend(_table_to_rst(table))
            table = []
        if line.startswith("```"):
            in_code = not in_code
            out.extend(["", "::", ""] if in_code else [""])
            continue
        if in_code:
            out.append("    " + line)
            continue
        if line.startswith("|"):
            table.append(_inline(line))
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if heading:
            title = heading.group(2).strip()
            out.extend([title, HEADING_CHARS[len(heading.group(1))] * len(title)])
            depth = None
            continue
        item = LIST_ITEM.match(line)
        if item:
            indent = len(item.group(1))
            if depth is not None and indent != depth and out and out[-1]:
                out.append("")
            depth = indent
        elif not line.strip():
            depth = None
        elif depth is not None and len(line) - len(line.lstrip()) < depth + 2:
            # text back at the level of an outer item (or out of the list)
            if out and out[-1]:
                out.append("")
            indent = len(line) - len(line.lstrip())
            depth = indent - 2 if indent >= 2 else None
        out.append(_inline(line))
    return "\n".join(out).strip() + "\n"


def render(addon):
    path = ROOT / addon
    manifest = ast.literal_eval((path / "__manifest__.py").read_text())
    fragments = {f.stem.upper(): f.read_text() for f in (path / "readme").glob("*.md")}
    name = manifest["name"]
    parts = [
        "=" * len(name),
        name,
        "=" * len(name),
        "",
        ".. Generated from readme/*.md by tools/gen_addon_readme.py: do not edit.",
        "",
        f"**Version** {manifest['version']} · **License** {manifest['license']} · "
        f"**Maturity** {manifest.get('development_status', 'Alpha')}",
        "",
        md_to_rst(fragments.get("DESCRIPTION", manifest.get("summary", ""))),
        "**Table of contents**",
        "",
        ".. contents::",
        "   :local:",
        "",
    ]
    for key, title in SECTIONS:
        if key in fragments:
            parts += [title, "=" * len(title), "", md_to_rst(fragments[key])]
    parts += ["Credits", "=======", "", "Authors", "-------", ""]
    parts += [f"* {author.strip()}" for author in manifest["author"].split(",")]
    parts.append("")
    if "CONTRIBUTORS" in fragments:
        parts += [
            "Contributors",
            "------------",
            "",
            md_to_rst(fragments["CONTRIBUTORS"]),
        ]
    if "CREDITS" in fragments:
        parts += ["Other credits", "-------------", "", md_to_rst(fragments["CREDITS"])]
    return "\n".join(parts).rstrip() + "\n"


def rst_problems(text):
    """Docutils' warnings and errors on ``text`` (Odoo renders README.rst as
    the module's description: a broken construct shows as raw text)."""
    stream = io.StringIO()
    docutils.core.publish_string(
        text,
        writer_name="html",
        settings_overrides={"warning_stream": stream, "report_level": 2},
    )
    return stream.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    stale = []
    for addon in ADDONS:
        target = ROOT / addon / "README.rst"
        text = render(addon)
        if args.check:
            if not target.exists() or target.read_text() != text:
                stale.append(str(target.relative_to(ROOT)))
            problems = rst_problems(text)
            if problems:
                sys.stderr.write(f"{addon}/README.rst is not valid RST:\n{problems}")
                stale.append(str(target.relative_to(ROOT)))
        else:
            target.write_text(text)
    if stale:
        sys.stderr.write(
            "README.rst not up to date (run python tools/gen_addon_readme.py): "
            + ", ".join(stale)
            + "\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
