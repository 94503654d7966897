"""core.text.echo: the one shortening of a value quoted back in a message."""
from __future__ import annotations

from awards.services.errors import shown
from core.text import ECHO_LIMIT, echo
from rankings.scoring.errors import param_text


def test_a_quoted_text_is_cut_to_fifty_characters_and_a_mark() -> None:
    assert echo("x" * ECHO_LIMIT) == "x" * 50
    assert echo("x" * 51) == "x" * 50 + "…"


def test_values_that_are_not_text_are_quoted_as_they_are() -> None:
    assert echo(12345) == 12345


def test_a_limit_with_keep_one_less_holds_the_mark_within_the_limit() -> None:
    assert echo("x" * 40, 40, keep=39) == "x" * 40
    assert echo("x" * 41, 40, keep=39) == "x" * 39 + "…"


def test_the_award_messages_quote_one_line_of_at_most_forty_characters() -> None:
    assert shown("  a\n b  ") == "a b"
    assert shown("y" * 100) == "y" * 39 + "…"


def test_the_scoring_engine_cuts_quoted_values_with_the_same_echo_and_its_lists_longer() -> None:
    assert param_text("value", "v" * 60) == "v" * 50 + "…"
    assert param_text("allowed", ["a" * 600, "b" * 600]) == ("a" * 600 + ", " + "b" * 600)[:1000] + "…"
