"""Who asked a question, kept only as a salted hash: enough to count distinct askers, not to name them.

hash = HMAC-SHA256(settings.GOVWEIBO_ASKER_SALT, name), 32 hex characters. The salt is the site's own
(settings), so a hash cannot be looked up in a table of known names' hashes without it; the same name
gets the same hash across imports as long as the salt stays. Names and user ids are never stored.
"""
from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd
from django.conf import settings


def asker_hash(name: str) -> str:
    """The salted hash of one name; "" for no name."""
    if not name:
        return ""
    salt = settings.GOVWEIBO_ASKER_SALT.encode()
    return hmac.new(salt, name.encode(), hashlib.sha256).hexdigest()[:32]


def asker_hashes(names: pd.Series) -> np.ndarray:
    """The salted hash of each name, each distinct name hashed once."""
    codes, uniques = pd.factorize(names.fillna(""))
    hashed = np.array([asker_hash(str(name)) for name in uniques], dtype=object)
    return hashed[codes] if len(codes) else np.zeros(0, dtype=object)
