"""Views as files: exports (CSV, Excel, PDF, JSON), the text/HTML report and the shopping list."""
