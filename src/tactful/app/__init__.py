"""The application: small services composed in one place (``build``); the web API, the
CLI and the simulator are thin layers over them. See docs/architecture.md."""

from tactful.app.build import Tactful, build, utcnow
from tactful.app.consents import ConsentView
from tactful.app.serving import Recommendation, Recommended
from tactful.app.training import TrainReport

__all__ = [
    "ConsentView",
    "Recommendation",
    "Recommended",
    "Tactful",
    "TrainReport",
    "build",
    "utcnow",
]
