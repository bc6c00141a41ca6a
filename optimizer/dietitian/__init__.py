"""The dietitian's tools: the SQLite store, its migrations and batch planning."""
