# The two commands a newcomer runs: `make demo` and `make test`.
# Both create .venv when missing, install chainrule into it (again only when pyproject.toml
# changed), make sure graphviz's `dot` binary is there, then run the demo / the whole test suite.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast check bench notebooks clean dot chromium

demo: $(STAMP) dot
	$(PY) -m demos.moons

test: $(STAMP) dot chromium
	$(PY) -m pytest

# The edit loop: everything but the tests marked slow (notebooks, browser, install, demos).
test-fast: $(STAMP) dot
	$(PY) -m pytest -m "not slow"

# The linter, the type checker and the layer contracts (pinned in pyproject.toml's dev extra).
check: $(STAMP)
	$(VENV)/bin/ruff check autograd nn
	$(VENV)/bin/mypy
	@out=$$($(VENV)/bin/lint-imports 2>&1) && echo "lint-imports: every layer contract kept" \
	  || { echo "$$out"; exit 1; }

bench: $(STAMP)
	@$(PY) -c "import micrograd" 2>/dev/null || { echo "installing micrograd 0.1.0, the baseline"; \
	  $(PY) -m pip install -qq micrograd==0.1.0; }
	@echo "timing chainrule against micrograd on the same models (progress below, the tables at the end)"
	$(PY) benchmarks/engine.py

# The lesson notebooks in JupyterLab, run by this venv's Python (kernel "Python 3").
notebooks: $(VENV)/.notebooks dot
	@echo "starting JupyterLab on demos/notebooks (stop it with Ctrl+C); to start it yourself later:"
	@echo "  $(VENV)/bin/jupyter lab demos/notebooks"
	$(VENV)/bin/jupyter lab demos/notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

$(VENV)/.notebooks: $(STAMP)
	@echo "installing JupyterLab into $(VENV)"
	@$(PY) -m pip install -qq -e '.[dev,demos,notebooks]'
	@touch $@

# Reinstalled when the metadata changes (pyproject.toml, or the version in autograd/__init__.py);
# the editable install is a .pth entry for this folder, so edited code needs no reinstall.
# Quiet on purpose: a newcomer's first command should say what it does in a line, not in pip's and
# setuptools' fifty (tests/test_install.py keeps the build free of warnings). -qq, not -q: a
# machine's pip configuration can name package indexes that lack some of our dependencies, and pip
# warns once per package about each; real errors still print.
$(STAMP): pyproject.toml autograd/__init__.py
	@test -x $(PY) || { echo "creating the virtual environment $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "installing chainrule and its dependencies into $(VENV) (the first time: about a minute)"
	@$(PY) -m pip install -qq --upgrade pip
	@$(PY) -m pip install -qq -e '.[dev,demos]'
	@touch $(STAMP)

# graphviz's `dot` renders graph pictures. Installed with apt-get when we are root on Debian/Ubuntu;
# otherwise we say how, and the tests that need it fail with the same advice.
dot:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing graphviz (the 'dot' binary) with apt-get..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "graphviz's 'dot' is missing: sudo apt-get install graphviz (Debian/Ubuntu) | brew install graphviz (macOS) | conda install -c conda-forge graphviz"; \
	  fi; }

# Debian's chromium and chromium-driver run the browser tests (the step-through page in a real
# browser). Installed like `dot`; without them those tests fail saying how to install them.
chromium:
	@{ command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium and chromium-driver (for the browser tests) with apt-get..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "chromium/chromedriver are missing (the browser tests need them): sudo apt-get install chromium chromium-driver (Debian/Ubuntu)"; \
	  fi; }

clean:
	rm -rf $(VENV) out .pytest_cache
