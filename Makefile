# The two commands: `make demo` (translate seeds/ into es and zh) and `make test` (the suite).
# Both work on a fresh machine with Python 3.11 and the package registries: they create .venv,
# install the project with torch pinned by constraints.txt, and fetch GNU gettext where missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The demo keeps its models inside the project unless you point it at your own Argos folder.
DEMO_PACKAGES ?= $(if $(ARGOS_PACKAGES_DIR),$(ARGOS_PACKAGES_DIR),$(CURDIR)/.argos/packages)

.PHONY: demo test install gettext clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $@

gettext:
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gettext >/dev/null; }

demo: install
	ARGOS_PACKAGES_DIR=$(DEMO_PACKAGES) $(BIN)/translator models ensure --to es,zh \
	  --local models --fallback tests/fixtures/models/translate-en_es-copytest.argosmodel \
	  --fallback tests/fixtures/models/translate-en_zh-copytest.argosmodel
	ARGOS_PACKAGES_DIR=$(DEMO_PACKAGES) $(BIN)/translator translate seeds/*.txt --to es,zh --out out

test: install gettext
	$(BIN)/python -m pytest

# Every suite in conformance/ against the reference data in ../shared/corpus, one line of
# figures each (a suite whose data is not there says "skipped"); fails if any suite fails.
.PHONY: conformance
conformance: install
	@status=0; for suite in conformance/*.py; do $(BIN)/python $$suite || status=1; done; \
	  exit $$status

clean:
	rm -rf out .argos
