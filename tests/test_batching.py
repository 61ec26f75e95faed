"""Batch sizing of the ingest: full batches for big nights, several per worker for small ones."""
import pytest

from flows.ingest import batch_size_for


@pytest.mark.parametrize("pending,expected", [
    (100_000, 64),  # big night: the configured size
    (3000, 64),
    (300, 38),      # 8 batches, 4 per worker, instead of 5 batches where the last round idles a worker
    (20, 8),        # never tiny batches: per-batch overhead would dominate
    (0, 8),
])
def test_batch_size_for(pending, expected):
    assert batch_size_for(pending, 64, 2) == expected


def test_batch_size_never_exceeds_the_setting():
    assert batch_size_for(10_000, 16, 2) == 16
    assert batch_size_for(10, 4, 2) == 4
