"""The paradox simulator: simulated people (hidden tastes, choice overload, message
fatigue, creepiness, hard times, trust) driven through the real Tactful application under a
simulated clock, so a team compares policies (settings files) on connection as well as
sales before shipping them. See docs/simulation.md::

    result = simulate(Config(policies=("tactful", "baseline"), people=500, weeks=12, seed=1))
    result["policies"]["tactful"]["summary"]["churned"]
"""

from tactful.simulate.parameters import SOURCES, Behaviour
from tactful.simulate.policy import Policy, load_policy
from tactful.simulate.runner import Config
from tactful.simulate.simulation import simulate

__all__ = ["SOURCES", "Behaviour", "Config", "Policy", "load_policy", "simulate"]
