"""A scheme's texts in the active language: `name_en`/`label_en` in English when the scheme has them,
the Chinese text otherwise. Read from the run's frozen scheme (ScoreRun.definition). Selectors,
presentation and exports all name schemes and indicators through here."""
from __future__ import annotations

from django.utils.translation import get_language

from rankings.models import ScoreRun, ScoringScheme


def in_language(text: str | None, text_en: str | None, *, fallback: str = "") -> str:
    """`text_en` when the active language is English and there is one, else `text` (or `fallback`)."""
    if (get_language() or "").startswith("en") and text_en:
        return text_en
    return text or fallback


def scheme_name(run: ScoreRun) -> str:
    """The run's scheme name as the run froze it, falling back to the scheme's current name."""
    definition = run.definition
    return in_language(definition.name, definition.name_en, fallback=run.scheme.name)


def scheme_label(scheme: ScoringScheme) -> str:
    """A scheme's name in the active language: its document's name_en in English when it has one, else
    the scheme's name."""
    return in_language(scheme.name, scheme.definition.name_en if is_english() else None)


def indicator_labels(*, run: ScoreRun) -> dict[str, str]:
    """{indicator key: label in the active language}, in the scheme's order."""
    return {
        indicator.key: in_language(indicator.label, indicator.label_en, fallback=indicator.key)
        for indicator in run.definition.indicators
        if indicator.key
    }


# Province names in English (pinyin, customary forms), by their short Chinese name; a full name
# (湖南省, 广西壮族自治区) is looked up by its short form.
PROVINCES_EN = {
    "北京": "Beijing", "天津": "Tianjin", "河北": "Hebei", "山西": "Shanxi", "内蒙古": "Inner Mongolia",
    "辽宁": "Liaoning", "吉林": "Jilin", "黑龙江": "Heilongjiang", "上海": "Shanghai", "江苏": "Jiangsu",
    "浙江": "Zhejiang", "安徽": "Anhui", "福建": "Fujian", "江西": "Jiangxi", "山东": "Shandong",
    "河南": "Henan", "湖北": "Hubei", "湖南": "Hunan", "广东": "Guangdong", "广西": "Guangxi",
    "海南": "Hainan", "重庆": "Chongqing", "四川": "Sichuan", "贵州": "Guizhou", "云南": "Yunnan",
    "西藏": "Tibet", "陕西": "Shaanxi", "甘肃": "Gansu", "青海": "Qinghai", "宁夏": "Ningxia",
    "新疆": "Xinjiang", "台湾": "Taiwan", "香港": "Hong Kong", "澳门": "Macao",
}
_PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def province_name(province: str) -> str:
    """The province as the active language names it (English when known, else as stored)."""
    if not is_english():
        return province
    short = province
    for suffix in _PROVINCE_SUFFIXES:
        if short.endswith(suffix) and short.removesuffix(suffix) in PROVINCES_EN:
            short = short.removesuffix(suffix)
            break
    return PROVINCES_EN.get(short, province)


def city_name(name: str, name_en: str | None) -> str:
    """The city's name in the active language: its English name in English when it has one."""
    return in_language(name, name_en or None)
