"""The owner of province spellings: China's 34 province-level divisions and every way a file or a form
may write one.

Rule: a province is stored, compared and shown by its canonical short name (湖南, 内蒙古, 香港). Any
accepted spelling (湖南 / 湖南省 / Hunan / HUNAN PROVINCE, 广西 / 广西壮族自治区 / 广西省, 北京 / 北京市,
香港 / 香港特别行政区 / Hong Kong …) maps to it through `province_canonical`; anything else ("火星") is
refused with a ProvinceUnknown error that lists the accepted spellings. Every import, form, command and the
API go through here, so that the conflict-of-interest rule (回避) compares canonical names only and cannot
be bypassed by spelling, and so that "成都, 四川省" is the same city as "成都, 四川".

Matching ignores case, surrounding and repeated white space, and full-width forms (NFKC); the
traditional-character spellings of 台湾, 香港 and 澳门 are accepted too.

This module is data plus pure functions: it imports no app (the accounts.Province table is seeded from
PROVINCES by a data migration).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.errors import AppError
from core.text import echo


@dataclass(frozen=True)
class ProvinceInfo:
    """name: canonical short name (湖南); full_name: official name (湖南省); adcode: GB/T 2260 code;
    name_en: English name as shown (Hunan, Inner Mongolia); pinyin: the short name in pinyin, the sort
    key (Neimenggu, Xizang); kind: province | municipality | autonomous_region | sar;
    aliases: further accepted spellings beyond the generated ones."""

    name: str
    full_name: str
    adcode: str
    name_en: str
    pinyin: str
    kind: str
    aliases: tuple[str, ...] = ()


PROVINCE, MUNICIPALITY, REGION, SAR = "province", "municipality", "autonomous_region", "sar"

# In administrative-code order.
PROVINCES: tuple[ProvinceInfo, ...] = (
    ProvinceInfo("北京", "北京市", "110000", "Beijing", "Beijing", MUNICIPALITY, ("Peking",)),
    ProvinceInfo("天津", "天津市", "120000", "Tianjin", "Tianjin", MUNICIPALITY),
    ProvinceInfo("河北", "河北省", "130000", "Hebei", "Hebei", PROVINCE),
    ProvinceInfo("山西", "山西省", "140000", "Shanxi", "Shanxi", PROVINCE),
    ProvinceInfo("内蒙古", "内蒙古自治区", "150000", "Inner Mongolia", "Neimenggu", REGION,
                 ("内蒙", "內蒙古", "內蒙古自治區", "Nei Mongol", "Nei Menggu", "Inner Mongolia Autonomous Region")),
    ProvinceInfo("辽宁", "辽宁省", "210000", "Liaoning", "Liaoning", PROVINCE),
    ProvinceInfo("吉林", "吉林省", "220000", "Jilin", "Jilin", PROVINCE),
    ProvinceInfo("黑龙江", "黑龙江省", "230000", "Heilongjiang", "Heilongjiang", PROVINCE),
    ProvinceInfo("上海", "上海市", "310000", "Shanghai", "Shanghai", MUNICIPALITY),
    ProvinceInfo("江苏", "江苏省", "320000", "Jiangsu", "Jiangsu", PROVINCE),
    ProvinceInfo("浙江", "浙江省", "330000", "Zhejiang", "Zhejiang", PROVINCE),
    ProvinceInfo("安徽", "安徽省", "340000", "Anhui", "Anhui", PROVINCE),
    ProvinceInfo("福建", "福建省", "350000", "Fujian", "Fujian", PROVINCE),
    ProvinceInfo("江西", "江西省", "360000", "Jiangxi", "Jiangxi", PROVINCE),
    ProvinceInfo("山东", "山东省", "370000", "Shandong", "Shandong", PROVINCE),
    ProvinceInfo("河南", "河南省", "410000", "Henan", "Henan", PROVINCE),
    ProvinceInfo("湖北", "湖北省", "420000", "Hubei", "Hubei", PROVINCE),
    ProvinceInfo("湖南", "湖南省", "430000", "Hunan", "Hunan", PROVINCE),
    ProvinceInfo("广东", "广东省", "440000", "Guangdong", "Guangdong", PROVINCE),
    ProvinceInfo("广西", "广西壮族自治区", "450000", "Guangxi", "Guangxi", REGION,
                 ("广西自治区", "Guangxi Zhuang Autonomous Region")),
    ProvinceInfo("海南", "海南省", "460000", "Hainan", "Hainan", PROVINCE),
    ProvinceInfo("重庆", "重庆市", "500000", "Chongqing", "Chongqing", MUNICIPALITY),
    ProvinceInfo("四川", "四川省", "510000", "Sichuan", "Sichuan", PROVINCE),
    ProvinceInfo("贵州", "贵州省", "520000", "Guizhou", "Guizhou", PROVINCE),
    ProvinceInfo("云南", "云南省", "530000", "Yunnan", "Yunnan", PROVINCE),
    ProvinceInfo("西藏", "西藏自治区", "540000", "Tibet", "Xizang", REGION,
                 ("Xizang", "Xizang Autonomous Region", "Tibet Autonomous Region")),
    ProvinceInfo("陕西", "陕西省", "610000", "Shaanxi", "Shaanxi", PROVINCE),
    ProvinceInfo("甘肃", "甘肃省", "620000", "Gansu", "Gansu", PROVINCE),
    ProvinceInfo("青海", "青海省", "630000", "Qinghai", "Qinghai", PROVINCE),
    ProvinceInfo("宁夏", "宁夏回族自治区", "640000", "Ningxia", "Ningxia", REGION,
                 ("宁夏自治区", "Ningxia Hui Autonomous Region")),
    ProvinceInfo("新疆", "新疆维吾尔自治区", "650000", "Xinjiang", "Xinjiang", REGION,
                 ("新疆自治区", "Xinjiang Uygur Autonomous Region", "Xinjiang Uyghur Autonomous Region")),
    ProvinceInfo("台湾", "台湾省", "710000", "Taiwan", "Taiwan", PROVINCE, ("台灣", "臺灣", "台灣省", "臺灣省", "臺湾")),
    ProvinceInfo("香港", "香港特别行政区", "810000", "Hong Kong", "Xianggang", SAR,
                 ("香港特區", "香港特区", "香港特別行政區", "中国香港", "中國香港", "Hongkong", "Hong Kong SAR",
                  "Hong Kong Special Administrative Region", "Xianggang")),
    ProvinceInfo("澳门", "澳门特别行政区", "820000", "Macao", "Aomen", SAR,
                 ("澳門", "澳门特区", "澳門特區", "澳門特別行政區", "中国澳门", "中國澳門", "Macau", "Macao SAR",
                  "Macau SAR", "Macao Special Administrative Region", "Aomen")),
)

# The English suffix a formal English name carries, by kind.
_ENGLISH_SUFFIXES = {PROVINCE: ("Province",), MUNICIPALITY: ("Municipality", "City", "Shi"),
                     REGION: ("Autonomous Region",), SAR: ("SAR",)}

UNKNOWN = _("“%(value)s” is not one of China's 34 province-level divisions. Accepted: %(accepted)s "
            "(the full name, e.g. 湖南省 or 广西壮族自治区, or the English name, e.g. Hunan, is accepted too).")
EMPTY = _("A province is required. Accepted: %(accepted)s.")


class ProvinceUnknown(AppError):
    """A spelling that names no province-level division; `value` is the (shortened) spelling."""

    def __init__(self, value: str) -> None:
        self.value = echo(value)
        template = UNKNOWN if value.strip() else EMPTY
        super().__init__(template % {"value": self.value, "accepted": accepted_text()})


def province_canonical(spelling: object) -> str:
    """The canonical short name (湖南) of any accepted spelling (湖南省, hunan, Hunan Province …).
    Raises ProvinceUnknown, whose message lists the accepted spellings, for anything else."""
    text = "" if spelling is None else str(spelling)
    found = _spellings().get(_key(text))
    if found is None:
        raise ProvinceUnknown(text)
    return found


def province_or_none(spelling: object) -> str | None:
    """The canonical short name, or None when the spelling names no province (for callers that collect
    problems rather than stop at the first)."""
    return _spellings().get(_key("" if spelling is None else str(spelling)))


def province_info(name: str) -> ProvinceInfo:
    """The division of a canonical short name (KeyError when it is not one)."""
    return _by_name()[name]


def province_english(name: str) -> str:
    """The English name of a province (any accepted spelling); the text itself when it names none."""
    canonical = province_or_none(name)
    return _by_name()[canonical].name_en if canonical else name


def province_sort_key(name: str) -> str:
    """A sort key that orders provinces by pinyin (Anhui … Zhejiang) in both languages; unknown texts last."""
    canonical = province_or_none(name)
    return _by_name()[canonical].pinyin.lower() if canonical else "~" + name


def province_names() -> list[str]:
    """The 34 canonical short names in administrative-code order."""
    return [info.name for info in PROVINCES]


def province_spellings(name: str) -> list[str]:
    """Every accepted spelling of one canonical province, as written (for documentation and tests)."""
    info = _by_name()[name]
    return list(dict.fromkeys(_written_spellings(info)))


def accepted_text() -> str:
    """The 34 canonical names, for error messages (full and English names are said to be accepted too)."""
    return "、".join(province_names())


def province_label(name: str) -> str:
    """A province as the active language names it: 湖南 in Chinese, Hunan in English (the text itself
    when it names no province)."""
    return province_english(name) if (get_language() or "").startswith("en") else name


def province_choices() -> list[tuple[str, str]]:
    """(canonical name, label in the active language) for the 34, sorted by pinyin, for a <select>."""
    return [(name, province_label(name)) for name in sorted(province_names(), key=province_sort_key)]


class ProvinceField(forms.ChoiceField):
    """A <select> of the 34 divisions. A posted value is mapped like any other spelling (a script posting
    湖南省 gets 湖南), and one that names no province is refused with the accepted spellings."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("choices", lambda: [("", "---------"), *province_choices()])
        super().__init__(**kwargs)

    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        if not text.strip():
            return ""
        canonical = province_or_none(text)
        if canonical is None:
            raise forms.ValidationError(str(ProvinceUnknown(text)), code="invalid_choice")
        return canonical


# --- internals --------------------------------------------------------------------------------------------
def _key(text: str) -> str:
    """The normalised form spellings are compared in: NFKC, casefolded, white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _written_spellings(info: ProvinceInfo) -> list[str]:
    spellings = [info.name, info.full_name, info.name_en, info.pinyin, *info.aliases]
    if info.kind == REGION:
        # "广西省", "内蒙古省" are common (if wrong) spellings that name one division only.
        spellings.append(info.name + "省")
    for suffix in _ENGLISH_SUFFIXES[info.kind]:
        spellings.append(f"{info.name_en} {suffix}")
        spellings.append(f"{info.pinyin} {suffix}")
    return spellings


@cache
def _spellings() -> dict[str, str]:
    found: dict[str, str] = {}
    for info in PROVINCES:
        for spelling in _written_spellings(info):
            key = _key(spelling)
            if found.setdefault(key, info.name) != info.name:  # pragma: no cover - a data mistake
                raise ValueError(f"the spelling {spelling!r} names both {found[key]} and {info.name}")
    return found


@cache
def _by_name() -> dict[str, ProvinceInfo]:
    return {info.name: info for info in PROVINCES}
