# Two commands for a fresh machine: `make dev` runs the platform, `make test` runs every test.
.PHONY: dev test bench bootstrap rabbitmq chromium console console-test lint unit fmt clean

dev: bootstrap console
	bash deploy/local/dev.sh

# Every test: lint and types, the console's own (Vitest), then pytest, browser tests included.
test: bootstrap rabbitmq chromium lint console-test
	.venv/bin/pytest

# Benchmarks (not part of `make test`): prints a table, writes bench/results/*.json.
bench: bootstrap rabbitmq
	.venv/bin/python -m bench

bootstrap:
	@bash deploy/local/bootstrap.sh

rabbitmq:
	@bash deploy/local/ensure-rabbitmq.sh

chromium:
	@bash deploy/local/ensure-chromium.sh

# The console's packages (npm ci) and its production build in console/dist.
console: bootstrap
	@bash deploy/local/ensure-console.sh --build

console-test: console
	cd console && PYTHON=../.venv/bin/python npm test --silent

lint: bootstrap
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy shared services bench

# Only the pure tests: no broker or database needed.
unit: bootstrap
	.venv/bin/pytest tests/unit

fmt: bootstrap
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

clean:
	rm -rf .venv .tools .data .pytest_cache .mypy_cache .ruff_cache console/node_modules console/dist
