"""A generated general-news mix: off-topic stories (sport, markets, weather, politics, consumer tech, crime
briefs) with a share of surveillance stories, for the relevance gate's precision (tests/test_gate.py,
docs/relevance-gate.md) and the general-news throughput benchmark (bench/pipeline.py --mix).

Off-topic stories include the tricky ones a keyword gate meets: a phone's camera, Huawei's or Apple's phone
sales, "police said" in a crime brief, drones over a stadium, a privacy policy, a fingerprint sensor, a
contract signing in football. Deterministic for a given seed.
"""
from __future__ import annotations

import random

TEAMS = ["Arsenal", "Benfica", "Boca Juniors", "Lyon", "Kaizer Chiefs", "Al Ahly", "Celtic", "Porto", "Napoli",
         "Flamengo", "Ajax", "Galatasaray"]
PLAYERS = ["Santos", "Okafor", "Dubois", "Kowalski", "Haddad", "Moreno", "Tanaka", "O'Brien", "Mensah", "Novak"]
CITIES = ["Lisbon", "Manchester", "Buenos Aires", "Lagos", "Osaka", "Toronto", "Melbourne", "Cairo", "Lima", "Oslo"]
FIRMS = ["Unilever", "Toyota", "Nestlé", "Shell", "Siemens Energy", "Maersk", "BHP", "Tata Steel", "Adidas", "Heineken"]
PHONES = [("Apple", "iPhone 16"), ("Samsung", "Galaxy S25"), ("Huawei", "Mate 70"), ("Xiaomi", "14T"),
          ("Google", "Pixel 9"), ("Oppo", "Find X8")]

SPORT = [
    "{team} beat {team2} {a}-{b} on Saturday, with {player} scoring twice in the second half.",
    "{player} signed a new four-year contract with {team}, the club said on Monday.",
    "The coach said the squad had trained for {n} days in {city} before the final.",
    "Drones filmed the crowd of {k:,} fans as fireworks lit up the stadium in {city}.",
    "Television cameras caught the moment {player} was brought down inside the box.",
    "{team} fans were warned by police to arrive early because of road works near the ground.",
    "The referee reviewed the footage for almost two minutes before awarding the penalty.",
]
MARKETS = [
    "Shares in {firm} rose {p} percent after the company raised its full-year forecast.",
    "{firm} said quarterly revenue climbed to ${m} million, ahead of analysts' estimates.",
    "The central bank held its benchmark rate at {r} percent, citing sticky services inflation.",
    "Oil prices fell for a third session as traders weighed rising inventories in {city}.",
    "Analysts at a Zurich bank said the sell-off had been driven by profit-taking rather than fundamentals.",
    "{firm} agreed a ${m} million contract to supply a new plant near {city}, the firm said.",
]
WEATHER = [
    "Forecasters expect up to {n} centimetres of rain across the coast of {city} by Thursday.",
    "Temperatures in {city} reached {t} degrees, the highest reading for November since records began.",
    "Schools were closed as strong winds brought down trees and power lines north of {city}.",
    "The weather service said the storm would weaken as it moved inland over the weekend.",
]
POLITICS = [
    "The opposition leader said the budget would hurt families in {city} and called for a vote of confidence.",
    "Parliament passed the pensions bill by {n} votes after a debate that ran past midnight.",
    "The foreign minister met her counterpart in {city} to discuss trade and fishing rights.",
    "Turnout in the regional election was {p} percent, the electoral commission said.",
    "Protesters marched through central {city}; police said the march was largely peaceful.",
]
CONSUMER_TECH = [
    "{brand}'s {phone} has a 50-megapixel main camera and a new telephoto lens for night shots.",
    "{brand} sold {n} million phones in the third quarter, up {p} percent, research firm Canalys said.",
    "Reviewers praised the {phone}'s battery life and its in-display fingerprint sensor.",
    "{brand} said it had updated its privacy policy to explain how photos are backed up to the cloud.",
    "The {phone} goes on sale in {city} on Friday at a price of ${m}.",
    "Analysts expect {brand} to ship more foldable phones next year as prices fall.",
]
CRIME = [
    "A man was arrested after a break-in at a jewellery shop in {city}, police said.",
    "Police said two people were injured in a crash on the ring road and appealed for witnesses.",
    "The court heard that the defendant had sold counterfeit watches online for three years.",
    "Detectives are still searching for a stolen painting taken from a gallery in {city} last week.",
]
TOPICS = {"sport": SPORT, "markets": MARKETS, "weather": WEATHER, "politics": POLITICS,
          "consumer_tech": CONSUMER_TECH, "crime": CRIME}
TITLES = {"sport": "{team} edge {team2} in a tense derby", "markets": "{firm} shares move as results land",
          "weather": "Storm warning for {city}", "politics": "Budget row deepens in parliament",
          "consumer_tech": "{brand} {phone}: first look", "crime": "Arrest after break-in in {city}"}


def _fill(template: str, rng: random.Random, story: dict[str, str]) -> str:
    """One sentence; ``story`` holds what stays the same through an article (its brand and phone, its teams)."""
    brand, phone, team, team2 = story["brand"], story["phone"], story["team"], story["team2"]
    return template.format(team=team, team2=team2, player=rng.choice(PLAYERS), city=rng.choice(CITIES),
                           firm=rng.choice(FIRMS), brand=brand, phone=phone, a=rng.randint(0, 4),
                           b=rng.randint(0, 3), n=rng.randint(3, 90), k=rng.randint(20, 90) * 1000,
                           p=rng.randint(2, 40), m=rng.randint(50, 900), r=round(rng.uniform(1, 6), 2),
                           t=rng.randint(24, 38))


def offtopic_article(rng: random.Random, topic: str | None = None, words: int = 500) -> tuple[str, str, str]:
    """(topic, title, text) of one off-topic story of about ``words`` words."""
    topic = topic or rng.choice(sorted(TOPICS))
    pool = TOPICS[topic]
    brand, phone = rng.choice(PHONES)
    team, team2 = rng.sample(TEAMS, 2)
    story = {"brand": brand, "phone": phone, "team": team, "team2": team2}
    paragraphs, n = [], 0
    while n < words:
        para = " ".join(_fill(rng.choice(pool), rng, story) for _ in range(rng.randint(3, 5)))
        paragraphs.append(para)
        n += len(para.split())
    return topic, _fill(TITLES[topic], rng, story), "\n\n".join(paragraphs)


def offtopic_corpus(n: int, seed: int = 11, words: int = 500) -> list[tuple[str, str, str]]:
    """n off-topic stories, the topics in turn (every topic equally represented)."""
    rng = random.Random(seed)
    topics = sorted(TOPICS)
    return [offtopic_article(rng, topics[i % len(topics)], words) for i in range(n)]
