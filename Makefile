# The two commands: `make run` and `make test`. Both create .venv and install on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint install worker beat reminders bench bench-profile wrk clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000 with a Celery worker and beat (Ctrl+C stops all three)"
	$(PY) manage.py runall 127.0.0.1:8000

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

# The benchmark (slow, not part of `make test`): see bench/README.md. For each scale (N=1, then
# N=10; SCALE=1 for one) it drops and rebuilds BENCH_DATABASE_URL, measures every page alone (wrk)
# and with people's pauses (locust), then each page's in-process cost (cached and cold), the
# reminder scan and the batch CSV's memory. Results: bench/results/<LABEL>n<scale>*.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/coprod_bench
SCALE ?= 1 10
LABEL ?=
BENCH_ENV = BENCH_DATABASE_URL=$(BENCH_DATABASE_URL)
bench: $(STAMP) wrk
	set -e; for scale in $(SCALE); do \
		label=$(LABEL)n$$scale; \
		$(BENCH_ENV) $(PY) bench/run.py --setup --scale $$scale --label $$label; \
		$(BENCH_ENV) $(PY) bench/profile_pages.py --label $$label; \
		$(BENCH_ENV) $(PY) bench/profile_pages.py --label $${label}_cold --cold; \
		$(BENCH_ENV) $(PY) bench/reminder_scan.py --label $$label; \
		$(BENCH_ENV) $(PY) bench/batch_memory.py --label $$label; \
	done

# The in-process measurements alone, on the database the last `make bench` built (LABEL=n10).
bench-profile: $(STAMP)
	$(BENCH_ENV) $(PY) bench/profile_pages.py --label $(or $(LABEL),latest)
	$(BENCH_ENV) $(PY) bench/profile_pages.py --label $(or $(LABEL),latest)_cold --cold
	$(BENCH_ENV) $(PY) bench/reminder_scan.py --label $(or $(LABEL),latest)
	$(BENCH_ENV) $(PY) bench/batch_memory.py --label $(or $(LABEL),latest)

# wrk is Debian's package: installed when missing (as root), otherwise say how.
wrk:
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk; } || \
		{ echo "wrk is missing: install it with 'sudo apt-get install wrk'"; exit 1; }

clean:
	rm -rf $(VENV) staticfiles
