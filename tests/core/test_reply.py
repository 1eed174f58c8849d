# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-CP-5: the opening line of a reply, in the recipient's language."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core import reply


@pytest.mark.parametrize(
    ("name", "lang", "title", "company", "expected"),
    [
        ("张三", "zh_CN", "mr", False, "尊敬的张先生："),
        ("张三", "zh_CN", "ms", False, "尊敬的张女士："),
        ("张三", "zh_CN", None, False, "张三 您好："),
        ("欧阳娜娜", "zh_CN", "ms", False, "尊敬的欧阳女士："),
        ("諸葛亮", "zh_TW", "mr", False, "尊敬的諸葛先生："),
        ("陳大文", "zh_TW", None, False, "陳大文 您好："),
        ("上海华信电子有限公司", "zh_CN", "mr", True, "尊敬的上海华信电子有限公司："),
        ("", "zh_CN", "mr", False, "尊敬的客户："),
        (None, "zh_TW", None, False, "尊敬的客戶："),
        ("Zhang San", "zh_CN", "mr", False, "尊敬的Zhang San先生："),
        ("Zhang San", "en_US", None, False, "Dear Zhang San,"),
        ("Zhang San", "en_US", "mr", False, "Dear Mr Zhang San,"),
        ("张三", "en_US", "mr", False, "Dear Mr 张三,"),
        ("Acme Ltd", "en_GB", "ms", True, "Dear Acme Ltd,"),
        ("  Jane   Smith ", "fr_FR", "ms", False, "Dear Ms Jane Smith,"),
        ("", None, None, False, "Dear customer,"),
        ("张三", "zh_CN", "dr", False, "张三 您好："),
    ],
)
def test_salutation(name, lang, title, company, expected):
    assert reply.salutation(name, lang, title, is_company=company) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张三", "张"),
        ("欧阳修", "欧阳"),
        ("欧阳", "欧"),  # a two-character name: surname 欧, given name 阳
        ("司馬光", "司馬"),
        ("Zhang San", "Zhang San"),
        ("上海华信电子有限公司", "上海华信电子有限公司"),
    ],
)
def test_surname(name, expected):
    assert reply.surname(name) == expected


def test_punctuation_at_the_ends_of_a_name_is_dropped():
    """A comma or a full stop typed around the name never reads "Dear ,"."""
    assert reply.salutation(",0", "en_US") == "Dear 0,"
    assert reply.salutation("，张三。", "zh_CN") == "张三 您好："
    assert reply.salutation("张三(经理)", "zh_CN") == "张三(经理) 您好："


def test_chinese_languages():
    assert all(reply.is_chinese_lang(x) for x in ("zh_CN", "zh_TW", "zh_HK", "zh"))
    assert not any(reply.is_chinese_lang(x) for x in ("en_US", "", None, "fr_FR"))


@given(
    name=st.text(max_size=12),
    lang=st.sampled_from(["zh_CN", "zh_TW", "en_US", "fr_FR", None]),
    title=st.sampled_from([None, "", "mr", "ms", "x"]),
    company=st.booleans(),
)
def test_salutation_always_addresses_someone(name, lang, title, company):
    """Never "Dear ," nor an empty greeting: a name or "customer"."""
    text = reply.salutation(name, lang, title, is_company=company)
    assert text.strip()
    assert "Dear ," not in text and "尊敬的：" not in text
    if lang == "zh_TW":
        assert "客户" not in text or "客户" in name  # traditional 客戶
    assert text.endswith("," if not reply.is_chinese_lang(lang) else "：")
    assert "\n" not in text
