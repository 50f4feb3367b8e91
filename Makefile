# govmedia: two commands.
#   make run   set up everything on a fresh machine and serve the demo district at http://127.0.0.1:8000,
#              with the scheduler, a task worker and (demo) the platform simulator its accounts publish on
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
SIMULATOR_PORT ?= 8700
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
# The demo's accounts publish on the platform simulator, on 127.0.0.1: let monitoring read it.
run: export GOVMEDIA_MONITOR_ALLOW_PRIVATE = $(DEMO)
run: export GOVMEDIA_SIMULATOR_URL = http://127.0.0.1:$(SIMULATOR_PORT)
run: install fonts
	$(BIN)/govmedia migrate --noinput
	@if [ "$(DEMO)" = 1 ]; then $(BIN)/govmedia load_demo; else echo "未载入演示数据（DEMO=0）。首次使用请创建区级监管员：$(BIN)/govmedia create_supervisor 用户名 --name 姓名"; fi
	$(BIN)/govmedia collectstatic --noinput --verbosity 0
	@# Next to the web server: the scheduler (enqueues due work every minute) and the task worker (does
	@# it); in demo mode also the platform simulator the demo's accounts publish on, and a first full
	@# cycle over it in the background (the scheduler waits for it to list the due sources before it
	@# enqueues any). Everything stops with the web server.
	@# --link-hosts: the simulator spreads post links over 32 loopback addresses, as real links spread over
	@# many sites, so the link checker's per-site politeness does not serialize them.
	@pids=""; trap 'kill $$pids 2>/dev/null' EXIT; \
	if [ "$(DEMO)" = 1 ]; then \
	  accounts=$$(mktemp); $(BIN)/govmedia simulator_accounts > "$$accounts"; \
	  $(BIN)/python -m govmedia.simulator --host 127.0.0.1 --port $(SIMULATOR_PORT) --world demo --link-hosts 32 \
	    --accounts-file "$$accounts" & pids="$$pids $$!"; \
	  for _ in $$(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$(SIMULATOR_PORT)) 2>/dev/null && break; sleep 0.1; done; \
	  rm -f "$$accounts"; \
	  echo "平台模拟器已启动： http://127.0.0.1:$(SIMULATOR_PORT)/ 。后台读取、检查各演示账号（首次约需 1–3 分钟）。"; \
	  $(BIN)/govmedia monitor run & pids="$$pids $$!"; \
	fi; \
	$(BIN)/govmedia scheduler --delay 30 & pids="$$pids $$!"; \
	$(BIN)/govmedia db_worker --no-startup-delay & pids="$$pids $$!"; \
	echo "govmedia 已启动： http://$(HOST):$(PORT)/   （Ctrl+C 停止）"; \
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
