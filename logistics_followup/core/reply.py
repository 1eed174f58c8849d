# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Replies to customers: how a reply addresses its recipient (R-CP-5).

:func:`salutation` is the opening line of a reply in the recipient's
language. It is a letter-writing convention rather than an interface text,
so its Chinese forms live here, with their rules, instead of in the
catalogues:

- a person with a known title (Mr / Ms) and a Chinese name: 尊敬的 + surname
  + 先生 / 女士 (the surname: a compound one such as 欧阳 or 诸葛 when the name
  starts with it, else the first character); in English "Dear Mr <name>,";
- a person without a title: 张三 您好： / "Dear <name>,";
- a company: 尊敬的<name>： / "Dear <name>,";
- nobody known: 尊敬的客户： (尊敬的客戶： in traditional characters) /
  "Dear customer,".

Chinese forms are used for every ``zh`` language (zh_CN, zh_TW, zh_HK...),
the English one for every other language (the reply templates are written in
English and translated into Chinese only).
"""

import re
import unicodedata

#: Titles a partner may carry (res.partner.logistics_title).
TITLES = ("mr", "ms")

_ZH_TITLES = {"mr": "先生", "ms": "女士"}
_EN_TITLES = {"mr": "Mr", "ms": "Ms"}

#: Compound (two-character) surnames, simplified and traditional forms.
_COMPOUND_SURNAMES = (
    "欧阳 歐陽 司马 司馬 上官 诸葛 諸葛 东方 東方 皇甫 尉迟 尉遲 公孙 公孫 慕容 令狐 "
    "长孙 長孫 宇文 司徒 夏侯 轩辕 軒轅 端木 独孤 獨孤 南宫 南宮 西门 西門 百里 呼延 "
    "万俟 萬俟 澹台 公冶 宗政 濮阳 濮陽 太叔 申屠 钟离 鍾離 闻人 聞人 赫连 赫連 拓跋 "
    "第五 左丘 谷梁 穀梁 闾丘 閭丘 东郭 東郭 子车 子車 段干 巫马 巫馬 公西 漆雕 乐正 "
    "樂正 壤驷 壤駟 公良 梁丘 宰父 颛孙 顓孫 亓官 羊舌 微生 "
)
COMPOUND_SURNAMES = frozenset(_COMPOUND_SURNAMES.split())

_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


#: Chinese languages written in traditional characters.
TRADITIONAL_LANGS = ("zh_TW", "zh_HK", "zh_MO")


def is_chinese_lang(lang: str | None) -> bool:
    """``zh_CN``, ``zh_TW``, ``zh_HK``, ``zh``: Chinese forms."""
    return bool(lang) and lang.split("_")[0].lower() == "zh"


def is_han_name(name: str | None) -> bool:
    """A personal name written in Chinese characters only (2 to 4 of them,
    the usual length of a Chinese name with its surname)."""
    name = (name or "").strip()
    return 2 <= len(name) <= 4 and bool(_HAN.match(name))


def surname(name: str | None) -> str:
    """The surname of a Chinese name: its compound surname when it starts
    with one (and has a given name after it), else its first character;
    a name that is not Chinese is returned whole."""
    name = (name or "").strip()
    if not is_han_name(name):
        return name
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[0]


def _trimmed(name: str) -> str:
    """``name`` without punctuation at its ends (``,张三。`` → ``张三``), so
    that the greeting never reads "Dear ,"; an opening bracket may start it
    and a closing one end it (``张三(经理)``)."""

    def loose(char: str, bracket: str) -> bool:
        category = unicodedata.category(char)
        return category.startswith("P") and category != bracket

    start, end = 0, len(name)
    while start < end and (name[start].isspace() or loose(name[start], "Ps")):
        start += 1
    while end > start and (name[end - 1].isspace() or loose(name[end - 1], "Pe")):
        end -= 1
    return name[start:end]


def salutation(
    name: str | None,
    lang: str | None,
    title: str | None = None,
    is_company: bool = False,
) -> str:
    """The opening line of a reply to ``name`` in ``lang`` (see the module
    docstring). ``title``: one of :data:`TITLES` or empty; an unknown title
    counts as none."""
    name = _trimmed(" ".join((name or "").split()))
    if not any(char.isalnum() for char in name):
        name = ""  # punctuation only: nobody to name
    title = title if title in TITLES and not is_company else None
    if is_chinese_lang(lang):
        if not name:
            return "尊敬的客戶：" if lang in TRADITIONAL_LANGS else "尊敬的客户："
        if is_company:
            return f"尊敬的{name}："
        if title:
            return f"尊敬的{surname(name)}{_ZH_TITLES[title]}："
        return f"{name} 您好："
    if not name:
        return "Dear customer,"
    if title:
        return f"Dear {_EN_TITLES[title]} {name},"
    return f"Dear {name},"
