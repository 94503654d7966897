# The two commands of the README: `make run` (set up + demo + serve) and `make test`.
# `make test-fast` is `make test` without the tests marked slow (over ~5 s each): the quick loop while
# working; `make test` (and CI) still runs everything. Both pass PYTEST_ARGS on to pytest.
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run setup test test-fast check

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo --address $(HOST)

run: setup
	$(PY) manage.py runserver $(HOST)

test: $(VENV)/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.installed
	$(VENV)/bin/pytest -m "not slow" $(PYTEST_ARGS)

check: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=govweibo.example.org \
		$(PY) manage.py check --deploy --fail-level WARNING
