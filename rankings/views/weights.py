"""Reading the what-if weights from a request: ?w=key:share,key:share (a shared link, the endpoint), or
the explorer's form without JavaScript, w.<key>=share. A key left out keeps its published share; a
share is a number from 0 to 100. Anything else is refused with a message naming the weight and why
(WeightsError), shown on the page or answered 400 by the endpoint under the field `w`."""
from __future__ import annotations

import math
from collections.abc import Mapping

from django.utils.translation import gettext as _

from core.text import echo

PARAM = "w"
FIELD_PREFIX = "w."  # the explorer's form without JavaScript: w.<key>=share
MAX_PARAM_CHARS = 2000
MAX_SHARE = 100.0


class WeightsError(ValueError):
    """A `w=` the explorer cannot use: str(error) is a translated message naming the weight and why."""


def has_weights(params: Mapping[str, str]) -> bool:
    """Whether the request gives any weight (?w= or a w.<key> field)."""
    return PARAM in params or any(name.startswith(FIELD_PREFIX) for name in params)


def weights_parse(params: Mapping[str, str], *, keys: list[str], published: dict[str, float]) -> dict[str, float]:
    """The shares (0–100) by key that `params` asks for; a key not given keeps its published share.
    Raises WeightsError naming the weight and the reason."""
    shares = dict(published)
    text = params.get(PARAM)
    if text is not None:
        parts = _parts(text, keys=keys)
    else:
        parts = [(name.removeprefix(FIELD_PREFIX), params[name]) for name in params if name.startswith(FIELD_PREFIX)]
    seen: set[str] = set()
    for key, value in parts:
        if key not in keys:
            raise WeightsError(_("Weight “%(key)s”: this scheme has no such weight (it has %(keys)s).")
                               % {"key": echo(key), "keys": ", ".join(keys)})
        if key in seen:
            raise WeightsError(_("Weight “%(key)s” is given twice.") % {"key": key})
        seen.add(key)
        shares[key] = _share(key, value)
    return shares


def _parts(text: str, *, keys: list[str]) -> list[tuple[str, str]]:
    if len(text) > MAX_PARAM_CHARS:
        raise WeightsError(_("The weights (w) are too long: at most %(max)s characters.") % {"max": MAX_PARAM_CHARS})
    parts = []
    for part in text.split(","):
        key, colon, value = part.partition(":")
        if not colon or not key.strip():
            example = ",".join(f"{key}:50" for key in keys[:2])
            raise WeightsError(_("Weight “%(part)s”: expected key:share, such as %(example)s.")
                               % {"part": echo(part), "example": example})
        parts.append((key.strip(), value.strip()))
    return parts


def _share(key: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise WeightsError(_("Weight “%(key)s”: “%(value)s” is not a number.") % {"key": key, "value": echo(text)})
    if not 0 <= value <= MAX_SHARE:
        raise WeightsError(_("Weight “%(key)s”: %(value)s is not between 0 and 100.")
                           % {"key": key, "value": echo(text)})
    return value
