"""The partitioned top-n equals a full stable sort, ties and exclusions included."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tactful.recommend.model import top_columns


@settings(max_examples=300, deadline=None)
@given(
    scores=st.lists(
        st.sampled_from([0.0, 1.0, 2.0, 2.5, 3.0, -1.0, float("nan")]), min_size=1, max_size=60
    ),
    n=st.integers(1, 70),
    positive_only=st.booleans(),
    data=st.data(),
)
def test_matches_a_full_stable_sort(
    scores: list[float], n: int, positive_only: bool, data: st.DataObject
) -> None:
    s = np.array(scores)
    excluded = np.array(
        data.draw(st.lists(st.integers(0, len(s) - 1), unique=True)), dtype=np.int64
    )
    allowed = np.isfinite(s) & ((s > 0) if positive_only else True)
    allowed[excluded] = False
    cols = np.flatnonzero(allowed)
    expected = cols[np.argsort(-s[cols], kind="stable")[:n]]
    got = top_columns(s, n, excluded, positive_only=positive_only)
    assert got.tolist() == expected.tolist()
