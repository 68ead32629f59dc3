# Benchmark targets (owner: bench). `make bench` takes about 6-10 minutes on 2 cores; `make bench-check` about 2.
# Both start their own processes on 127.0.0.1 (free ports) and stop them by PID; results go to bench/results/.
# BENCH_ARGS passes options through, e.g. BENCH_ARGS=--no-smoke or BENCH_ARGS=--standin-cli.
BENCH_ARGS ?=

.PHONY: bench bench-check bench-readme

bench: $(STAMP) ## Benchmark vs a bare-SDK control: JSON + Markdown to bench/results/, fails if a target is missed
	$(PY) -m bench.run $(BENCH_ARGS)

bench-check: $(STAMP) ## Short benchmark for CI: fails only on a large regression relative to the control
	$(PY) -m bench.run --check $(BENCH_ARGS)

bench-readme: $(STAMP) ## Rewrite README.md's generated Performance block from bench/results/latest.md (after make bench)
	$(PY) -m bench.readme
