"""The "API quick start" (docs/pages-and-api.md, moved there from the README), run as written against the demo: setup_demo's data on a live test
server, each command of the block in order (the manage.py ones in-process, the curl and printf lines in
bash with the server's address for 127.0.0.1:8000), and each answer checked."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from rankings.services import scheme_load_file

DOC = (Path(__file__).resolve().parents[2] / "docs" / "pages-and-api.md").read_text(encoding="utf-8")
SECTION = DOC[DOC.index("## API quick start"):]
BLOCK = re.search(r"```sh\n(.*?)```", SECTION, re.S)[1]


def _commands() -> list[str]:
    return [line.strip() for line in BLOCK.splitlines() if line.strip()]


def _manage(arguments: str) -> str:
    out = StringIO()
    words = shlex.split(arguments.split("#")[0])
    call_command(words[0], *words[1:], stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@pytest.fixture
def demo(settings, monkeypatch):
    from govweibo.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)  # the upload's job runs inline, as in the demo
    User.objects.create_superuser("admin", password="govweibo-demo")  # setup_demo makes it only with DEBUG on
    # The built-in schemes: a transactional test that ran before may have flushed what the migrations
    # loaded, and scheme_load_file (which setup_demo calls) does not mark one as the default.
    for path in sorted((Path(settings.BASE_DIR) / "rankings" / "builtin_schemes").glob("*.yaml")):
        scheme_load_file(path=path, make_default=path.stem == "shifan-2012")
    call_command("setup_demo", stdout=StringIO(), stderr=StringIO())


@pytest.mark.skipif(not shutil.which("curl"), reason="curl is not installed")
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_api_quick_start_works_against_the_demo(demo, live_server, tmp_path):
    outputs: list[str] = []
    env = {**os.environ}
    for command in _commands():
        if command.startswith("TOKEN=$(python manage.py "):
            env["TOKEN"] = _manage(command.removeprefix("TOKEN=$(python manage.py ").split(")")[0])
            outputs.append(env["TOKEN"])
        elif command.startswith("python manage.py "):
            outputs.append(_manage(command.removeprefix("python manage.py ")))
        else:
            command = command.replace("http://127.0.0.1:8000", live_server.url)
            done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, timeout=60)
            assert done.returncode == 0, (command, done.stderr)
            outputs.append(done.stdout.decode("utf-8"))
    token, listing, ranking, _download, cities_csv, breakdown, _printf, upload, shortlist = outputs

    assert token.startswith("gw_") and token[:10] in listing
    ranking = json.loads(ranking)
    assert ranking["count"] == 60 and len(ranking["results"]) == 3 and ranking["run"]["is_published"]
    assert (tmp_path / "ranking.csv").read_bytes().startswith("\ufeffrank,city_id,city,".encode())
    assert cities_csv.startswith("\ufeffid,name,name_en,province,") and "广州" in cities_csv
    breakdown = json.loads(breakdown)
    assert breakdown["city"]["name"] == "上海" and breakdown["rank"] == ranking["results"][0]["rank"]
    upload = json.loads(upload)
    assert (upload["status"], upload["problem_count"]) == ("failed", 1)
    assert (upload["problems"][0]["line"], upload["problems"][0]["column"]) == (2, "fans")
    assert upload["problems"][0]["message"].startswith("“many” is not a number")
    shortlist = json.loads(shortlist)
    assert len(shortlist) == 10 and all(row["shortlisted"] for row in shortlist)
    assert [row["rank"] for row in shortlist] == sorted(row["rank"] for row in shortlist)
    for row in shortlist:  # the demo round's weights, 0.6 / 0.25 / 0.15: anyone can recompute the final
        recomputed = 0.6 * row["ranking_score"] + 0.25 * row["expert_score"] + 0.15 * row["netizen_score"]
        assert row["final"] == pytest.approx(recomputed, abs=1e-9)
