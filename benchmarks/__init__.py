"""Benchmarks of the two engines and the C++ baseline; run with pytest-benchmark or `python -m benchmarks.compare`."""
