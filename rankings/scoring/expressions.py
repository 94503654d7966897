"""Indicator expressions: a small arithmetic language evaluated over DataFrame columns, safely.

An expression such as `log1p(posts / days) * (0.5 + 0.5 * original_posts / max(posts, 1))` is parsed
with `ast.parse(text, mode="eval")` and the tree is checked against a whitelist, then turned into numpy
closures. Nothing is ever handed to eval, exec or compile: a scheme is user input.

The language: numbers; metric names; + - * / ** and unary minus; parentheses; the functions
log (natural), log1p, sqrt, min(a, b, ...), max(a, b, ...) (elementwise), clip(x, lo, hi) and
where(condition, a, b). A condition is a comparison (< <= > >= == !=, chains allowed), optionally
combined with and, or, not; conditions exist only as where()'s first argument.

Evaluation never yields NaN or inf. What would, yields 0 for that row and is counted, by reason:
- "division_by_zero": x / 0 (and 0 ** negative);
- "invalid_math": log of a number <= 0, log1p of a number <= -1, sqrt of a negative number, a
  negative number to a fractional power;
- "overflow": a result too large for a float;
- "missing_value": a metric cell that is NaN (an optional metric the export did not have) reads as 0.
Only rows whose value matters are counted: where(posts > 0, comments / posts, 0) counts nothing.
"""
from __future__ import annotations

import ast
import math
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rankings.scoring.columns import BUILTIN_METRICS, DAYS, DAYS_COVERED
from rankings.scoring.errors import ExpressionError, Problem

MAX_LENGTH = 500
MAX_DEPTH = 30
# name -> (fewest, most) arguments; None = no upper bound.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "log": (1, 1), "log1p": (1, 1), "sqrt": (1, 1), "min": (2, None), "max": (2, None),
    "clip": (3, 3), "where": (3, 3),
}
_FUNCTION_LIST = ", ".join(f"{name}()" for name in FUNCTIONS)

DIVISION_BY_ZERO = "division_by_zero"
INVALID_MATH = "invalid_math"
OVERFLOW = "overflow"
MISSING_VALUE = "missing_value"


@dataclass
class _Context:
    columns: dict[str, np.ndarray]
    size: int
    warnings: Counter[str]

    def zero_where(self, values: np.ndarray, bad: np.ndarray, reason: str, active: np.ndarray) -> np.ndarray:
        """values with the `bad` rows set to 0, counting those among the active rows under `reason`."""
        if not bad.any():
            return values
        count = int(np.count_nonzero(bad & active))
        if count:
            self.warnings[reason] += count
        return np.where(bad, 0.0, values)


# A compiled node: (context, active rows) -> one value per row. Numbers are float64, conditions bool.
_Node = Callable[[_Context, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Expression:
    """A parsed, checked expression. names: the metrics (and "days") it reads."""

    text: str
    names: frozenset[str]
    _root: _Node = field(compare=False, repr=False)

    def evaluate(self, frame: pd.DataFrame) -> tuple[pd.Series, Counter[str]]:
        """Evaluate over every row of `frame`, which needs a numeric column per name in self.names.

        Returns float64 values on frame's index (never NaN or inf) and the warnings counter (reason ->
        rows affected; see the module docstring).
        """
        warnings: Counter[str] = Counter()
        columns = {name: _read_column(frame, name, warnings) for name in sorted(self.names)}
        context = _Context(columns=columns, size=len(frame), warnings=warnings)
        with np.errstate(all="ignore"):
            values = np.broadcast_to(self._root(context, np.ones(len(frame), dtype=bool)), (len(frame),))
        values = np.array(values, dtype=np.float64)
        values = context.zero_where(values, ~np.isfinite(values), OVERFLOW, np.ones(len(frame), dtype=bool))
        return pd.Series(values, index=frame.index, dtype=np.float64), warnings

    def __reduce__(self) -> tuple[object, tuple[str, tuple[str, ...]]]:
        # The compiled closures do not pickle; the text does (a Scheme may cross a process boundary).
        return _reparse, (self.text, tuple(sorted(self.names)))


def parse_expression(text: str, *, names: Collection[str] = ()) -> Expression:
    """Parse and check `text`. Raises ExpressionError listing every problem found.

    The expression may read the built-in metrics, "days" (the period's length, the same for every
    account), "days_covered" (the days of the period the account's snapshots cover) and `names` (the
    scheme's custom metrics; passing the built-in names as well does no harm).
    """
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError([Problem("", "empty")])
    if len(text) > MAX_LENGTH:
        raise ExpressionError([Problem("", "too_long", {"length": len(text), "limit": MAX_LENGTH})])
    # Line breaks (a long expression folded over lines in YAML) are plain spaces here.
    source = " ".join(text.split())
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError) as error:  # ValueError: a NUL character
        # offset is 1-based; Python reports 0 for some errors at the very end.
        offset = min(max(getattr(error, "offset", None) or 1, 1), len(source))
        params = {"detail": getattr(error, "msg", None) or "invalid syntax", "offset": offset}
        raise ExpressionError([Problem("", "syntax", params)]) from None
    except (MemoryError, RecursionError):  # how CPython's parser gives up on some 200 nested brackets
        raise ExpressionError([Problem("", "too_deep", {"depth": ">200", "limit": MAX_DEPTH})]) from None
    depth = _depth(tree.body)
    if depth > MAX_DEPTH:
        raise ExpressionError([Problem("", "too_deep", {"depth": depth, "limit": MAX_DEPTH})])
    compiler = _Compiler(source, frozenset((*BUILTIN_METRICS, DAYS, DAYS_COVERED, *names)))
    root = compiler.number(tree.body)
    if compiler.problems:
        raise ExpressionError(compiler.problems)
    return Expression(text=text, names=frozenset(compiler.used), _root=root)


def _reparse(text: str, names: tuple[str, ...]) -> Expression:
    return parse_expression(text, names=names)


def _read_column(frame: pd.DataFrame, name: str, warnings: Counter[str]) -> np.ndarray:
    if name not in frame.columns:
        raise KeyError(f"the expression reads {name!r}, which the frame does not have")
    values = frame[name].to_numpy(dtype=np.float64, na_value=np.nan)
    missing = ~np.isfinite(values)
    if missing.any():
        warnings[MISSING_VALUE] += int(np.count_nonzero(missing))
        values = np.where(missing, 0.0, values)
    return values


def _depth(root: ast.AST) -> int:
    """How deeply the expression nests, walked with an explicit stack: recursion would overflow Python's
    stack on a long chain such as 350 unary minuses (which ast.parse accepts) before the limit is checked."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))
    return deepest


class _Compiler:
    """Checks a tree against the whitelist, collecting every problem, and builds the numpy closures."""

    def __init__(self, source: str, names: frozenset[str]) -> None:
        self.source = source
        self.names = names
        self.used: set[str] = set()
        self.problems: list[Problem] = []

    def problem(self, code: str, **params: object) -> _Node:
        self.problems.append(Problem("", code, params))
        return _constant(0.0)

    def text(self, node: ast.AST) -> str:
        segment = ast.get_source_segment(self.source, node) or type(node).__name__
        return segment if len(segment) <= 40 else segment[:37] + "..."

    def not_allowed(self, node: ast.AST) -> _Node:
        kind = type(node).__name__
        return self.problem("not_allowed", text=self.text(node), kind=kind, functions=_FUNCTION_LIST)

    def number(self, node: ast.expr) -> _Node:
        """A node that must give numbers."""
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.number(node.operand)
            return operand if isinstance(node.op, ast.UAdd) else _negate(operand)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Compare | ast.BoolOp) or (
            isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)
        ):
            return self.problem("comparison_outside_where", text=self.text(node))
        return self.not_allowed(node)

    def condition(self, node: ast.expr) -> _Node:
        """A node that must give booleans: where()'s first argument."""
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.BoolOp):
            parts = [self.condition(value) for value in node.values]
            combine = np.logical_and.reduce if isinstance(node.op, ast.And) else np.logical_or.reduce
            return lambda context, active: combine([part(context, active) for part in parts])
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            operand = self.condition(node.operand)
            return lambda context, active: np.logical_not(operand(context, active))
        if isinstance(node, ast.Constant | ast.Name | ast.BinOp | ast.UnaryOp | ast.Call):
            self.number(node)  # Report what is wrong inside it too.
            return self.problem("where_condition", text=self.text(node))
        return self.not_allowed(node)

    def constant(self, node: ast.Constant) -> _Node:
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            return self.not_allowed(node)
        try:
            value = float(node.value)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value):
            return self.problem("bad_number", text=self.text(node))
        return _constant(value)

    def name(self, node: ast.Name) -> _Node:
        if node.id not in self.names:
            allowed = ", ".join(sorted(self.names))
            return self.problem("unknown_name", name=node.id, allowed=allowed)
        self.used.add(node.id)
        name = node.id
        return lambda context, active: context.columns[name]

    def binary(self, node: ast.BinOp) -> _Node:
        operation = _BINARY.get(type(node.op))
        if operation is None:
            return self.not_allowed(node)
        left, right = self.number(node.left), self.number(node.right)

        def evaluate(context: _Context, active: np.ndarray) -> np.ndarray:
            return operation(context, active, left(context, active), right(context, active))

        return evaluate

    def compare(self, node: ast.Compare) -> _Node:
        operands = [self.number(node.left)] + [self.number(value) for value in node.comparators]
        operations = [_COMPARISONS.get(type(op)) for op in node.ops]
        if any(operation is None for operation in operations):
            return self.not_allowed(node)

        def evaluate(context: _Context, active: np.ndarray) -> np.ndarray:
            values = [operand(context, active) for operand in operands]
            pairs = [op(a, b) for op, a, b in zip(operations, values, values[1:], strict=False)]
            return np.logical_and.reduce(pairs)

        return evaluate

    def call(self, node: ast.Call) -> _Node:
        if not isinstance(node.func, ast.Name):
            return self.not_allowed(node.func)
        name = node.func.id
        if name not in FUNCTIONS:
            return self.problem("unknown_function", name=name, functions=_FUNCTION_LIST)
        for keyword in node.keywords:
            self.problem("not_allowed", text=self.text(keyword), kind="keyword", functions=_FUNCTION_LIST)
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            return self.not_allowed(next(arg for arg in node.args if isinstance(arg, ast.Starred)))
        fewest, most = FUNCTIONS[name]
        given = len(node.args)
        if most is not None and not fewest <= given <= most:
            return self.problem("arity", name=name, expected=fewest, given=given)
        if given < fewest:
            return self.problem("arity_at_least", name=name, expected=fewest, given=given)
        if name == "where":
            return _where(self.condition(node.args[0]), self.number(node.args[1]), self.number(node.args[2]))
        return _FUNCTION_BUILDERS[name]([self.number(arg) for arg in node.args])


def _constant(value: float) -> _Node:
    return lambda context, active: np.full(context.size, value)


def _negate(operand: _Node) -> _Node:
    return lambda context, active: -operand(context, active)


def _checked(context: _Context, active: np.ndarray, values: np.ndarray) -> np.ndarray:
    return context.zero_where(values, ~np.isfinite(values), OVERFLOW, active)


def _add(context: _Context, active: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _checked(context, active, a + b)


def _subtract(context: _Context, active: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _checked(context, active, a - b)


def _multiply(context: _Context, active: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _checked(context, active, a * b)


def _divide(context: _Context, active: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    zero = b == 0
    values = context.zero_where(a / np.where(zero, 1.0, b), zero, DIVISION_BY_ZERO, active)
    return _checked(context, active, values)


def _power(context: _Context, active: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    values = np.power(a, b)
    bad = ~np.isfinite(values)
    if not bad.any():
        return values
    by_zero = bad & (a == 0) & (b < 0)
    values = context.zero_where(values, by_zero, DIVISION_BY_ZERO, active)
    values = context.zero_where(values, bad & ~by_zero & np.isnan(values), INVALID_MATH, active)
    return _checked(context, active, values)


_BINARY = {ast.Add: _add, ast.Sub: _subtract, ast.Mult: _multiply, ast.Div: _divide, ast.Pow: _power}
_COMPARISONS = {
    ast.Lt: np.less, ast.LtE: np.less_equal, ast.Gt: np.greater, ast.GtE: np.greater_equal,
    ast.Eq: np.equal, ast.NotEq: np.not_equal,
}


def _unary_math(function: Callable[[np.ndarray], np.ndarray], invalid: Callable[[np.ndarray], np.ndarray]):
    """A one-argument function giving 0 (counted as invalid_math) where `invalid` holds."""

    def build(arguments: Sequence[_Node]) -> _Node:
        (argument,) = arguments

        def evaluate(context: _Context, active: np.ndarray) -> np.ndarray:
            values = argument(context, active)
            bad = invalid(values)
            # Invalid rows get a harmless stand-in (1.0 is valid for all three) and are zeroed after.
            safe = function(np.where(bad, 1.0, values))
            return context.zero_where(safe, bad, INVALID_MATH, active)

        return evaluate

    return build


def _reduce(function: np.ufunc):
    def build(arguments: Sequence[_Node]) -> _Node:
        return lambda context, active: function.reduce([argument(context, active) for argument in arguments])

    return build


def _clip(arguments: Sequence[_Node]) -> _Node:
    values, lo, hi = arguments
    return lambda context, active: np.minimum(np.maximum(values(context, active), lo(context, active)),
                                              hi(context, active))


def _where(condition: _Node, if_true: _Node, if_false: _Node) -> _Node:
    # Each branch is evaluated for every row (vectorized) but warns only for the rows it supplies.
    def evaluate(context: _Context, active: np.ndarray) -> np.ndarray:
        chosen = np.broadcast_to(condition(context, active), (context.size,))
        return np.where(chosen, if_true(context, active & chosen), if_false(context, active & ~chosen))

    return evaluate


_FUNCTION_BUILDERS = {
    "log": _unary_math(np.log, lambda values: values <= 0),
    "log1p": _unary_math(np.log1p, lambda values: values <= -1),
    "sqrt": _unary_math(np.sqrt, lambda values: values < 0),
    "min": _reduce(np.minimum),
    "max": _reduce(np.maximum),
    "clip": _clip,
}
