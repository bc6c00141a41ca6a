"""The Plan result model, totals, independent verification and explanations."""
