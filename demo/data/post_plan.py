"""What the generator decides per account before any post, and row groups (one account-month each).

Pure numpy; no Django.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.data.post_accounts import Table
from demo.data.post_counts import Counts


@dataclass(frozen=True)
class Plan:
    """Everything decided per account before any post: counts and behaviours (speed codes FAST …)."""

    table: Table
    periods: np.ndarray
    counts: Counts
    speed: np.ndarray
    boilerplate: np.ndarray
    silent: np.ndarray


@dataclass(frozen=True)
class Groups:
    """Rows in runs of one account-month: group of each row, each group's first row."""

    of_row: np.ndarray
    starts: np.ndarray

    @classmethod
    def of_sizes(cls, sizes: np.ndarray) -> Groups:
        return cls(np.repeat(np.arange(len(sizes)), sizes), np.cumsum(sizes) - sizes)

    def ranks(self, rng: np.random.Generator) -> np.ndarray:
        """A random order within each group: 0 .. size-1 per group."""
        # Group + a number in [0, 1) sorts by group, then randomly within it (one sort, not a lexsort).
        order = np.argsort(self.of_row + rng.random(len(self.of_row)), kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order)) - self.starts[self.of_row[order]]
        return rank
