"""The award combination: pure pandas/numpy, no Django (checked by import-linter)."""
from awards.scoring.combine import MEAN, TRIMMED, Method, below_quorum, combine

__all__ = ["MEAN", "TRIMMED", "Method", "below_quorum", "combine"]
