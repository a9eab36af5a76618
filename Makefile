# Starling's two entry points: `make demo` (the main job end to end) and `make test`.
SWIFT ?= swift
STARLING := .build/debug/starling
DEMO_DIR ?= runs/demo

.PHONY: build setup demo test clean

build:
	$(SWIFT) build

setup: build
	$(STARLING) setup

demo: setup
	@echo "== Starling demo: a real solution script in the sandbox (the agent run replaces this once it lands)"
	$(STARLING) exec examples/demo_solution.py --workdir $(DEMO_DIR) --timeout 300 --memory 4096 --cores 1
	@echo "== run folder: $(DEMO_DIR) (run.log, submission/submission.csv)"

test: setup
	$(SWIFT) test --disable-xctest

clean:
	rm -rf .build runs/demo
