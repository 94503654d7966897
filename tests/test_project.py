"""The project as deployed: settings, deploy checks, health probe, compose file, Celery wiring."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from govweibo.settings import env_bool

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("GOVWEIBO_REQUIRE_SERVICES") == "1"


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _production_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(DEBUG="false", SECRET_KEY="x" * 20 + "-a-long-random-production-secret-0123456789",
               ALLOWED_HOSTS="govweibo.example.org")
    env.update(overrides)
    return env


@pytest.mark.parametrize("raw", ["flase", "1", "0", "yes", "no", "on"])
def test_env_bool_rejects_anything_but_true_or_false(monkeypatch, raw):
    monkeypatch.setenv("GOVWEIBO_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="GOVWEIBO_FLAG must be true or false"):
        env_bool("GOVWEIBO_FLAG", False)


def test_env_bool_reads_true_and_false_in_any_case_and_defaults_when_unset(monkeypatch):
    monkeypatch.setenv("GOVWEIBO_FLAG", " TRUE ")
    assert env_bool("GOVWEIBO_FLAG", False) is True
    monkeypatch.setenv("GOVWEIBO_FLAG", "False")
    assert env_bool("GOVWEIBO_FLAG", True) is False
    monkeypatch.delenv("GOVWEIBO_FLAG")
    assert env_bool("GOVWEIBO_FLAG", True) is True


@pytest.mark.slow
def test_the_docker_images_static_files_serve_pages_with_production_settings(tmp_path):
    """The Dockerfile's own collectstatic line must produce the manifest that DEBUG=false pages need."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    [command] = re.findall(r"^RUN (.*manage\.py collectstatic.*)$", dockerfile, re.M)
    command = re.sub(r"\bpython manage\.py", f"{sys.executable} manage.py", command)
    env = _production_env(STATIC_ROOT=str(tmp_path / "static"), GOVWEIBO_VAR_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    collected = subprocess.run(["sh", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert collected.returncode == 0, collected.stderr
    assert (tmp_path / "static" / "staticfiles.json").is_file()

    render = (
        "from django.test import Client; r = Client().get('/login/', secure=True, HTTP_HOST='govweibo.example.org');"
        " print(r.status_code); print(r.content.decode())"
    )
    page = _manage("shell", "-c", render, env=env)
    assert page.returncode == 0, page.stderr
    assert "\n200\n<!DOCTYPE html>" in "\n" + page.stdout
    assert re.search(r'href="/static/css/govweibo\.[0-9a-f]{12}\.css"', page.stdout)


@pytest.mark.slow
def test_the_deploy_check_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_the_deploy_check_is_clean_behind_a_proxy_too():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env(BEHIND_PROXY="true"))
    assert result.returncode == 0, result.stdout + result.stderr


PROXY_PROBE = (
    "from django.test import RequestFactory; from govweibo.middleware import client_ip;"
    " r = RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https', HTTP_X_FORWARDED_FOR='6.6.6.6, 10.0.0.9');"
    " print(r.is_secure(), client_ip(r))"
)


@pytest.mark.slow
def test_production_ignores_x_forwarded_headers_unless_it_is_told_it_sits_behind_a_proxy(tmp_path):
    direct = _manage("shell", "-c", PROXY_PROBE, env=_production_env(GOVWEIBO_VAR_DIR=str(tmp_path)))
    proxied = _manage("shell", "-c", PROXY_PROBE,
                      env=_production_env(GOVWEIBO_VAR_DIR=str(tmp_path), BEHIND_PROXY="true"))

    assert direct.stdout.split()[-2:] == ["False", "127.0.0.1"], direct.stderr
    assert proxied.stdout.split()[-2:] == ["True", "10.0.0.9"], proxied.stderr


@pytest.mark.slow
def test_api_request_rates_come_from_the_environment_and_a_malformed_one_refuses_to_start(tmp_path):
    probe = "from rest_framework.settings import api_settings as s; print(s.DEFAULT_THROTTLE_RATES)"
    default = _manage("shell", "-c", probe, env=_production_env(GOVWEIBO_VAR_DIR=str(tmp_path)))
    tuned = _manage("shell", "-c", probe, env=_production_env(GOVWEIBO_VAR_DIR=str(tmp_path),
                                                              API_THROTTLE_ANON="30/minute", API_THROTTLE_USER="5/second",
                                                              API_THROTTLE_EXPORT="2/hour"))
    broken = _manage("check", env=_production_env(API_THROTTLE_ANON="lots"))

    assert "{'anon': '120/minute', 'user': '600/minute', 'export': '30/hour'}" in default.stdout, default.stderr
    assert "{'anon': '30/minute', 'user': '5/second', 'export': '2/hour'}" in tuned.stdout, tuned.stderr
    assert broken.returncode != 0 and "API_THROTTLE_ANON must look like 120/minute" in broken.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = _production_env()
    env.pop("SECRET_KEY")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_every_model_change_has_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_health_probe_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_compose_file_is_valid():
    if not shutil.which("docker-compose"):
        if REQUIRE_SERVICES:
            pytest.fail("docker-compose is not installed (apt-get install -y docker-compose)")
        pytest.skip("docker-compose is not installed")
    env = dict(os.environ, SECRET_KEY="s", POSTGRES_PASSWORD="p")
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for service in ("postgres:", "redis:", "web:", "worker:", "beat:"):
        assert service in result.stdout


def test_the_compose_file_refuses_to_start_without_secrets():
    if not shutil.which("docker-compose"):
        pytest.skip("docker-compose is not installed")
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "POSTGRES_PASSWORD"}}
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr or "POSTGRES_PASSWORD" in result.stderr


@pytest.mark.redis
@pytest.mark.slow
def test_a_real_celery_worker_answers_tasks_sent_over_redis(celery_worker_process):
    from govweibo.celery import app

    result = app.send_task("celery.accumulate", args=(40, 2), queue=app.conf.task_default_queue)
    assert result.get(timeout=30) == [40, 2]


@pytest.mark.django_db
def test_the_api_docs_page_loads_nothing_from_a_cdn(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html


def test_a_get_on_the_logout_address_asks_to_log_out_instead_of_a_blank_405(client, django_user_model):
    assert client.get("/logout/").status_code == 302  # nobody to log out: back to the ranking
    user = django_user_model.objects.create_user("analyst", password="pw")
    client.force_login(user)

    asked = client.get("/logout/")
    assert asked.status_code == 200
    assert "analyst" in asked.content.decode() and 'action="/logout/"' in asked.content.decode()
    assert client.get("/").wsgi_request.user.is_authenticated  # a GET never logs out

    client.post("/logout/")
    assert not client.get("/").wsgi_request.user.is_authenticated
