"""Insights: offline evaluation of the models, connection health and fairness audits."""
