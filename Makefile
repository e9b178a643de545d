# The two commands: `make run` and `make test`. Both create .venv and install on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint install worker beat reminders bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl+C to stop)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# With Redis: CELERY_BROKER_URL=redis://127.0.0.1:6379/0 make worker (and make beat).
worker: $(STAMP)
	$(VENV)/bin/celery -A coproduction worker --loglevel=INFO --concurrency=2

beat: $(STAMP)
	$(VENV)/bin/celery -A coproduction beat --loglevel=INFO

reminders: $(STAMP)
	$(PY) manage.py send_due_reminders

# The load benchmark (slow, not part of `make test`): see bench/README.md.
bench: $(STAMP)
	$(PY) bench/run.py --setup

clean:
	rm -rf $(VENV) staticfiles
