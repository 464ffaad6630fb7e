"""Benchmarks of the platform against bare floors: `make bench` (README.md, Benchmarks)."""
