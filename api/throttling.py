"""The API's request rates (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES): per address for anonymous
clients, per user once signed in, and a lower rate for CSV/XLSX downloads (api.renderers.ExportableMixin
adds it when a table format is asked for). The counting, exact under concurrency, is core/throttling.py's,
shared with the pages' downloads. Over the rate the client gets 429 with Retry-After, in the API's error
shape (api.errors). A request with a bad token is counted as an anonymous one (api.authentication).
"""
from __future__ import annotations

from core.throttling import AnonRateThrottle, ExportRateThrottle, UserRateThrottle

__all__ = ["AnonRateThrottle", "ExportRateThrottle", "UserRateThrottle"]
