"""The solver layer: options, the termination vocabulary, results and the HiGHS/CBC adapter (imports PuLP)."""
