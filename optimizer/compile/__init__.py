"""Compiling a request: candidate foods and the solver-independent model specification."""
