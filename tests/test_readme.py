"""The README's promises, checked: it opens with the two commands, it names the main commands and they
exist; the example file of docs/importing.md (the file format moved there from the README) imports as
documented."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

from accounts.models import GovAccount, Snapshot
from accounts.services import snapshots_import

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
IMPORTING = (ROOT / "docs" / "importing.md").read_text(encoding="utf-8")


def test_the_readme_opens_with_exactly_the_two_commands_setup_and_run_and_test():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]
    assert README.index("```sh") < README.index("## ")


def test_the_example_csv_of_the_import_docs_imports_as_documented(db, tmp_path):
    example = re.search(r"```csv\n(.*?)```", IMPORTING, re.S)[1]
    path = tmp_path / "example.csv"
    path.write_text(example, encoding="utf-8")

    result = snapshots_import(source=path)

    assert result.rows == example.count("\n") - 1
    fulin = GovAccount.objects.get(screen_name="福临发布")
    assert (fulin.platform, fulin.category, fulin.level) == ("tencent", "press", "township")
    assert Snapshot.objects.get(account=fulin).period_start.isoformat() == "2012-03-01"


@pytest.mark.parametrize("command", [
    "import_snapshots", "generate_demo_data", "setup_demo", "compute_scores", "export_ranking", "load_scheme",
    "award_round", "api_token",
])
def test_every_command_the_readme_names_exists(command):
    assert f"manage.py {command}" in README
    assert command in get_commands()
