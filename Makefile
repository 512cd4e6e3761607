# Two commands set everything up: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[test]'
	touch $@

run: $(STAMP)  ## start the workspace on the embedded defaults
	$(VENV)/bin/assistant ui --port $(PORT)

test: $(STAMP)  ## run the whole test suite
	ASSISTANT_MODELS_DIR=$(CURDIR)/.cache/models $(PY) -m pytest -q -p no:cacheprovider

lint: $(STAMP)  ## ruff (pyflakes, imports, pyupgrade) on the code, mypy on the library
	$(VENV)/bin/ruff check assistant tests ui bench
	$(VENV)/bin/mypy

bench: $(STAMP)  ## measure speed, memory and quality
	ASSISTANT_HOME=$(CURDIR)/.cache/bench-home ASSISTANT_MODELS_DIR=$(CURDIR)/.cache/models $(PY) -m bench $(PARTS)

clean:
	rm -rf $(VENV) .cache
