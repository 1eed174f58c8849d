# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tier 1: checks of the addon's files that need no Odoo.

Manifest, data files, views (Odoo 19 syntax), access rules for every model,
translations complete in zh_CN and zh_TW, the wheel's name.
"""

import ast
import csv
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
ADDON = ROOT / "logistics_followup"
MANIFEST = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))
XML_FILES = sorted(p for p in ADDON.rglob("*.xml") if "static" not in p.parts)
PY_FILES = sorted(ADDON.rglob("*.py"))
LANGS = ("zh_CN", "zh_TW")


def test_manifest():
    assert MANIFEST["version"] == "19.0.1.0.0"
    assert MANIFEST["license"] == "AGPL-3"
    for dep in ("helpdesk_mgmt", "stock_delivery", "portal", "mail"):
        assert dep in MANIFEST["depends"]
    assert "description" not in MANIFEST
    assert MANIFEST.get("installable", True) is True


@pytest.mark.parametrize("key", ["data", "demo"])
def test_manifest_files_exist(key):
    for name in MANIFEST.get(key, []):
        assert (ADDON / name).is_file(), f"{key} file {name} is missing"


def test_every_xml_and_csv_file_is_loaded():
    loaded = set(MANIFEST.get("data", [])) | set(MANIFEST.get("demo", []))
    for path in [*XML_FILES, *ADDON.rglob("*.csv")]:
        rel = path.relative_to(ADDON).as_posix()
        if rel.startswith("tests/"):
            continue
        assert rel in loaded, f"{rel} is not in the manifest"


@pytest.mark.parametrize("path", XML_FILES, ids=lambda p: p.name)
def test_xml_is_odoo19(path):
    tree = etree.parse(str(path))
    assert tree.getroot().tag == "odoo"
    for bad in ("tree", "kanban-box"):
        assert not tree.xpath(f"//{bad}") and not tree.xpath(f"//*[@t-name='{bad}']")
    assert not tree.xpath("//*[@attrs or @states]"), "attrs/states are gone in 17+"
    assert not tree.xpath("//div[contains(@class, 'oe_chatter')]"), "use <chatter/>"
    assert not tree.xpath("//field[@name='groups_id']"), "groups_id is group_ids"
    assert not tree.xpath("//*[@t-esc or @t-raw]"), "use t-out"
    assert not tree.xpath("//search//group[@expand or @string]")
    ids = tree.xpath("//record/@id | //template/@id | //menuitem/@id")
    assert len(ids) == len(set(ids)), "duplicate xml ids"


def _model_names():
    names = set()
    for path in PY_FILES:
        if "core" in path.parts or "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            abstract = isinstance(node, ast.ClassDef) and any(
                getattr(base, "attr", "") == "AbstractModel" for base in node.bases
            )
            if isinstance(node, ast.ClassDef) and not abstract:
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and any(getattr(t, "id", "") == "_name" for t in stmt.targets)
                        and isinstance(stmt.value, ast.Constant)
                    ):
                        names.add(stmt.value.value)
    return names


def test_every_model_has_access_rules():
    with (ADDON / "security" / "ir.model.access.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows, "no access rules"
    assert list(rows[0]) == [
        "id",
        "name",
        "model_id:id",
        "group_id:id",
        "perm_read",
        "perm_write",
        "perm_create",
        "perm_unlink",
    ]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    covered = {r["model_id:id"] for r in rows}
    for name in _model_names():
        assert "model_" + name.replace(".", "_") in covered, f"{name} has no ACL"


@pytest.mark.parametrize(
    "path", PY_FILES, ids=lambda p: p.relative_to(ADDON).as_posix()
)
def test_python_is_odoo19(path):
    source = path.read_text(encoding="utf-8")
    assert "_sql_constraints" not in source, "use models.Constraint"
    assert "odoo.osv" not in source, "use odoo.fields.Domain"
    assert "self._cr" not in source and "self._context" not in source
    if "core" in path.relative_to(ADDON).parts:
        assert not re.search(r"^\s*(from|import)\s+odoo\b", source, re.M), (
            "core/ must not import odoo"
        )


# ---------------------------------------------------------------- i18n

POT = ADDON / "i18n" / "logistics_followup.pot"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")


def _key(entry):
    return (entry.msgctxt, entry.msgid)


def test_pot_exists():
    assert POT.is_file()
    assert len(polib.pofile(str(POT))) > 0


@pytest.mark.parametrize("lang", LANGS)
def test_translation_complete(lang):
    """Every source string of the .pot is translated, nothing is fuzzy."""
    pot = {_key(e) for e in polib.pofile(str(POT)) if not e.obsolete}
    po = polib.pofile(str(ADDON / "i18n" / f"{lang}.po"))
    entries = {_key(e): e for e in po if not e.obsolete}
    missing = sorted(k[1] for k in pot - set(entries))
    assert not missing, f"{lang}: {len(missing)} strings missing: {missing[:5]}"
    stale = sorted(k[1] for k in set(entries) - pot)
    assert not stale, f"{lang}: strings no longer in the .pot: {stale[:5]}"
    for entry in entries.values():
        assert entry.msgstr.strip(), f"{lang}: untranslated {entry.msgid!r}"
        assert "fuzzy" not in entry.flags, f"{lang}: fuzzy {entry.msgid!r}"
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(
            PLACEHOLDER.findall(entry.msgstr)
        ), f"{lang}: placeholders differ in {entry.msgid!r}"
    assert po.metadata.get("Language") == lang


@pytest.mark.parametrize("lang", LANGS)
def test_translations_are_chinese(lang):
    """A translation equal to its English source is only fine for codes."""
    po = polib.pofile(str(ADDON / "i18n" / f"{lang}.po"))
    untouched = [
        e.msgid
        for e in po
        if e.msgstr == e.msgid and re.search(r"[a-z]{4,}", e.msgid) and " " in e.msgid
    ]
    assert not untouched, f"{lang}: left in English: {untouched[:5]}"


# ---------------------------------------------------------------- packaging


def test_wheel_name(tmp_path):
    """Building logistics_followup/ with whool gives the OCA-style wheel."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(ADDON),
        ],
        check=True,
    )
    wheels = [p.name for p in tmp_path.glob("*.whl")]
    assert wheels == ["odoo_addon_logistics_followup-19.0.1.0.0-py3-none-any.whl"]
