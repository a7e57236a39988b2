# MyeloPath: `make run` sets up and serves the app; `make test` runs every test.
SHELL := /bin/bash
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests need a key of their own; a real deployment sets SECRET_KEY (make run writes one to .env).
TEST_ENV := SECRET_KEY=test-only-secret-key-not-for-production DEBUG=0

.PHONY: run setup test test-fast fuzz safety lint bench backup restore clean

setup:
	scripts/bootstrap.sh
	scripts/ensure_env.sh
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --clear -v 0
	$(PY) manage.py setup_demo

run: setup
	@echo "MyeloPath on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	exec .venv/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test:
	scripts/bootstrap.sh --browser
	$(PY) -m ruff check .
	$(PY) scripts/check_hazards.py
	$(TEST_ENV) $(PY) manage.py check --fail-level WARNING
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run -v 0
	$(TEST_ENV) $(PY) -m pytest -n 2 --dist loadgroup -p no:cacheprovider

# Everything but the browser tests. On PostgreSQL (CI's second run) this includes the
# concurrency test with two gunicorn processes (tests/concurrency, marker postgres; one
# xdist group, so its servers start once).
test-fast:
	$(TEST_ENV) $(PY) -m pytest -n 2 --dist loadgroup -p no:cacheprovider -m "not e2e"

# The fuzz tests alone (they also run in `make test`): schemathesis on the API, Hypothesis on the forms.
# FUZZ_EXAMPLES=500 FUZZ_RANDOM=1 make fuzz digs deeper than CI's fixed sample.
fuzz:
	$(TEST_ENV) $(PY) -m pytest -n 2 -p no:cacheprovider -m fuzz --durations=5

# The clinical safety file (docs/safety/hazards.yaml) against the tests' hazard markers.
safety:
	$(PY) scripts/check_hazards.py

lint:
	$(PY) -m ruff check .

# Ratios of the app's work to a trivial page, and gunicorn throughput; rewrites docs/benchmarks.md.
bench:
	scripts/bootstrap.sh
	$(PY) -m benchmarks.run

# A verified backup while the app runs (SQLite backup API / pg_dump): make backup [BACKUP=path]
BACKUP ?= backups/myelopath-$(shell date +%Y%m%d-%H%M%S).backup
backup:
	@mkdir -p $(dir $(BACKUP))
	$(PY) manage.py backup_db $(BACKUP)

# Restore a backup into an empty database: make restore BACKUP=path [FORCE=--force]
restore:
	@test -f "$(BACKUP)" || { echo "make restore BACKUP=path-to-backup"; exit 2; }
	$(PY) manage.py restore_db $(BACKUP) $(FORCE)

clean:
	rm -rf .venv staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm .pytest_cache
