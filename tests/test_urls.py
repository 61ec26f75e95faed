from flows.urls import canonical_url, item_id


def test_tracking_params_and_fragment_removed():
    a = canonical_url("HTTP://Example.COM:80/news/story.html?utm_source=rss&utm_medium=feed&fbclid=abc#comments")
    assert a == "http://example.com/news/story.html"


def test_meaningful_query_kept_and_sorted():
    assert canonical_url("https://x.org/read?story=42&utm_campaign=z&page=2") == "https://x.org/read?page=2&story=42"
    assert canonical_url("https://x.org/read?story=42") != canonical_url("https://x.org/read?story=43")


def test_same_article_same_id():
    assert item_id(canonical_url("https://x.org/a?utm_source=t")) == item_id(canonical_url("https://X.org/a#top"))


def test_empty_url():
    assert canonical_url("  ") == ""
