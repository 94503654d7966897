"""Scoring schemes: parse a document (YAML or JSON), validate it, save it as a new version."""
from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from rankings.messages import problem_text
from rankings.models import ScoringScheme
from rankings.scoring.errors import SchemeError
from rankings.scoring.schemes import Scheme
from rankings.services.errors import ScoringError


def scheme_document_parse(text: str) -> dict:
    """A scheme document from YAML or JSON text (JSON is YAML). Raises ScoringError."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" (line %(line)s, column %(column)s)") % {"line": mark.line + 1, "column": mark.column + 1} \
            if mark is not None else ""
        raise ScoringError(_("The scheme is not valid YAML or JSON%(where)s: %(reason)s")
                           % {"where": where, "reason": getattr(error, "problem", None) or error}) from None
    if not isinstance(document, dict):
        raise ScoringError(_("A scheme document must be a mapping with slug, name and indicators."))
    return document


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
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ScoringError(_("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}) from None
    except UnicodeDecodeError:
        raise ScoringError(_("%(path)s is not UTF-8 text.") % {"path": path}) from None
    return scheme_save(document=scheme_document_parse(text), make_default=make_default)


def _canonical(document: Mapping) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False)
