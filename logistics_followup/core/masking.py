# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Masking of personal data shown outside the back office (R-PT-2).

GB/T 41833-2022 《快递电子运单》 (in force 2023-02-01, REFERENCE.md 7.2): a
name hides at least one character, a phone number at least 6 digits, an
address its unit / room number (单元户室号). The portal (R-PT-2), printed
labels, chatter and reports use these functions for every name, phone,
address and ID number that leaves the back office.

All functions accept None or "" and return "" for them. They never raise on
odd input: whatever they cannot recognise is masked more, not less.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MASK",
    "mask_address",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "phone_last4",
]

MASK = "*"
_HIDDEN = "***"  # replaces a removed address part

_RE_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_RE_DIGIT = re.compile(r"[0-9]")


def _nfkc(text: str) -> str:
    """Full-width digits, letters and punctuation -> ASCII."""
    return unicodedata.normalize("NFKC", text)


# --------------------------------------------------------------------------
# Names: hide >= 1 character
# --------------------------------------------------------------------------
def mask_name(name: str | None) -> str:
    """Mask a person's name; at least one character is always hidden.

    Chinese (any CJK ideograph present; inner spaces dropped):
    ``张`` -> ``*``, ``张三`` -> ``张*``, ``张小三`` -> ``张*三``, longer names
    keep the first and last character: ``欧阳小锋`` -> ``欧**锋``. Compound
    surnames are not detected: hiding more is the safe side.

    Other scripts: first letter of each word, ``*`` for the rest
    (``John Smith`` -> ``J*** S****``); if every word is one letter the last
    word is hidden (``J K`` -> ``J *``).
    """
    if not name:
        return ""
    text = str(name).strip()
    if not text:
        return ""
    if _RE_CJK.search(text):
        chars = "".join(text.split())
        if len(chars) == 1:
            return MASK
        if len(chars) == 2:
            return chars[0] + MASK
        return chars[0] + MASK * (len(chars) - 2) + chars[-1]
    words = text.split()
    masked = [w[0] + MASK * (len(w) - 1) for w in words]
    if all(len(w) == 1 for w in words):
        masked[-1] = MASK
    return " ".join(masked)


# --------------------------------------------------------------------------
# Phones: hide >= 6 digits
# --------------------------------------------------------------------------
_MIN_HIDDEN_DIGITS = 6
_RE_COUNTRY_PREFIX = re.compile(r"\s*(\+\s*86|0086)(?=[\s\-./()]*[0-9])")


def _mask_digits(digits: str, keep_tail: int = 2) -> str:
    """Hide all but the last ``keep_tail`` digits, keeping >= 6 hidden."""
    keep = max(0, min(keep_tail, len(digits) - _MIN_HIDDEN_DIGITS))
    return MASK * (len(digits) - keep) + digits[len(digits) - keep :]


def _mask_national(digits: str) -> str:
    n = len(digits)
    if n < _MIN_HIDDEN_DIGITS:
        return MASK * n
    if n == 11 and digits[0] == "1":
        # mobile: keep 3 + 2, hide 6 (REFERENCE.md 7.3: 138******34)
        return digits[:3] + MASK * 6 + digits[-2:]
    if digits[0] == "0" and n >= 9:
        # landline with trunk prefix and area code: 010 and 02x are 3 digits
        # long (with the 0), every other area code 4.
        area_len = 3 if digits[1] in "12" else 4
        local = digits[area_len:]
        if len(local) >= _MIN_HIDDEN_DIGITS:
            return digits[:area_len] + "-" + _mask_digits(local)
    return _mask_digits(digits)


def mask_phone(phone: str | None) -> str:
    """Mask a phone number; at least 6 digits are hidden (GB/T 41833-2022).

    * 11-digit mobile: ``13812345634`` -> ``138******34``.
    * landline with area code: ``010-12345678`` -> ``010-******78``,
      ``0755 1234 5678`` -> ``0755-******78`` (area code and last 2 kept;
      a 7-digit local number keeps only its last digit).
    * anything else: all but the last 2 digits hidden, fewer kept so that 6
      are always hidden (6 digits: all hidden, 7 digits: last one kept).
    * fewer than 6 digits: every digit hidden.
    * a leading ``+86`` / ``0086`` is kept as is when at least 6 digits
      follow it (then the rules above apply to the rest).

    Separators (spaces, dashes, brackets) are dropped; full-width digits are
    read as digits. No digit at all -> "".
    """
    if not phone:
        return ""
    text = _nfkc(str(phone))
    prefix = ""
    match = _RE_COUNTRY_PREFIX.match(text)
    if match:
        rest_digits = "".join(_RE_DIGIT.findall(text[match.end() :]))
        if len(rest_digits) >= _MIN_HIDDEN_DIGITS:
            prefix = match.group(1).replace(" ", "")
            text = text[match.end() :]
    digits = "".join(_RE_DIGIT.findall(text))
    if not digits:
        return ""
    masked = _mask_national(digits)
    return f"{prefix} {masked}" if prefix else masked


def phone_last4(phone: str | None) -> str:
    """Last 4 digits of a phone number ("" if it has fewer than 4 digits).

    R-PT-2: the portal look-up key, and what kuaidi100 asks for SF/ZTO
    queries (REFERENCE.md 7.4), so the full number need not be sent.
    """
    if not phone:
        return ""
    digits = "".join(_RE_DIGIT.findall(_nfkc(str(phone))))
    return digits[-4:] if len(digits) >= 4 else ""


# --------------------------------------------------------------------------
# ID numbers
# --------------------------------------------------------------------------
def mask_id_number(number: str | None) -> str:
    """Mask an identity document number.

    18 characters: keep 6 + last 4 (``110105********002X``); 15 characters:
    keep 6 + last 3; any other length: keep at most the first character and
    the last 2, and never more than half (1 char -> ``*``, 2 -> ``A*``,
    4 -> ``A**9``, 6 and more -> ``A***89``-style). Spaces are dropped.
    """
    if not number:
        return ""
    text = "".join(_nfkc(str(number)).split())
    n = len(text)
    if n == 0:
        return ""
    if n == 18:
        return text[:6] + MASK * 8 + text[-4:]
    if n == 15:
        return text[:6] + MASK * 6 + text[-3:]
    visible = min(3, n // 2)
    head = min(1, visible)
    tail = visible - head
    return text[:head] + MASK * (n - visible) + (text[n - tail :] if tail else "")


# --------------------------------------------------------------------------
# Addresses: hide the unit / room (单元户室号)
# --------------------------------------------------------------------------
# Chinese addresses run from the largest area to the smallest, so everything
# from the first building / unit / floor / room token onwards is removed and
# replaced by "***". The street and its road number (人民路88号, 建国路甲8号院,
# 中关村大街27号) are kept. Tokens recognised (matched after NFKC, so
# full-width digits count):
#
#   3栋 2单元 501室 12层 3楼 A座 5号楼 3号房 101户 8铺 R2-B栋
#       (letters/digits [+号] + 栋|幢|座|楼|单元|层|室|户|房|铺)
#   三栋 二单元 十二层 五号楼                     (Chinese numerals)
#   12-3-401  3-501  B1-1203                    (hyphenated; not when followed
#                                                by 号: 人民路88-1号 is a road
#                                                number)
#   #1203  3#楼  5#1203                         (hash notation)
#   12F                                         (floor)
#   阳光小区5号, 88号院3号, 张家村5组12号          (an "N号" that does NOT
#       follow a road: 路/街/道/巷/弄/里/村/胡同/段, optionally with 甲乙丙丁
#       or a direction in between, is a building or house number)
#
# Safety net, so a Chinese address ending in a number is never returned
# unchanged: any digit after the last 号/路/街/道/巷/村/弄/里 character (when
# there is none, after the last 省/市/区/县/旗/镇/乡) starts the hidden part,
# together with letters or a '#' glued before it:
# 人民路88号阳光小区B1203 -> 人民路88号阳光小区***. A road number written
# without 号 (人民路88) is therefore hidden too: more masking, never less.
#
# English (no CJK): "Room/Rm/Flat/Unit/Apt/Apartment/Suite/Ste/Floor/Fl/
# Level/Building/Bldg/Block/Blk/Tower" followed by an identifier containing a
# digit (or a single letter), ordinal floors ("5th Floor"), "12/F", "#12" and
# "12-3-401" are each replaced by "***"; the street line is kept.
_UNIT_SUFFIX = r"(?:栋|幢|座|楼|单元|层|室|户|房|铺)"
_RE_CN_UNIT = re.compile(
    "|".join(
        (
            r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\s*号?\s*" + _UNIT_SUFFIX,
            r"[一二三四五六七八九十百零〇两]+(?:号楼|栋|幢|单元|层)",
            r"[A-Za-z]?[0-9]+(?:-[A-Za-z]?[0-9]+){1,3}(?![0-9A-Za-z号-])",
            r"#\s*[A-Za-z0-9]+",
            r"[A-Za-z0-9]+\s*#",
            r"[0-9]+\s*[Ff](?![A-Za-z])",
        )
    )
)
# "N号" (not 号院: a compound's number after a road is kept with the road)
_RE_CN_NUMBER_HAO = re.compile(r"(?<![0-9-])[0-9]+(?:-[0-9]+)?\s*号(?!院)")
_ROAD_BEFORE_NUMBER = frozenset("路街道巷弄里村同段甲乙丙丁东西南北中")
_RE_ROAD_MARKER = re.compile(r"[号路街道巷村弄里]")
_RE_ADMIN_MARKER = re.compile(r"[省市区县旗镇乡]")
_RE_TRAILING_NUMBER = re.compile(r"[A-Za-z#]*[0-9]")
_RE_EN_UNIT = re.compile(
    r"\b(?:room|rm|flat|unit|apt|apartment|suite|ste|floor|fl|level|lvl|"
    r"building|bldg|block|blk|tower)\b\.?\s*(?:no\.?\s*)?#?\s*"
    r"(?:[A-Za-z]?[0-9]+[A-Za-z]?(?:-[A-Za-z0-9]+)*|[A-Za-z]\b)"
    r"|\b[0-9]+(?:st|nd|rd|th)\s+(?:floor|fl)\b\.?"
    r"|\b[0-9]+\s*/\s*F\b"
    r"|#\s*[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
    r"|\b[0-9]+-[0-9]+-[0-9]+\b",
    re.IGNORECASE,
)
_TRIM = " \t,，、;；-—/#"


def _mask_english(text: str) -> str:
    return _RE_EN_UNIT.sub(_HIDDEN, text)


def _chinese_cut(text: str) -> int | None:
    """Index where the hidden part of a Chinese address starts, or None."""
    candidates = []
    match = _RE_CN_UNIT.search(text)
    if match:
        candidates.append(match.start())
    for match in _RE_CN_NUMBER_HAO.finditer(text):
        before = text[: match.start()].rstrip()
        if before[-1:] not in _ROAD_BEFORE_NUMBER:
            candidates.append(match.start())
            break
    cut = min(candidates) if candidates else None
    head = text if cut is None else text[:cut]
    anchors = list(_RE_ROAD_MARKER.finditer(head)) or list(
        _RE_ADMIN_MARKER.finditer(head)
    )
    start = anchors[-1].end() if anchors else 0
    trailing = _RE_TRAILING_NUMBER.search(head, start)
    if trailing:
        cut = trailing.start()
    return cut


def mask_address(address: str | None) -> str:
    """Mask an address for display: the unit / room part is hidden.

    ``广东省深圳市南山区科技路88号阳光花园3栋2单元501室`` ->
    ``广东省深圳市南山区科技路88号阳光花园***``;
    ``Room 501, 88 Renmin Road`` -> ``***, 88 Renmin Road``.
    See the comment above for the patterns handled. Whitespace is trimmed
    and the text NFKC-normalised (full-width digits become ASCII).
    """
    if not address:
        return ""
    text = " ".join(_nfkc(str(address)).split())
    if not text:
        return ""
    if not _RE_CJK.search(text):
        return _mask_english(text)
    cut = _chinese_cut(text)
    if cut is None:
        return _mask_english(text)
    kept = _mask_english(text[:cut].rstrip(_TRIM))
    return kept + _HIDDEN
