"""Near-duplicate clusters (flows/dedup.py): syndicated copies share a cluster, stored signatures round-trip, and
the index is bounded (the oldest signatures leave it past ``max_items``)."""
from __future__ import annotations

from flows import dedup

STORY = ("The city council approved a contract for four hundred cameras on Tuesday after a long debate about "
         "privacy, retention periods and who may see the footage, and the police promised an oversight board. ")


def story(n: int) -> str:
    return f"Story number {n} opens here. " + STORY * 3 + f"It closes with detail {n} and a quote from resident {n}."


def other(n: int) -> str:
    return " ".join(f"word{n}x{k}" for k in range(200))


def test_a_syndicated_copy_joins_the_first_story_and_signatures_round_trip():
    c = dedup.Clusterer(0.8)
    first = dedup.minhash(story(1))
    assert c.assign("a", first) == "a"
    assert c.assign("b", dedup.minhash(story(1) + " Syndicated by Wire.")) == "a"
    assert c.assign("c", dedup.minhash(other(1))) == "c"
    again = dedup.from_bytes(dedup.to_bytes(first))
    assert again.jaccard(first) == 1.0


def test_the_index_keeps_only_the_newest_signatures():
    c = dedup.Clusterer(0.8, max_items=3)
    c.add_known("old", "cluster-old", dedup.to_bytes(dedup.minhash(story(7))))
    for n in range(3):
        c.assign(f"x{n}", dedup.minhash(other(n)))
    assert len(c) == 3
    # the copy of the evicted story starts a cluster of its own; a copy of a kept one still joins it
    assert c.assign("copy-of-old", dedup.minhash(story(7) + " Wire copy.")) == "copy-of-old"
    assert c.assign("copy-of-x2", dedup.minhash(other(2) + " tail")) == "x2"
    assert len(c) == 3
