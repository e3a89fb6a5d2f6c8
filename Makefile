# The README's two commands: `make run` and `make test`. See INTERFACES.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in email and invitations point at the server being run, unless the environment sets BASE_URL.
BASE_URL ?= http://$(HOST):$(PORT)
MAIL_SINK_PORT ?= 8025

.PHONY: run run-prod test bench lint messages translations system system-test install install-dev clean security audit-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: system $(VENV)/.installed
install-dev: system-test $(VENV)/.installed-dev node_modules/.installed

# axe-core for the accessibility tests, again only when package.json or its lock changed. Without npm
# the suite still runs, and those tests fail saying what to install.
node_modules/.installed: package.json package-lock.json | system-test
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund && touch $@; \
	else \
		echo "note: npm is missing, so the accessibility tests will fail: install Debian's nodejs and npm" >&2; \
	fi

system:
	@bash scripts/install-system-packages.sh

system-test:
	@bash scripts/install-system-packages.sh --test

run: install translations
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) demo
	@echo "Serving on http://$(HOST):$(PORT)/  (workspace: http://$(HOST):$(PORT)/manage/)"
	BASE_URL=$(BASE_URL) $(BIN)/python scripts/serve_dev.py --host $(HOST) --port $(PORT) --mail-port $(MAIL_SINK_PORT)

# The whole suite on SQLite, then on PostgreSQL too when TEST_DATABASE_URL is set.
test: install-dev translations
	env -u TEST_DATABASE_URL $(BIN)/pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the same suite on $$TEST_DATABASE_URL"; \
		$(BIN)/pytest -q; \
	fi

# Badges: the app against plain reportlab drawing the same content; figures go to bench/RESULTS.md.
# The production shape on one machine (deploy/): nginx, two gunicorn instances, the mail worker and the
# job runner, on local PostgreSQL and Redis; http://127.0.0.1:8080 (NGINX_PORT, APP_PORTS to change).
run-prod: install translations
	@bash scripts/install-system-packages.sh --prod
	$(BIN)/python scripts/run_prod.py

# Every benchmark, each as a ratio against a bare baseline measured in the same run, with the machine;
# figures go to bench/RESULTS.md. Needs the local PostgreSQL (the benches make and drop their own
# databases; the two below are emptied). About 15 minutes on 2 cores.
BENCH_PG ?= postgresql://postgres@127.0.0.1:5432
bench: install-dev translations
	$(BIN)/python bench/bench_badges.py --results bench/RESULTS.md
	$(BIN)/python bench/bench_registration.py --rounds 3 --duration 10 --results bench/RESULTS.md
	$(BIN)/python bench/inprocess_registration.py
	$(BIN)/python bench/bench_import.py --results bench/RESULTS.md
	$(BIN)/python bench/bench_checkin.py --results bench/RESULTS.md
	-createdb -h 127.0.0.1 -U postgres events_bench_workspace 2>/dev/null
	$(BIN)/python bench/bench_workspace.py --postgres $(BENCH_PG)/events_bench_workspace --results bench/RESULTS.md
	-createdb -h 127.0.0.1 -U postgres events_bench_mail 2>/dev/null
	$(BIN)/python bench/bench_mail.py --postgres $(BENCH_PG)/events_bench_mail

lint: install-dev
	$(BIN)/ruff check .

# sqlmap against the public forms and the signed-in delegate list, on loopback with a fresh SQLite
# database; fails when anything is injectable or answers 500 (SECURITY.md). Takes a few minutes.
security: install-dev translations
	$(BIN)/python scripts/security_scan.py $(SECURITY_ARGS)

# Known advisories for every pin in requirements*.txt, from PyPI's JSON API (needs the network).
audit-deps:
	$(BIN)/python scripts/audit_dependencies.py

# Extract the participant-facing strings (babel.cfg) for translators and merge them into every catalogue:
# new strings come out untranslated, changed ones fuzzy, and tests/i18n/test_catalogues.py fails until
# they are translated.
messages: install
	mkdir -p translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --add-location=file --sort-by-file --project=events_app \
		-o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --ignore-obsolete

# The .mo files Flask-Babel reads, compiled from the committed .po catalogues (only when one changed).
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
translations: $(CATALOGUES:.po=.mo)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile -f -i $< -o $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
