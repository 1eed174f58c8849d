#!/usr/bin/env python3
# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Generate logistics_followup/README.rst from its OCA readme fragments.

The addon's page (shown by Odoo in Apps and by PyPI) is written in the
fragments ``logistics_followup/readme/*.md`` (DESCRIPTION, CONFIGURE,
USAGE, CONTRIBUTORS, and any other of OCA's fragment names) and assembled
here in the layout of OCA's ``oca-gen-addon-readme``: title, badges from the
manifest, description, the alpha notice, contents, the fragments' sections,
credits. OCA's tool itself is not on PyPI (it is installed from OCA's
maintainer-tools repository), so this project carries this small generator
instead; tier 1 checks that README.rst is what it generates and that
docutils renders it without a warning, as Odoo does for the Apps page.

Usage: ``scripts/gen_addon_readme.py`` (rewrites README.rst),
``scripts/gen_addon_readme.py --check`` (exit 1 when README.rst is stale).
"""

import ast
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "logistics_followup"

# OCA's fragments, in the order of its template: (name, section title)
SECTIONS = (
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
)
CREDITS = (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits"))
FRAGMENTS = ("DESCRIPTION", *(n for n, _t in SECTIONS), *(n for n, _t in CREDITS))

BADGES = {
    "alpha": (
        "https://img.shields.io/badge/maturity-Alpha-red.png",
        "https://odoo-community.org/page/development-status",
        "Alpha",
    ),
    "beta": (
        "https://img.shields.io/badge/maturity-Beta-yellow.png",
        "https://odoo-community.org/page/development-status",
        "Beta",
    ),
    "production/stable": (
        "https://img.shields.io/badge/maturity-Production%2FStable-green.png",
        "https://odoo-community.org/page/development-status",
        "Production/Stable",
    ),
    "AGPL-3": (
        "https://img.shields.io/badge/licence-AGPL--3-blue.png",
        "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
        "License: AGPL-3",
    ),
    "LGPL-3": (
        "https://img.shields.io/badge/licence-LGPL--3-blue.png",
        "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
        "License: LGPL-3",
    ),
}
ALPHA_NOTICE = (
    ".. IMPORTANT::\n"
    "   This is an alpha version, the data model and design can change at any"
    " time without warning.\n"
    "   Only for development or testing purpose, do not use in production.\n"
    "   `More details on development status"
    " <https://odoo-community.org/page/development-status>`_\n"
)

# ------------------------------------------------------------ Markdown to RST
# The fragments use a small part of Markdown: paragraphs, numbered and
# bulleted lists (continuation lines indented to the item's text), indented
# code blocks (also inside list items), `code`, *emphasis*, **strong** and
# [links](url).
_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>\d+\.|[-*+])(?P<gap> +)(?P<text>.*)$")
_CODE = re.compile(r"(?<!`)`([^`]+)`(?!`)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def inline(text):
    """`code` -> ``code``, [text](url) -> `text <url>`_."""
    text = _CODE.sub(r"``\1``", text)
    return _LINK.sub(r"`\1 <\2>`_", text)


def _indent_of(line):
    return len(line) - len(line.lstrip(" "))


def md_to_rst(markdown):
    """The RST of a Markdown fragment (the subset above)."""
    out = []
    # the current list item: (markdown text column, rst text column)
    item = None
    previous_blank = True
    in_code = False
    for raw in markdown.expandtabs(4).splitlines():
        line = raw.rstrip()
        if not line:
            out.append("")
            previous_blank = True
            continue
        indent = _indent_of(line)
        match = _ITEM.match(line)
        base = item[0] if item else 0
        if match and not in_code and (previous_blank or item) and indent <= base:
            marker = "#." if match["marker"][0].isdigit() else "-"
            md_column = len(match["indent"]) + len(match["marker"]) + len(match["gap"])
            item = (md_column, len(marker) + 1)
            out.append(f"{marker} {inline(match['text'])}")
            previous_blank = False
            continue
        if item and indent < item[0] and previous_blank:
            item = None  # a paragraph after the list
            base = 0
        rst_base = item[1] if item else 0
        if indent >= base + 4 and (previous_blank or in_code):
            # an indented code block: the paragraph before it announces it
            if not in_code:
                while out and not out[-1]:
                    out.pop()
                if out and out[-1].endswith(":") and not out[-1].endswith("::"):
                    out[-1] += ":"
                else:
                    out.append(" " * rst_base + "::")
                out.append("")
                in_code = True
            out.append(" " * (rst_base + 4) + line[base + 4 :])
            previous_blank = False
            continue
        in_code = False
        out.append(" " * rst_base + inline(line.strip()))
        previous_blank = False
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ the page


def _manifest():
    return ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))


def _fragments():
    found = {}
    for name in FRAGMENTS:
        path = ADDON / "readme" / f"{name}.md"
        if path.is_file() and path.read_text(encoding="utf-8").strip():
            found[name] = path.read_text(encoding="utf-8")
    return found


def _title(text, char, overline=False):
    rule = char * len(text)
    return f"{rule}\n{text}\n{rule}\n" if overline else f"{text}\n{rule}\n"


def generate():
    """The text of README.rst."""
    manifest = _manifest()
    fragments = _fragments()
    digest = hashlib.sha256()
    for name in sorted(fragments):
        digest.update(f"{name}\0{fragments[name]}\0".encode())
    for key in ("name", "license", "development_status", "author"):
        digest.update(f"{key}\0{manifest.get(key, '')}\0".encode())
    status = manifest.get("development_status", "Beta").lower()
    badges = [BADGES[key] for key in (status, manifest.get("license")) if key in BADGES]
    parts = [
        _title(manifest["name"], "=", overline=True),
        "..\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        "   !! This file is generated by scripts/gen_addon_readme.py  !!\n"
        "   !! from readme/*.md: edit those, then run the script.     !!\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        f"   !! source digest: sha256:{digest.hexdigest()}\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
    ]
    if badges:
        parts.append(
            "".join(
                f".. |badge{n}| image:: {image}\n"
                f"    :target: {target}\n    :alt: {alt}\n"
                for n, (image, target, alt) in enumerate(badges, 1)
            )
            + "\n"
            + " ".join(f"|badge{n}|" for n in range(1, len(badges) + 1))
            + "\n"
        )
    if "DESCRIPTION" in fragments:
        parts.append(md_to_rst(fragments["DESCRIPTION"]))
    if status == "alpha":
        parts.append(ALPHA_NOTICE)
    parts.append("**Table of contents**\n\n.. contents::\n   :local:\n")
    for name, title in SECTIONS:
        if name in fragments:
            parts.append(_title(title, "=") + "\n" + md_to_rst(fragments[name]))
    credits = [_title("Credits", "=")]
    authors = [a.strip() for a in manifest.get("author", "").split(",") if a.strip()]
    if authors:
        credits.append(
            _title("Authors", "-") + "\n" + "".join(f"- {a}\n" for a in authors)
        )
    for name, title in CREDITS:
        if name in fragments:
            credits.append(_title(title, "-") + "\n" + md_to_rst(fragments[name]))
    parts.append("\n".join(credits))
    return "\n".join(parts)


def check_rst(text):
    """Render ``text`` as Odoo's Apps page does; raise on any warning."""
    from docutils.core import publish_string  # noqa: PLC0415

    publish_string(
        text,
        writer_name="html4css1",
        settings_overrides={
            "halt_level": 2,
            "report_level": 2,
            "file_insertion_enabled": False,
            "raw_enabled": False,
            "warning_stream": sys.stderr,
        },
    )


def main(argv):
    text = generate()
    check_rst(text)
    target = ADDON / "README.rst"
    if "--check" in argv:
        if target.read_text(encoding="utf-8") != text:
            print(f"{target.relative_to(ROOT)} is stale: run {Path(__file__).name}")
            return 1
        return 0
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
