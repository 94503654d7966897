"""Scoring schemes: parse a document (YAML or JSON), validate it, save it as a new version."""
from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from core.text import echo
from rankings.messages import problem_text
from rankings.models import ScoringScheme
from rankings.scoring.errors import SchemeError
from rankings.scoring.schemes import Scheme
from rankings.services.errors import ScoringError

# A complete scheme is 1.5-2.5 kB (rankings/builtin_schemes); the longest valid one (20 indicators, two
# 5,000-character descriptions) is far below this.
MAX_DOCUMENT_CHARS = 64_000
MAX_NESTING = 20  # a scheme nests 4 levels (uncertainty → normalizations → item)
REASON_LIMIT = 200  # PyYAML's own sentence, which may quote the document


def scheme_document_parse(text: str) -> dict:
    """A scheme document from YAML or JSON text (JSON is YAML). Raises ScoringError.

    Refused before anything is built: a text over MAX_DOCUMENT_CHARS, YAML aliases (`*name` repeats a
    node; eight nested levels of them make a 521-byte document of 10⁸ elements, 3.5 GB) and nesting
    deeper than MAX_NESTING (PyYAML composes nodes recursively).
    """
    if len(text) > MAX_DOCUMENT_CHARS:
        raise ScoringError(_("The scheme document has %(length)s characters; at most %(limit)s are allowed.")
                           % {"length": len(text), "limit": MAX_DOCUMENT_CHARS})
    try:
        document = yaml.load(text, Loader=_SchemeLoader)  # noqa: S506 - a SafeLoader, stricter still
    except _Refused as error:
        raise ScoringError(error.message()) from None
    except yaml.YAMLError as error:
        reason = echo(str(getattr(error, "problem", None) or error), REASON_LIMIT)
        raise ScoringError(_("The scheme is not valid YAML or JSON%(where)s: %(reason)s")
                           % {"where": _where(getattr(error, "problem_mark", None)), "reason": reason}) from None
    if not isinstance(document, dict):
        raise ScoringError(_("A scheme document must be a mapping with slug, name and indicators."))
    return document


class _Refused(yaml.YAMLError):
    """What the scheme loader refuses that YAML allows: an alias, or nesting past MAX_NESTING."""

    def __init__(self, what: str, mark: yaml.Mark | None) -> None:
        super().__init__(what)
        self.what, self.mark = what, mark

    def message(self) -> str:
        if self.what == "alias":
            return _("The scheme uses a YAML alias (*name)%(where)s; aliases are not allowed in a scheme "
                     "document: write the value out in full.") % {"where": _where(self.mark)}
        return _("The scheme nests lists and mappings more than %(limit)s levels deep%(where)s.") % {
            "limit": MAX_NESTING, "where": _where(self.mark)}


class _SchemeLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader, refusing aliases and deep nesting while composing (before any value is built),
    and reporting a value it cannot build (a 5,000-digit number, a 13th month) as a YAML error."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.nesting = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            raise _Refused("alias", self.peek_event().start_mark)
        self.nesting += 1
        try:
            if self.nesting > MAX_NESTING:
                raise _Refused("nesting", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.nesting -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, AttributeError, OverflowError, LookupError) as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value {echo(str(node.value))}: {error}", node.start_mark) from None


def _where(mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    return _(" (line %(line)s, column %(column)s)") % {"line": mark.line + 1, "column": mark.column + 1}


def scheme_validate(document: Mapping) -> Scheme:
    """The validated scheme, or ScoringError listing every problem in the user's language."""
    try:
        return Scheme.from_document(document)
    except SchemeError as error:
        lines = [problem_text(problem) for problem in error.problems]
        raise ScoringError("\n".join(lines), messages=lines) from None


def scheme_save(*, document: Mapping, make_default: bool = False, builtin: bool = False) -> tuple[ScoringScheme, str]:
    """Create or update the scheme named by the document's slug.

    Returns (scheme, outcome) where outcome is "created", "updated" (the document changed: the version
    goes up by one, so earlier runs keep pointing at the version they used) or "unchanged".
    """
    validated = scheme_validate(document)
    normalized = validated.to_document()
    with transaction.atomic():
        scheme = ScoringScheme.objects.select_for_update().filter(slug=validated.slug).first()
        if make_default:
            ScoringScheme.objects.filter(is_default=True).exclude(slug=validated.slug).update(is_default=False)
        if scheme is None:
            scheme = ScoringScheme.objects.create(
                slug=validated.slug, name=validated.name, document=normalized,
                is_default=make_default, builtin=builtin,
            )
            return scheme, "created"
        changed = _canonical(scheme.document) != _canonical(normalized)
        if changed:
            scheme.version += 1
            scheme.document = normalized
            scheme.name = validated.name
        if make_default and not scheme.is_default:
            scheme.is_default = True
            changed = changed or "default"
        if changed:
            scheme.save()
        return scheme, ("updated" if changed else "unchanged")


def scheme_load_file(*, path: str | Path, make_default: bool = False) -> tuple[ScoringScheme, str]:
    """Load a scheme document from a YAML or JSON file and save it (see scheme_save)."""
    try:
        with Path(path).open("rb") as file:
            # Never more than the longest allowed document can take (4 bytes a character in UTF-8).
            data = file.read(MAX_DOCUMENT_CHARS * 4 + 1)
        if len(data) > MAX_DOCUMENT_CHARS * 4:
            raise ScoringError(_("%(path)s is too large for a scheme document (at most %(limit)s characters).")
                               % {"path": path, "limit": MAX_DOCUMENT_CHARS})
        text = data.decode("utf-8-sig")
    except OSError as error:
        raise ScoringError(_("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}) from None
    except UnicodeDecodeError:
        raise ScoringError(_("%(path)s is not UTF-8 text.") % {"path": path}) from None
    return scheme_save(document=scheme_document_parse(text), make_default=make_default)


def _canonical(document: Mapping) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False)
