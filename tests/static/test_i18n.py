# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tier 1: the translations a user reads.

* no rule ID (``R-WB-1``) in any user-facing source string;
* zh_TW in Taiwan usage and traditional characters (no 髮 for 發, no 籤 for
  簽, 帳號 not 賬號, 電子郵件 not 郵箱, ...);
* one English source, one meaning: the portal's terms have their own source
  strings;
* the Chinese catalogues of helpdesk_mgmt shipped by the addon
  (``i18n_helpdesk_mgmt/``) complete for their template and loadable for
  helpdesk_mgmt.
"""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
ADDON = ROOT / "logistics_followup"
I18N = ADDON / "i18n"
POT = I18N / "logistics_followup.pot"
HELPDESK = ADDON / "i18n_helpdesk_mgmt"
LANGS = ("zh_CN", "zh_TW")

RULE_ID = re.compile(r"\bR-[A-Z]{2,}-\d+")


def _po(path):
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


# ---------------------------------------------------------------- rule IDs


def test_no_rule_id_in_user_facing_strings():
    """Rule IDs belong to the code, the tests and the docs: every msgid of
    the template is shown to users (labels, help, selections, messages,
    views, mail templates)."""
    found = [e.msgid for e in _po(POT) if RULE_ID.search(e.msgid)]
    assert not found, f"{len(found)} strings show a rule ID: {found[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_rule_id_in_translations(lang):
    found = [e.msgstr for e in _po(I18N / f"{lang}.po") if RULE_ID.search(e.msgstr)]
    assert not found, f"{lang}: {found[:5]}"


# ---------------------------------------------------------------- zh_TW usage

#: Mainland terms and wrong characters -> what Taiwan writes. A character
#: entry (髮, 籤) is checked with its allowed words (髮: none in this addon;
#: 籤: 標籤, the tag).
TW_FORBIDDEN = {
    "髮": "發 (始發, 發貨, 發送; 髮 is hair)",
    "重籤": "重簽",
    "籤收": "簽收",
    "籤字": "簽字",
    "籤名": "簽名",
    "籤章": "簽章",
    "籤署": "簽署",
    "代籤": "代簽",
    "要求籤": "要求簽",
    "賬": "帳 (帳號, 帳戶, 帳單)",
    "郵箱": "電子郵件 / 電子郵件地址",
    "信息": "資訊 / 訊息",
    "設置": "設定",
    "默認": "預設",
    "打印": "列印",
    "用戶": "使用者",
    "視頻": "影片",
    "軟件": "軟體",
    "網絡": "網路",
    "數據": "資料",
    "短信": "簡訊",
    "登錄": "登入",
    "鏈接": "連結",
    "導入": "匯入",
    "導出": "匯出",
    "保存": "儲存",
    "搜索": "搜尋",
    "菜單": "選單",
    "創建": "建立",
    "界面": "介面",
    "文本": "文字",
    "字符": "字元",
    "服務器": "伺服器",
    "響應": "回應",
    "反饋": "回饋",
    "屏幕": "螢幕",
    "打開": "開啟",
    "添加": "新增",
    "訪問": "存取",
    "運行": "執行",
    "實時": "即時",
    "運營": "營運",
    "審批": "審核 / 核准",
    "小區": "社區",
    "質量": "品質",
    "快件": "包裹",
    "問題件": "問題包裹",
    "模板": "範本",
    "自定義": "自訂",
    "文件夾": "資料夾",
}

#: Characters OpenCC would write otherwise in some words, all right as they
#: are in Taiwan (批准, 若干, 服務台).
TW_VARIANTS_ALLOWED = set("准干台")


def _tw_problems(entries):
    problems = []
    for entry in entries:
        text = entry.msgstr
        for term, right in TW_FORBIDDEN.items():
            if term in text and term not in entry.msgid:
                problems.append(f"{term} -> {right}: {text[:60]!r}")
        if re.search(r"\bfiles?\b", entry.msgid, re.I) and "文件" in text:
            problems.append(f"文件 -> 檔案 (a file): {text[:60]!r}")
    return problems


def _simplified(entries):
    """Characters that Taiwan writes otherwise (OpenCC's s2tw), unless the
    English source holds them itself (``e.g. 顺丰, 順豐``)."""
    opencc = pytest.importorskip("opencc")
    convert = opencc.OpenCC("s2tw").convert
    found = []
    for entry in entries:
        chars = {
            char
            for char in entry.msgstr
            if "\u3400" <= char <= "\u9fff"
            and char not in entry.msgid
            and char not in TW_VARIANTS_ALLOWED
            and convert(char) != char
        }
        if chars:
            found.append(f"{''.join(sorted(chars))}: {entry.msgstr[:60]!r}")
    return found


@pytest.mark.parametrize(
    "path", [I18N / "zh_TW.po", HELPDESK / "zh_TW.po"], ids=lambda p: p.parent.name
)
def test_zh_tw_taiwan_usage(path):
    problems = _tw_problems(_po(path))
    assert not problems, f"{len(problems)} in {path.name}: {problems[:8]}"


@pytest.mark.parametrize(
    "path", [I18N / "zh_TW.po", HELPDESK / "zh_TW.po"], ids=lambda p: p.parent.name
)
def test_zh_tw_traditional_characters(path):
    found = _simplified(_po(path))
    assert not found, f"{len(found)} in {path.name}: {found[:8]}"


def test_tw_check_catches_the_known_mistakes():
    """The check itself: the mistakes once found in zh_TW fail it."""
    bad = [
        polib.POEntry(msgid="Origin Station", msgstr="始髮網點"),
        polib.POEntry(msgid="Re-sign", msgstr="退回重籤"),
        polib.POEntry(msgid="Account", msgstr="賬號"),
        polib.POEntry(msgid="Email", msgstr="郵箱"),
        polib.POEntry(msgid="Choose a file", msgstr="選擇文件"),
    ]
    assert len(_tw_problems(bad)) == len(bad)
    good = [
        polib.POEntry(msgid="Origin Station", msgstr="始發網點"),
        polib.POEntry(msgid="Tags", msgstr="標籤"),
        polib.POEntry(msgid="Account", msgstr="帳號"),
        polib.POEntry(msgid="Email", msgstr="電子郵件"),
    ]
    assert not _tw_problems(good)


# ---------------------------------------------------------------- context


def _translations(lang):
    return {e.msgid: e for e in _po(I18N / f"{lang}.po")}


def test_portal_terms_have_their_own_source():
    """Odoo translates a view's term by its English source: a word with two
    meanings gets two sources. The portal says "My Parcels" (a heading) and
    "Sender" / "Receiver"; "Parcel Count" is the count in reports."""
    portal_terms = {
        e.msgid
        for e in _po(POT)
        if any(".portal_" in occurrence for occurrence, _line in e.occurrences)
    }
    for ambiguous in ("Parcels", "From", "To"):
        assert ambiguous not in portal_terms
    assert {"My Parcels", "Sender", "Receiver"} <= portal_terms


@pytest.mark.parametrize(
    ("lang", "msgid", "expected"),
    [
        ("zh_CN", "My Parcels", "我的包裹"),
        ("zh_TW", "My Parcels", "我的包裹"),
        ("zh_CN", "Sender", "寄件人"),
        ("zh_TW", "Sender", "寄件人"),
        ("zh_CN", "Receiver", "收件人"),
        ("zh_TW", "Receiver", "收件人"),
        ("zh_CN", "Parcel Count", "快件数"),
        ("zh_TW", "Parcel Count", "包裹數"),
        ("zh_CN", "Start Date", "开始日期"),
        ("zh_CN", "End Date", "结束日期"),
    ],
)
def test_context_translations(lang, msgid, expected):
    assert _translations(lang)[msgid].msgstr == expected


# ---------------------------------------------------------------- helpdesk_mgmt

HTML_TAG = re.compile(r"</?[a-z]+\b|\{\{[^}]*\}\}|t-out=\"[^\"]*\"|%s|%\([a-z_]+\)s")

#: What an agent sees first, in each language.
HELPDESK_KEY_TERMS = {
    "zh_CN": {
        "Helpdesk": "服务台",
        "Dashboard": "仪表板",
        "Tickets": "工单",
        "My Tickets": "我的工单",
        "New": "新建",
        "In Progress": "处理中",
        "Awaiting": "等待中",
        "Done": "已完成",
        "Team": "团队",
        "Priority": "优先级",
        "Contact": "联系人",
        "Assign to me": "分配给我",
    },
    "zh_TW": {
        "Helpdesk": "服務台",
        "Dashboard": "儀表板",
        "Tickets": "工單",
        "My Tickets": "我的工單",
        "New": "新建立",
        "In Progress": "處理中",
        "Awaiting": "等待中",
        "Done": "已完成",
        "Team": "團隊",
        "Priority": "優先級",
        "Contact": "聯絡人",
        "Assign to me": "分配給我",
    },
}


@pytest.mark.parametrize("lang", LANGS)
def test_helpdesk_mgmt_catalogue_complete(lang):
    """Every term of the template, translated, with the same markup and
    placeholders, marked as helpdesk_mgmt's (Odoo's PO reader requires the
    ``module:`` comment and stores the entries for the records named in
    the occurrences)."""
    template = {(e.msgctxt, e.msgid) for e in _po(HELPDESK / "helpdesk_mgmt.pot")}
    assert len(template) > 250
    entries = {(e.msgctxt, e.msgid): e for e in _po(HELPDESK / f"{lang}.po")}
    assert set(entries) == template
    for entry in entries.values():
        assert entry.msgstr.strip(), f"{lang}: untranslated {entry.msgid!r}"
        assert "fuzzy" not in entry.flags
        assert re.match(r"module: helpdesk_mgmt\b", entry.comment), entry.msgid
        assert sorted(HTML_TAG.findall(entry.msgid)) == sorted(
            HTML_TAG.findall(entry.msgstr)
        ), f"{lang}: markup differs in {entry.msgid!r}"
        for occurrence, _line in entry.occurrences:
            assert re.match(
                r"(model|model_terms):[\w.]+,\w+:helpdesk_mgmt\.|code:addons/helpdesk_mgmt/",
                occurrence,
            ), occurrence
    po = polib.pofile(str(HELPDESK / f"{lang}.po"))
    assert po.metadata.get("Language") == lang


@pytest.mark.parametrize("lang", LANGS)
def test_helpdesk_mgmt_key_terms(lang):
    entries = {e.msgid: e.msgstr for e in _po(HELPDESK / f"{lang}.po")}
    for msgid, expected in HELPDESK_KEY_TERMS[lang].items():
        assert entries.get(msgid) == expected, msgid


def test_helpdesk_mgmt_catalogue_is_loaded_for_helpdesk_mgmt():
    """The folder the ``ir.module.module`` override reads."""
    source = (ADDON / "models" / "ir_module_module.py").read_text(encoding="utf-8")
    assert '"helpdesk_mgmt": "i18n_helpdesk_mgmt"' in source
    # Odoo's reader merges a template named after the folder's addon: none here
    assert not (HELPDESK / "logistics_followup.pot").exists()


def _user_facing_python_strings(path):
    """String constants of ``_()`` / ``_lt()`` / ``env._()`` calls, of the
    ``string=`` / ``help=`` keywords and of selection pairs."""
    import ast  # noqa: PLC0415

    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in ("_", "_lt") and node.args:
                yield from _constants(node.args[0])
            for keyword in node.keywords:
                if keyword.arg in ("string", "help", "selection"):
                    yield from _constants(keyword.value)
        elif isinstance(node, ast.Assign) and any(
            getattr(target, "id", "").endswith("SELECTION") for target in node.targets
        ):
            yield from _constants(node.value)


def _constants(node):
    import ast  # noqa: PLC0415

    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            yield child.value


@pytest.mark.parametrize(
    "path",
    sorted(p for p in ADDON.rglob("*.py") if "tests" not in p.parts),
    ids=lambda p: p.relative_to(ADDON).as_posix(),
)
def test_no_rule_id_in_python_labels_and_messages(path):
    found = [text for text in _user_facing_python_strings(path) if RULE_ID.search(text)]
    assert not found, found[:3]


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for p in ADDON.rglob("*.xml")
        if "static" not in p.parts and "tests" not in p.parts
    ),
    ids=lambda p: p.relative_to(ADDON).as_posix(),
)
def test_no_rule_id_in_xml_text(path):
    """View text, attributes shown to users, data names, mail templates;
    comments and the problem types' ``rule_ref`` (a reference for
    maintainers, shown in developer mode only) are left alone."""
    from lxml import etree  # noqa: PLC0415

    tree = etree.parse(str(path))
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        if element.tag == "field" and element.get("name") == "rule_ref":
            continue
        texts = [element.text or "", element.tail or ""]
        texts += [
            element.get(attribute) or ""
            for attribute in ("string", "help", "placeholder", "title", "name")
            if element.tag != "field" or attribute != "name"
        ]
        found += [text.strip() for text in texts if RULE_ID.search(text)]
    assert not found, found[:3]
