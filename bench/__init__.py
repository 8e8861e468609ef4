"""Benchmarks: they print figures and assert nothing. Run with `make bench` or `python -m bench NAME`."""
