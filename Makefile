# wirewatch task runner. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# the editable install is redone only when the project's metadata (or this recipe) changes
INSTALL_STAMP := $(VENV)/.install-stamp
# rocksdb: the worker's production table store, exercised by the crash/restart integration test
EXTRAS := dev,rocksdb
# the third-party codebook (streams/codebook/sources.toml) is copied from this local mirror when it
# exists (CI and the developers' machines, which have no route to the upstream hosts), and fetched
# from the upstream repositories otherwise. `make install CODEBOOK_MIRROR=` forces the fetch.
CODEBOOK_MIRROR ?= $(wildcard ../shared)

.DEFAULT_GOAL := help
.PHONY: help install codebook broker broker-stop broker-status test gates run lint check-python browser

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "wirewatch needs Python 3.11+; '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Use: make PYTHON=python3.11 ..." >&2; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)

$(INSTALL_STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	@touch $@

install: $(INSTALL_STAMP) codebook ## create .venv (if missing), install wirewatch (dev, rocksdb extras) and its codebook

codebook: $(INSTALL_STAMP) ## install the pinned third-party dictionaries and gold sets (from ../shared/ if present)
	$(BIN)/wirewatch codebook install $(if $(CODEBOOK_MIRROR),--from $(CODEBOOK_MIRROR))

broker: install ## start the local Apache Kafka broker (127.0.0.1:9092, data in data/kafka)
	$(BIN)/wirewatch broker start

broker-stop: install ## stop the local broker
	$(BIN)/wirewatch broker stop

broker-status: install ## is the local broker running and answering?
	$(BIN)/wirewatch broker status

test: install browser gates ## everything: install, browser, the gates, broker jars, a throw-away broker on a free port, all tests, stop
	deploy/test.sh

gates: install ## the static checks `make test` runs before any broker starts: ruff check, ruff format --check, mypy (CONTRIBUTING.md)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

run: install ## the main job: local broker + worker + sample wire; ports: WIREWATCH_BROKER__PORT=9092 WIREWATCH_WEB__PORT=6066
	deploy/run.sh

lint: install ## ruff
	$(BIN)/ruff check .

# The live page is tested in a real browser: Debian's chromium and its matching chromedriver.
CHROMIUM ?= /usr/bin/chromium
CHROMEDRIVER ?= /usr/bin/chromedriver
export CHROMIUM CHROMEDRIVER
browser: ## headless Chromium + chromedriver for the live-page test (apt-get install when root; else says how)
	@if [ -x "$(CHROMIUM)" ] && [ -x "$(CHROMEDRIVER)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "==> installing chromium and chromium-driver (apt-get) for the live-page test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
	    || { echo "apt-get could not install chromium chromium-driver" >&2; exit 1; }; \
	  [ -x "$(CHROMIUM)" ] && [ -x "$(CHROMEDRIVER)" ] \
	    || { echo "installed chromium, but $(CHROMIUM) or $(CHROMEDRIVER) is still missing" >&2; exit 1; }; \
	else \
	  echo "the live-page test needs $(CHROMIUM) and $(CHROMEDRIVER): as root run 'apt-get install chromium chromium-driver'" \
	       "(Debian/Ubuntu), or give CHROMIUM=... CHROMEDRIVER=... paths" >&2; \
	  exit 1; \
	fi
