"""The annotated sets stay valid: offsets, canonical names, ISO2 codes, allowed kinds."""
from pathlib import Path

import pytest

from tests.data.validate_gold import validate

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name,low,high", [("dev", 120, 400), ("holdout", 150, 450), ("holdout2", 200, 400)])
def test_gold_set_is_valid(name, low, high, capsys):
    assert validate(DATA / name, low, high) == 0, capsys.readouterr().out
