# Starling's two entry points: `make demo` (the main job end to end) and `make test`.
SWIFT ?= swift
STARLING := .build/debug/starling
DEMO_TASK ?= wa-churn
DEMO_TIME ?= 10m

.PHONY: build setup demo test clean

build:
	$(SWIFT) build

# Solution and data environments, llama-server and the local models; each step is skipped when done.
setup: build
	$(STARLING) setup --data --llm

# The agent (MLE-STAR) on a bundled task with the embedded local model, about ten minutes.
# Each run gets its own folder under runs/; `starling resume runs/<folder>` continues one.
demo: setup
	$(STARLING) run $(DEMO_TASK) --time $(DEMO_TIME)

# The tests also run aideml (the bench's peer agent) and a Ray head (the bench's Ray executor), so they need both environments.
# The suites that run the local model, and those that start a Ray head, whole benches, whole runs or servers, each run
# after the others, on their own: their load would skew the tests that measure time.
MODEL_TESTS := LocalModel|AidemlProxyLocalModel
CLUSTER_TESTS := RayExecutorTests|TrainingExportTests|RunEndingTests|MCPServerTests|DashboardTests
test: setup
	$(STARLING) setup --aideml --ray --zoo
	$(SWIFT) test --disable-xctest --skip "$(MODEL_TESTS)|$(CLUSTER_TESTS)"
	$(SWIFT) test --disable-xctest --filter "$(MODEL_TESTS)"
	$(SWIFT) test --disable-xctest --filter "$(CLUSTER_TESTS)"

clean:
	rm -rf .build
