"""Solution strategies: column generation over day menus and the pool heuristics."""
