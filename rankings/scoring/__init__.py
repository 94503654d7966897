"""The scoring engine: pure pandas/numpy, no Django. Functions take DataFrames and return new ones.

Modules: columns (column names), errors (Problem, SchemeError, ExpressionError, PROBLEM_CODES),
documents (typed field readers), expressions (the safe indicator language), schemes (Scheme
documents), inputs (snapshots -> period totals), normalise, weights (entropy), aggregate (composite,
account -> city, categories -> city), ranks, diagnostics (account flags), pipeline (score: all of
it), uncertainty (Monte Carlo).
"""
from rankings.scoring.diagnostics import account_flags
from rankings.scoring.errors import PROBLEM_CODES, ExpressionError, Problem, SchemeError
from rankings.scoring.expressions import Expression, parse_expression
from rankings.scoring.inputs import period_totals
from rankings.scoring.pipeline import ScoreResult, normalised_matrix, score
from rankings.scoring.ranks import competition_rank, rank_change
from rankings.scoring.schemes import Indicator, Scheme, Uncertainty

__all__ = [
    "PROBLEM_CODES", "Expression", "ExpressionError", "Indicator", "Problem", "Scheme", "SchemeError",
    "ScoreResult", "Uncertainty", "account_flags", "competition_rank", "normalised_matrix",
    "parse_expression", "period_totals", "rank_change", "score",
]
