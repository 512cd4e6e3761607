"""Benchmarks, each runnable as a module: `python -m bench.bench_retrieval`, `python -m bench.bench_llm`."""
