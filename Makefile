# The two commands: `make demo` (translate seeds/ into es and zh) and `make test` (the suite).
# Both work on a fresh machine with Python 3.11 and the package registries: they create .venv,
# install the project (the demo its runtime dependencies, the tests also the test extra; neither
# needs torch, stanza or spaCy), and fetch GNU gettext where missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The demo keeps its models inside the project unless you point it at your own Argos folder.
DEMO_PACKAGES ?= $(if $(ARGOS_PACKAGES_DIR),$(ARGOS_PACKAGES_DIR),$(CURDIR)/.argos/packages)

.PHONY: demo test install install-test venv gettext clean

# A .venv made before the switch to argos-translate-lt holds the `argostranslate` distribution
# with stanza, spaCy and torch (1.7 GB); both distributions own the `argostranslate` module, so
# such a .venv is made afresh instead of being installed over.
venv:
	@if [ -x $(BIN)/python ] && $(BIN)/python -m pip show -q argostranslate >/dev/null 2>&1; then \
	  echo "removing the old .venv (argostranslate with torch; now argos-translate-lt)"; rm -rf $(VENV); fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)

install: venv
	@$(MAKE) --no-print-directory $(VENV)/.installed

install-test: venv
	@$(MAKE) --no-print-directory $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

gettext:
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gettext >/dev/null; }

demo: install
	ARGOS_PACKAGES_DIR=$(DEMO_PACKAGES) $(BIN)/translator models ensure --to es,zh \
	  --local models --fallback tests/fixtures/models/translate-en_es-copytest.argosmodel \
	  --fallback tests/fixtures/models/translate-en_zh-copytest.argosmodel
	ARGOS_PACKAGES_DIR=$(DEMO_PACKAGES) $(BIN)/translator translate seeds/*.txt --to es,zh --out out

test: install-test gettext
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Every suite in conformance/ against the reference data in ../shared/corpus, one line of
# figures each (a suite whose data is not there says "skipped"); fails if any suite fails.
# conformance/_*.py are what the suites share, not suites.
.PHONY: conformance
conformance: install
	@status=0; for suite in conformance/[!_]*.py; do $(BIN)/python $$suite || status=1; done; \
	  exit $$status

clean:
	rm -rf out .argos
