bench:
	@echo "make bench: not yet (see the benchmark issue)"
.PHONY: bench
