# govmedia: two commands.
#   make run   set up everything on a fresh machine and serve the demo district at http://127.0.0.1:8000
#              (make run DEMO=0: no demo data; the first login comes from `govmedia create_supervisor`)
#   make test  run the whole test suite
SHELL := /bin/bash
# Django 6 needs Python 3.12+: take the first interpreter that is new enough.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3); do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Demo mode loads the demo district and allows its published password; DEMO=0 for a real deployment.
DEMO ?= 1
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | md5sum | cut -c1-12)

.PHONY: run test install lint browser fonts lock

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "需要 Python 3.12 或更高版本 (Django 6 requires Python >= 3.12)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev,postgres]'
	touch $(STAMP)

install: $(STAMP)

run: export GOVMEDIA_DEMO = $(DEMO)
run: install fonts
	$(BIN)/govmedia migrate --noinput
	@if [ "$(DEMO)" = 1 ]; then $(BIN)/govmedia load_demo; else echo "未载入演示数据（DEMO=0）。首次使用请创建区级监管员：$(BIN)/govmedia create_supervisor 用户名 --name 姓名"; fi
	$(BIN)/govmedia collectstatic --noinput --verbosity 0
	@echo "govmedia 已启动： http://$(HOST):$(PORT)/   （Ctrl+C 停止）"
	$(BIN)/govmedia scheduler & trap "kill $$! 2>/dev/null" EXIT; \
	$(BIN)/gunicorn govmedia.wsgi --bind $(HOST):$(PORT) --workers 3 --timeout 120 --access-logfile - --log-level warning

# Browser tests drive Debian's Chromium; install it when missing and we are allowed to.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "请先安装 Chromium：sudo apt-get install chromium"; exit 1; fi; }

# Attachment-1 PDFs embed Debian's AR PL UMing (settings.GOVMEDIA_PDF_FONT); the tests read PDFs with poppler.
fonts:
	@{ test -f /usr/share/fonts/truetype/arphic/uming.ttc && command -v pdffonts >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-arphic-uming poppler-utils >/dev/null; \
	  else echo "请先安装中文字体和 poppler：sudo apt-get install fonts-arphic-uming poppler-utils"; exit 1; fi; }

test: install browser fonts
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check govmedia tests benchmarks

# After changing a dependency in pyproject.toml: install the newest allowed versions, run the tests, then
# record exactly what was installed.
lock:
	$(BIN)/python -m pip install --quiet --upgrade -e '.[dev,postgres]'
	$(BIN)/python -m pip freeze --exclude-editable > requirements.lock
