# Two commands for a newcomer: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup run test lint bench screenshots clean

help:
	@echo "make run          set everything up and serve the demo database on http://localhost:8069"
	@echo "make test         set everything up, install the addons in a fresh database, run all tests and lint"
	@echo "make lint         ruff, ruff format --check, pylint-odoo, OCA module checks"
	@echo "make bench        performance benchmarks (prints a table, writes docs/benchmarks.md;"
	@echo "                  BENCH_CUSTOMERS, BENCH_DOCS, BENCH_COMPLAINTS size them)"
	@echo "make screenshots  render the main screens of the demo database (desktop and phone)"
	@echo "                  into docs/screenshots/ with headless Chromium"
	@echo "make setup        only fetch Odoo 19, build .venv/ and check PostgreSQL"

setup:
	@tools/setup.sh

run: setup
	@tools/run.sh

test: setup
	@tools/test.sh

lint:
	@tools/lint.sh

bench: setup
	@tools/bench.sh

screenshots: setup
	@tools/screenshots.sh

clean:
	rm -rf .venv .odoo
