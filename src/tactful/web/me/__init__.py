"""The person's own pages (``/me``): the preference center, "why this?" and their data."""
