"""Communities: opt-in groups around shared values and interests (docs/communities.md).

The rules are pure functions over values: ``define`` validates what operators write,
``anonymity`` decides what may be shown about a community (nothing below its threshold k),
``suggest`` says which communities a person might like and why, and ``evidence`` adds the
community reasons to scored candidates. Storage is the ``CommunityStore`` port; the
application service is ``tactful.app.communities``.
"""

from tactful.community.anonymity import FEWER, engaged_counts, shown_members
from tactful.community.define import parse_communities
from tactful.community.evidence import Joined, community_evidence, tied
from tactful.community.suggest import Suggestion, suggest

__all__ = [
    "FEWER",
    "Joined",
    "Suggestion",
    "community_evidence",
    "engaged_counts",
    "parse_communities",
    "shown_members",
    "suggest",
    "tied",
]
