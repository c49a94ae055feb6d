"""Generate each addon's README.rst from its readme/*.md fragments.

The same layout as OCA's ``oca-gen-addon-readme`` (fragments DESCRIPTION, CONTEXT,
INSTALL, CONFIGURE, USAGE, ROADMAP, DEVELOP, CONTRIBUTORS, CREDITS, HISTORY), without
its network and git dependencies. ``--check`` exits 1 when a README.rst is stale.
"""

import argparse
import ast
import re
import sys
from pathlib import Path

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


def md_to_rst(text):
    """Convert the small Markdown subset used in fragments to reStructuredText."""
    out = []
    in_code = False
    for line in text.strip().splitlines():
        if line.startswith("```"):
            in_code = not in_code
            out.extend(["", "::", ""] if in_code else [""])
            continue
        if in_code:
            out.append("    " + line)
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if heading:
            title = heading.group(2).strip()
            out.extend([title, HEADING_CHARS[len(heading.group(1))] * len(title)])
            continue
        line = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", line)
        line = re.sub(r"(?<![`\w])`([^`]+)`(?![`_])", r"``\1``", line)
        out.append(line)
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
