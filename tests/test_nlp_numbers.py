"""Figure parsing (nlp.numbers): magnitudes, currencies, fractions, ranges, not-claims. No model needed."""
from __future__ import annotations

import pytest

from nlp.numbers import find_figures


def figs(text):
    return [(f.value, f.unit) for f in find_figures(text)]


@pytest.mark.parametrize("text,expected", [
    ("crime fell 24 percent", [(24, "percent")]),
    ("crime fell 24% last year", [(24, "percent")]),
    ("crime fell 24 per cent", [(24, "percent")]),
    ("a $14 million contract", [(14_000_000, "USD")]),
    ("a US$14m contract", [(14_000_000, "USD")]),
    ("a £3.5m deal", [(3_500_000, "GBP")]),
    ("worth €20 million", [(20_000_000, "EUR")]),
    ("a 1.2bn yuan project", [(1_200_000_000, "CNY")]),
    ("KSh 14bn", [(14_000_000_000, "KES")]),
    ("14 million dollars", [(14_000_000, "USD")]),
    ("5bn Kenyan shillings", [(5_000_000_000, "KES")]),
    ("126 billion Ugandan shillings", [(126_000_000_000, "UGX")]),
    ("R2.5bn", [(2_500_000_000, "ZAR")]),
    ("more than 2,000 cameras", [(2000, "count")]),
    ("two million cameras", [(2_000_000, "count")]),
    ("half a million people", [(500_000, "count")]),
    ("one-third of cameras", [(33.3, "percent")]),
    ("a third of the cameras", [(33.3, "percent")]),
    ("two-thirds of arrests", [(66.7, "percent")]),
    ("a quarter of the budget", [(25, "percent")]),
    ("nearly half of the matches", [(50, "percent")]),
    ("one in five people", [(20, "percent")]),
    ("the number doubled", [(100, "percent")]),
    ("crime tripled", [(200, "percent")]),
    ("for 30 days", [(30, "days")]),
])
def test_values_and_units(text, expected):
    assert figs(text) == expected


@pytest.mark.parametrize("text", [
    "in 2018 the system went live",
    "the ECU-911 centre",
    "during Covid-19",
    "at the G20 summit",
    "5G networks",
    "under Section 702",
    "a man aged 45",
    "a 45-year-old man",
    "on March 5",
    "on 5 March",
    "at 10:30",
    "at 10am",
    "the 3rd phase",
    "in the 1990s",
    "call +254 712 345 678",
    "iOS 14.6",
    "Executive Order 13873",
    "in the first half of 2020",
    "dozens of cameras and hundreds of officers",
])
def test_not_claims(text):
    assert figs(text) == []


def test_ranges_take_lower_bound():
    assert figs("between 10 and 15 percent") == [(10, "percent")]
    assert figs("10-15% of cameras") == [(10, "percent")]
    assert figs("$10m-$15m") == [(10_000_000, "USD")]
    assert figs("between 10 and 15 million") == [(10_000_000, "count")]


def test_from_to_gives_two_figures_with_shared_unit():
    assert figs("rose from 10 to 15 percent") == [(10, "percent"), (15, "percent")]


@pytest.mark.parametrize("text,hedged", [
    ("up to 30% of people", True),
    ("about 1,800 people", True),
    ("nearly 40% of people", True),
    ("as many as 500 phones", True),
    ("more than 2,000 cameras", False),
    ("exactly 2,000 cameras", False),
])
def test_approximators(text, hedged):
    (f,) = find_figures(text)
    assert f.hedge is hedged


def test_offsets_are_relative_to_input():
    text = "Police said 91 percent of matches were wrong."
    (f,) = find_figures(text)
    assert text[f.start:f.end] == "91 percent"


@pytest.mark.parametrize("text,expected", [
    ("bought it for 25 million zlotys", [(25_000_000, "PLN")]),
    ("set aside 4.6 billion kyat", [(4_600_000_000, "MMK")]),
    ("paid Tk 12.5 crore", [(125_000_000, "BDT")]),
    ("paid 480 billion rials", [(480_000_000_000, "IRR")]),
    ("would invest SAR 40 million", [(40_000_000, "SAR")]),
    ("adds 28,000 square metres of floor space", [(28_000, "square metres")]),
    # two figures with their own units are not a range
    ("net profit fell 15 percent to 11.98 billion yuan", [(15, "percent"), (11_980_000_000, "CNY")]),
])
def test_more_currencies_units_and_non_ranges(text, expected):
    assert figs(text) == expected


@pytest.mark.parametrize("text", [
    "Media contact: press office, +82 2 555 0100",
    "Call the team on 01632 960 441.",
    "Residents can report broken cameras by calling 991.",
    "The reporter, Wa Lone, then 31, was arrested.",
    "He was 23, and he spent the next year in prison.",
    "The people targeted were aged between 18 and 63.",
    "The proposal, Resolution 2024-31, named the supplier.",
    "sales jumped thanks to the Mate 60 series",
    "1.",
])
def test_not_claims_phones_ages_identifiers(text):
    assert figs(text) == []


def test_naira_written_as_a_bare_n_before_an_amount():
    from nlp.numbers import find_figures

    found = [(f.value, f.unit) for f in find_figures("Nigeria pays N40.05bn interest to ZTE and N2 billion in fees.")]
    assert found == [(40.05e9, "NGN"), (2e9, "NGN")]
    # not without a magnitude, nor inside a word or a code
    assert [f.unit for f in find_figures("The N95 masks and IN40bn.")] == []
