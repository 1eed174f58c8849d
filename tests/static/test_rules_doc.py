# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tier 1: the business rules the code cites are documented.

Every rule ID (``R-WB-2``, ``R-PP-4..7``) cited in the addon, its tests, the
core tests and the scripts must be defined in ``docs/rules.md``; and the
repository points to its own documents, not to files outside it.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "rules.md"
RULE_ID = re.compile(r"\bR-([A-Z]{2})-(\d+)(?:\.\.(\d+))?")
DEFINED = re.compile(r"^\*\*(R-[A-Z]{2}-\d+) — ", re.M)
SOURCES = ("logistics_followup", "tests", "bench", "scripts")
SUFFIXES = {".py", ".xml", ".csv", ".js", ".md", ".rst", ""}


def _files():
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*")):
            if (
                path.is_file()
                and path.suffix in SUFFIXES
                and "__pycache__" not in path.parts
            ):
                yield path


def _cited():
    cited = {}
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for prefix, first, last in RULE_ID.findall(text):
            for number in range(int(first), int(last or first) + 1):
                cited.setdefault(f"R-{prefix}-{number}", path.relative_to(ROOT))
    return cited


def test_rules_doc_defines_each_rule_once():
    defined = DEFINED.findall(RULES.read_text(encoding="utf-8"))
    assert len(defined) > 40
    assert len(defined) == len(set(defined)), "a rule defined twice"


def test_every_cited_rule_is_documented():
    defined = set(DEFINED.findall(RULES.read_text(encoding="utf-8")))
    cited = _cited()
    assert cited, "no rule cited at all?"
    missing = {rule: str(path) for rule, path in cited.items() if rule not in defined}
    assert not missing, f"cited but not in docs/rules.md: {missing}"


def test_documents_are_in_the_repository():
    """README.rst, scripts and code point to docs/, not to the design
    documents the project started from (not in the repository)."""
    for path in [ROOT / "README.rst", *_files()]:
        if path.name.startswith("test_rules_doc"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for name in ("DOMAIN.md", "ARCHITECTURE.md"):
            assert name not in text, f"{path.relative_to(ROOT)} refers to {name}"
    for name in ("rules.md", "architecture.md", "scale-out.md"):
        assert (ROOT / "docs" / name).is_file()
        assert f"docs/{name}" in (ROOT / "README.rst").read_text(encoding="utf-8")
