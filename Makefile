# govmedia: two commands.
#   make run   set up everything on a fresh machine and serve the demo district at http://127.0.0.1:8000
#   make test  run the whole test suite
SHELL := /bin/bash
# Django 6 needs Python 3.12+: take the first interpreter that is new enough.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3); do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | md5sum | cut -c1-12)

.PHONY: run test install lint browser lock

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "需要 Python 3.12 或更高版本 (Django 6 requires Python >= 3.12)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev,postgres]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/govmedia migrate --noinput
	$(BIN)/govmedia load_demo
	$(BIN)/govmedia collectstatic --noinput --verbosity 0
	@echo "govmedia 已启动： http://$(HOST):$(PORT)/   （Ctrl+C 停止）"
	$(BIN)/govmedia scheduler & trap "kill $$! 2>/dev/null" EXIT; \
	$(BIN)/gunicorn govmedia.wsgi --bind $(HOST):$(PORT) --workers 3 --timeout 120 --access-logfile - --log-level warning

# Browser tests drive Debian's Chromium; install it when missing and we are allowed to.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "请先安装 Chromium：sudo apt-get install chromium"; exit 1; fi; }

test: install browser
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check govmedia tests benchmarks

# After changing a dependency in pyproject.toml: install the newest allowed versions, run the tests, then
# record exactly what was installed.
lock:
	$(BIN)/python -m pip install --quiet --upgrade -e '.[dev,postgres]'
	$(BIN)/python -m pip freeze --exclude-editable > requirements.lock
