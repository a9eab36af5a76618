// Placeholder so the package builds on branch llm before StarlingRuntime's tests land; delete on merge.
