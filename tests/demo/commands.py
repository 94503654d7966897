"""Running setup_demo as the demo tests read it: in English, with its output as text."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command

UNSET_FOR_ENGLISH = ("LANGUAGE", "LC_ALL", "GOVWEIBO_DEMO_PASSWORD")


def speak_english(patch: pytest.MonkeyPatch) -> None:
    """The commands pick their language from the environment (LANGUAGE, LC_ALL, then LANG), and setup_demo
    its demo password from GOVWEIBO_DEMO_PASSWORD: English output and the default password."""
    for name in UNSET_FOR_ENGLISH:
        patch.delenv(name, raising=False)
    patch.setenv("LANG", "en_US.UTF-8")


def setup_demo(*arguments: str) -> str:
    """What `manage.py setup_demo <arguments>` printed (its error stream is dropped)."""
    out = io.StringIO()
    call_command("setup_demo", *arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()
