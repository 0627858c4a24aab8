# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run run-dynamodb test browser token install lint bench simulate site clean package

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## make run: API at http://127.0.0.1:$(PORT)/api/v1 and the site at /, over SQLite in var/
run: $(STAMP) site
	STAGE=local PORT=$(PORT) $(BIN)/python -m devtools.server

## make run-dynamodb: the same, over DynamoDB served by moto's server on port 5000 (in memory)
run-dynamodb: $(STAMP) site
	AWS_DEFAULT_REGION=eu-central-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local; \
	export AWS_DEFAULT_REGION AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY; \
	$(BIN)/moto_server -p 5000 > /tmp/citizen-service-moto.log 2>&1 & MOTO=$$!; trap "kill $$MOTO" EXIT; sleep 2; \
	STAGE=local STORE=dynamodb DYNAMODB_ENDPOINT=http://127.0.0.1:5000 PORT=$(PORT) $(BIN)/python -m devtools.server

## make test: every test: unit, contract (SQLite + DynamoDB via moto), API, SQS, package, browser
test: $(STAMP) site browser
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2

## make browser: Debian's chromium for the browser tests (installed with apt when missing)
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y chromium chromium-driver; }

## make token USER=maria: a dev JWT for a demo user (local stage)
token: $(STAMP)
	@STAGE=local $(BIN)/python -m devtools.token $(USER)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m bench.run

## make simulate ARGS="--contacts 2000 --seed 7": a day of 1555 against the real services, over
## a fresh SQLite store in var/simulation/ (report.txt, day.png)
simulate: $(STAMP)
	$(BIN)/python -m simulator $(ARGS)

package: $(STAMP)
	PATH=$(CURDIR)/$(BIN):$$PATH infra/package.sh prod build/package

## make site: the static site and console into frontend/dist (npm ci only when the lock changed)
FRONTEND_DEPS := frontend/node_modules/.installed

$(FRONTEND_DEPS): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

site: $(STAMP) $(FRONTEND_DEPS)
	$(BIN)/python frontend/build.py

clean:
	rm -rf var build frontend/dist
