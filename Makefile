# The README's two commands: `make demo` and `make test`. Both install what they need first.
PY := .venv/bin/python

.PHONY: setup test lint demo bench lock
setup:
	@./scripts/setup.sh

lint: setup
	$(PY) -m ruff check tagbot tests bench examples scripts
	$(PY) -m ruff format --check tagbot tests bench examples scripts
	$(PY) -m mypy tagbot

test: lint
	$(PY) -m pytest

demo: setup
	./examples/demo.sh

bench: setup
	$(PY) bench/run.py

# Re-resolve uv.lock after a change to pyproject.toml (docs/releasing.md).
lock: setup
	.venv/bin/uv lock
