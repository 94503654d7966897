"""A quick start for every command: Django's set-up, loading a command and building its arguments load
no pandas, numpy, Celery, pinyin dictionaries, plotly, openpyxl nor the URL modules; a command checks its
models before it runs, not the URLs. Each case runs in a fresh interpreter, as `manage.py` does."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "numpy", "celery", "pypinyin", "plotly", "openpyxl", "yaml", "govweibo.urls",
         "rankings.views", "api.urls", "drf_spectacular.views")
# The commands whose start-up is light (the others load pandas with their export or import modules).
LIGHT_COMMANDS = (("rankings", "compute_scores"), ("rankings", "load_scheme"),
                  ("accounts", "import_snapshots"), ("api", "api_token"))


def _loaded_after(code: str) -> list[str]:
    """The HEAVY modules a fresh interpreter holds after Django's set-up and `code`."""
    script = (
        "import json, os, sys\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'govweibo.settings')\n"
        "import django\n"
        "django.setup()\n"
        f"{code}\n"
        f"print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))\n"
    )
    finished = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                              timeout=120, check=True)
    return json.loads(finished.stdout.strip().splitlines()[-1])


def test_django_set_up_loads_no_pandas_celery_pinyin_nor_url_module():
    assert _loaded_after("") == []


@pytest.mark.parametrize(("app", "name"), LIGHT_COMMANDS)
def test_loading_a_command_and_its_help_loads_no_heavy_module(app, name):
    code = ("from django.core.management import load_command_class\n"
            f"load_command_class({app!r}, {name!r}).create_parser('manage.py', {name!r}).format_help()")
    assert _loaded_after(code) == []


def test_a_commands_system_checks_are_the_models_and_load_no_url_module():
    code = ("from django.core.management import load_command_class\n"
            "command = load_command_class('rankings', 'compute_scores')\n"
            "assert [str(tag) for tag in command.requires_system_checks] == ['models']\n"
            "command.check(tags=command.requires_system_checks)")
    assert _loaded_after(code) == []


def test_sending_a_task_loads_the_projects_celery_app_with_the_tasks_registered():
    code = ("from core.dispatch import task_signature\n"
            "signature = task_signature('rankings.score_run_execute', 1)\n"
            "assert signature.app.main == 'govweibo', signature.app.main\n"
            "assert 'rankings.score_run_execute' in signature.app.tasks\n"
            "from accounts.services import IMPORT_TASK\n"
            "assert IMPORT_TASK in signature.app.tasks")
    assert "celery" in _loaded_after(code)
