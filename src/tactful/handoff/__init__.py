"""Human hand-off: triggers that say a person on the team should reach out, the cases they
open (one per person at a time) and the brief an agent reads first.

The values live here; ``tactful.handoff.review`` opens cases from the stores.
"""

from tactful.handoff.case import claim, resolve
from tactful.records import Case, CaseStatus

__all__ = ["Case", "CaseStatus", "claim", "resolve"]
