"""The Monte Carlo input: UncertaintyInput (validated on construction, npz to_bytes/from_bytes)."""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

ACCOUNT_TO_CITY = ("max", "mean", "sum", "top3_mean")
MISSING_CATEGORY = ("zero", "renormalize")
AGGREGATION = ("arithmetic", "geometric")


@dataclass(frozen=True, eq=False)
class UncertaintyInput:
    """Everything a draw needs. Arrays are coerced (float64 / intp) and checked on construction."""

    matrices: dict[str, np.ndarray]  # method -> (n x K) normalised indicators
    city_codes: np.ndarray  # (n,) int in [0, C)
    category_codes: np.ndarray  # (n,) int in [0, G) when category_weights is given
    city_ids: np.ndarray  # (C,) the database ids; position = code
    indicator_weights: np.ndarray  # (K,) >= 0
    category_weights: np.ndarray | None  # (G,) >= 0, NaN = not counted; None = pool all accounts
    account_to_city: str  # max | mean | sum | top3_mean
    missing_category: str  # zero | renormalize
    aggregation: str  # arithmetic | geometric
    scale: float

    def __post_init__(self) -> None:
        coerced = {
            "matrices": {str(m): np.ascontiguousarray(x, dtype=np.float64) for m, x in self.matrices.items()},
            "city_codes": np.asarray(self.city_codes).astype(np.intp, copy=False),
            "category_codes": np.asarray(self.category_codes).astype(np.intp, copy=False),
            "city_ids": np.asarray(self.city_ids),
            "indicator_weights": np.asarray(self.indicator_weights, dtype=np.float64),
            "category_weights": None
            if self.category_weights is None
            else np.asarray(self.category_weights, dtype=np.float64),
            "scale": float(self.scale),
        }
        for name, value in coerced.items():
            object.__setattr__(self, name, value)
        _validate(self)

    @property
    def accounts(self) -> int:
        return len(self.city_codes)

    def to_bytes(self) -> bytes:
        """A compact, pickle-free npz (codes stored in the smallest integer type)."""
        arrays = {
            "methods": np.array(list(self.matrices), dtype=str),
            "city_codes": _compact(self.city_codes),
            "category_codes": _compact(self.category_codes),
            "city_ids": self.city_ids,
            "indicator_weights": self.indicator_weights,
            "options": np.array([self.account_to_city, self.missing_category, self.aggregation]),
            "scale": np.array(self.scale),
        }
        arrays |= {f"matrix_{i}": x for i, x in enumerate(self.matrices.values())}
        if self.category_weights is not None:
            arrays["category_weights"] = self.category_weights
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> UncertaintyInput:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            account_to_city, missing_category, aggregation = (str(o) for o in stored["options"])
            return cls(
                matrices={str(m): stored[f"matrix_{i}"] for i, m in enumerate(stored["methods"])},
                city_codes=stored["city_codes"],
                category_codes=stored["category_codes"],
                city_ids=stored["city_ids"],
                indicator_weights=stored["indicator_weights"],
                category_weights=stored["category_weights"] if "category_weights" in stored else None,
                account_to_city=account_to_city,
                missing_category=missing_category,
                aggregation=aggregation,
                scale=float(stored["scale"]),
            )


def _compact(codes: np.ndarray) -> np.ndarray:
    return codes.astype(np.min_scalar_type(int(codes.max(initial=0))))


def _validate(inp: UncertaintyInput) -> None:
    for name, value, allowed in (
        ("account_to_city", inp.account_to_city, ACCOUNT_TO_CITY),
        ("missing_category", inp.missing_category, MISSING_CATEGORY),
        ("aggregation", inp.aggregation, AGGREGATION),
    ):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, not {value!r}")
    n, k = inp.accounts, len(inp.indicator_weights)
    if not inp.matrices:
        raise ValueError("at least one normalisation method is needed")
    for method, x in inp.matrices.items():
        if x.shape != (n, k):
            raise ValueError(f"matrix {method!r} has shape {x.shape}, expected {(n, k)}")
        if not np.isfinite(x).all():
            raise ValueError(f"matrix {method!r} has NaN or infinite values")
    if inp.city_ids.dtype == object or inp.city_ids.ndim != 1:
        raise ValueError("city_ids must be a 1-d array of numbers or strings")
    if inp.category_codes.shape != (n,) or inp.city_codes.shape != (n,):
        raise ValueError("city_codes and category_codes need one entry per account")
    if n and (inp.city_codes.min() < 0 or inp.city_codes.max() >= len(inp.city_ids)):
        raise ValueError("city_codes must index city_ids")
    _check_weights("indicator_weights", inp.indicator_weights, nan_allowed=False)
    if inp.category_weights is not None:
        _check_weights("category_weights", inp.category_weights, nan_allowed=True)
        if n and (inp.category_codes.min() < 0 or inp.category_codes.max() >= len(inp.category_weights)):
            raise ValueError("category_codes must index category_weights")
    if not np.isfinite(inp.scale) or inp.scale <= 0:
        raise ValueError("scale must be a positive number")


def _check_weights(name: str, weights: np.ndarray, *, nan_allowed: bool) -> None:
    counted = weights[~np.isnan(weights)] if nan_allowed else weights
    if weights.ndim != 1 or not np.isfinite(counted).all() or (counted < 0).any() or counted.sum() <= 0:
        raise ValueError(f"{name} must be finite, non-negative and not all zero")
