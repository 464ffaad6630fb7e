# Two commands for a fresh machine: `make dev` runs the platform, `make test` runs every test.
.PHONY: dev test bench bootstrap rabbitmq lint unit fmt clean

dev: bootstrap
	bash deploy/local/dev.sh

test: bootstrap rabbitmq lint
	.venv/bin/pytest

# Benchmarks (not part of `make test`): prints a table, writes bench/results/*.json.
bench: bootstrap rabbitmq
	.venv/bin/python -m bench

bootstrap:
	@bash deploy/local/bootstrap.sh

rabbitmq:
	@bash deploy/local/ensure-rabbitmq.sh

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
	rm -rf .venv .tools .data .pytest_cache .mypy_cache .ruff_cache
