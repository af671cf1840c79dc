"""REST API routers, one module per resource; handlers hold no queries and no rules."""
