# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint format serve-prod worker restore-check client-check

run: migrate demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The suite in parallel, one worker per core (pytest-xdist), each with its own test database.
# Tests go out in pytest-django's order, so each worker runs the tests that flush its database
# (live server, transaction=True) after all the others, as one process would; grouping them
# by file (--dist loadfile) would run a flush before other files' tests and lose the data
# the migrations made.
TEST_WORKERS ?= auto
test: install
	$(BIN)/pytest -n $(TEST_WORKERS)

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Production: gunicorn, with static files collected for WhiteNoise. The environment must
# carry SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL (see README "Running in production").
PROD := DJANGO_SETTINGS_MODULE=cms.settings.production
BIND ?= 127.0.0.1:8000
WORKERS ?= 2

serve-prod: install
	$(PROD) $(BIN)/python manage.py migrate --noinput
	$(PROD) $(BIN)/python manage.py collectstatic --noinput
	$(PROD) $(BIN)/gunicorn cms.wsgi --bind $(BIND) --workers $(WORKERS) --access-logfile - --timeout 30

# The background worker for production's database task backend (django-tasks-db).
worker: install
	$(PROD) $(BIN)/python manage.py db_worker

# Dumps a small newsroom with pg_dump, restores it into a fresh database and checks the
# stories are there (cms/tests/test_backups.py). Needs DATABASE_URL=postgres://…
restore-check: install
	test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL=postgres://..." >&2; exit 1; }
	$(BIN)/pytest -q -p no:cacheprovider -m postgres cms/tests/test_backups.py

# The typed client: TypeScript types generated from /api/v3/openapi.json (openapi-typescript)
# and an example front end type-checked against them (clients/typescript/). Needs Node and npm.
client-check: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py export_openapi_schema --api cms.api.api_v3 --output clients/typescript/openapi.json
	cd clients/typescript && npm ci --no-audit --no-fund --silent && npm run --silent generate && npm run --silent check
