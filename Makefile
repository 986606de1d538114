# Entry points. Each target installs what is missing first (pipenv through pip, the Python packages
# from Pipfile.lock into .venv, the cdktf CLI from package-lock.json into node_modules) and is fast
# when everything is installed already.
#
#   make synth    validate the spec and synthesize every environment into cdktf.out/
#   make gate     synth, then run the policy gate (Checkov + policies/) on every stack
#   make test     run lint, then the test suite (Terraform validate and the end-to-end tests included)
#   make e2e      only the end-to-end tests: the example and a change sequence applied to the AWS emulator
#   make lint     ruff check, ruff format --check and mypy (strict)
#   make lock     re-lock Pipfile after editing it (keeps Pipfile.lock free of registry addresses)
#   make bench    time synth, gate and terraform plan (cold, warm, after a one-weight change) against
#                 the naive pipeline, on the example and 100 experiments (bench/pipeline.py)
#   make clean    delete the synth output (only if it holds no Terraform state or other files) and caches

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON3 ?= python3
PIPENV_VERSION := 2026.10.3
# The spec: SPEC=path overrides; by default the project setting ([tool.ab-models] spec in pyproject.toml).
SPEC ?=
OUTDIR ?= cdktf.out
SPEC_OPTION = $(if $(SPEC),--spec $(SPEC))

export PIPENV_VENV_IN_PROJECT := 1
export PIPENV_NOSPIN := 1
export PIPENV_YES := 1
export PIPENV_VERBOSITY := -1
export PIPENV_IGNORE_VIRTUALENVS := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
# cdktf's version check needs the internet (offline it prints an error): off for every command here
export CHECKPOINT_DISABLE := 1

PIPENV := $(PYTHON3) -m pipenv
VENV_PY := .venv/bin/python
PY_STAMP := .venv/.synced-from-lock
NODE_STAMP := node_modules/.installed-from-lock

.PHONY: help install synth gate lint test e2e lock bench report clean

help:
	@sed -n 's/^#   //p' Makefile

install: $(PY_STAMP) $(NODE_STAMP)

# Installs pipenv with pip when it is missing; a recipe line, so it runs only when something needs it.
ENSURE_PIPENV = @$(PIPENV) --version >/dev/null 2>&1 || { \
	  echo "Installing pipenv $(PIPENV_VERSION) with pip"; \
	  $(PYTHON3) -m pip install --quiet --disable-pip-version-check "pipenv==$(PIPENV_VERSION)" \
	  || $(PYTHON3) -m pip install --quiet --disable-pip-version-check --user "pipenv==$(PIPENV_VERSION)"; }

$(PY_STAMP): Pipfile.lock
	$(ENSURE_PIPENV)
	$(PIPENV) sync --dev
	$(VENV_PY) scripts/precompile_optimized.py
	@touch $@

# This repository's own modules as optimized bytecode, compiled again when one of them changed: with
# PYTHONDONTWRITEBYTECODE set, every `python -O` run would otherwise compile them (see the script).
PROJECT_SOURCES := $(shell find constructs_ab policies -name '*.py' -not -path '*/__pycache__/*')
PROJECT_BYTECODE_STAMP := .cache/ab-models/project-bytecode.stamp

$(PROJECT_BYTECODE_STAMP): $(PROJECT_SOURCES) $(PY_STAMP)
	$(VENV_PY) scripts/precompile_optimized.py --project
	@mkdir -p $(@D) && touch $@

$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# -O: the provider bindings skip their runtime argument type checks (the tests run with them).
synth: install $(PROJECT_BYTECODE_STAMP)
	$(VENV_PY) -O main.py $(SPEC_OPTION) --outdir $(OUTDIR)

gate: install $(PROJECT_BYTECODE_STAMP)
	$(VENV_PY) -O main.py $(SPEC_OPTION) --outdir $(OUTDIR) --gate

MYPY_PATHS := constructs_ab policies main.py bench scripts

lint: install
	$(VENV_PY) -m ruff check .
	$(VENV_PY) -m ruff format --check .
	$(VENV_PY) -m mypy $(MYPY_PATHS)
	.venv/bin/actionlint

test: install
	$(MAKE) --no-print-directory lint
	$(VENV_PY) -m pytest

e2e: install
	$(VENV_PY) -m pytest -m e2e

lock:
	$(ENSURE_PIPENV)
	$(PIPENV) lock --dev
	$(PYTHON3) scripts/scrub_lock.py Pipfile.lock
	@$(MAKE) --no-print-directory $(PY_STAMP)  # the new lock is newer than the stamp: sync and precompile

bench: install
	$(VENV_PY) bench/pipeline.py

report: synth
	$(VENV_PY) -m constructs_ab report $(OUTDIR)

# Not `rm -rf $(OUTDIR)`: the output holds Terraform's files (.terraform/, local state) once deployed.
clean:
	rm -rf .pytest_cache .hypothesis .cache/ab-models/gate
	$(PYTHON3) -m constructs_ab clean --outdir $(OUTDIR)
