import time

import pytest

from flows.fetch import BlockedAddress, check_url, fetch, make_client

from .hostile_server import HostileServer


@pytest.fixture(scope="module")
def server():
    s = HostileServer()
    yield s
    s.close()


@pytest.fixture
def client():
    with make_client("survwatch-test", 2, 2) as c:
        yield c


def allowed(server):
    return frozenset({("127.0.0.1", server.port)})


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/x", "http://localhost:8080/", "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/", "http://192.168.1.1/", "http://172.16.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/", "http://127.1/",
    "file:///etc/passwd", "gopher://example.com/", "ftp://example.com/x",
])
def test_private_and_odd_targets_blocked(url):
    with pytest.raises(BlockedAddress):
        check_url(url)


def test_allow_list_is_per_port():
    check_url("http://127.0.0.1:8080/x", frozenset({("127.0.0.1", 8080)}))
    with pytest.raises(BlockedAddress):
        check_url("http://127.0.0.1:8081/x", frozenset({("127.0.0.1", 8080)}))


def test_ok_and_conditional_get(server, client):
    r = fetch(client, server.base + "/etag", max_bytes=10_000, deadline=5, allowed=allowed(server))
    assert r.ok and r.headers["etag"] == '"v1"'
    r2 = fetch(client, server.base + "/etag", max_bytes=10_000, deadline=5, allowed=allowed(server), etag='"v1"')
    assert r2.not_modified and not r2.error


def test_redirect_to_blocked_address_is_blocked(server, client):
    r = fetch(client, server.base + "/redirect-to?http://169.254.169.254/latest", max_bytes=10_000, deadline=5,
              allowed=allowed(server))
    assert r.error == "blocked_address"


def test_redirect_loop(server, client):
    r = fetch(client, server.base + "/loop", max_bytes=10_000, deadline=5, allowed=allowed(server), max_redirects=3)
    assert r.error == "too_many_redirects"


@pytest.mark.parametrize("path,error", [("/big-declared", "too_large"), ("/endless", "too_large"),
                                        ("/gzip-bomb", "too_large")])
def test_size_caps(server, client, path, error):
    r = fetch(client, server.base + path, max_bytes=1_000_000, deadline=20, allowed=allowed(server))
    assert r.error == error and r.body == b""


def test_slow_loris_hits_total_deadline(server, client):
    start = time.monotonic()
    r = fetch(client, server.base + "/slow-loris", max_bytes=1_000_000, deadline=1.5, allowed=allowed(server))
    assert r.error == "timeout" and r.transient
    assert time.monotonic() - start < 5


def test_silent_server_times_out(server):
    with make_client("t", 1, 1) as c:
        r = fetch(c, server.base + "/silent", max_bytes=1000, deadline=5, allowed=allowed(server))
    assert r.error == "timeout" and r.transient


def test_status_classification(server, client):
    a = allowed(server)
    assert fetch(client, server.base + "/500", max_bytes=1000, deadline=5, allowed=a).transient
    r429 = fetch(client, server.base + "/429", max_bytes=1000, deadline=5, allowed=a)
    assert r429.transient and r429.retry_after == 7
    r404 = fetch(client, server.base + "/404", max_bytes=1000, deadline=5, allowed=a)
    assert r404.error == "http_404" and not r404.transient


def test_connection_refused(client):
    from .hostile_server import free_port

    port = free_port()
    r = fetch(client, f"http://127.0.0.1:{port}/", max_bytes=1000, deadline=5,
              allowed=frozenset({("127.0.0.1", port)}))
    assert r.error == "connection_error" and r.transient


def test_unresolvable_name_is_a_transient_dns_error_not_the_address_guard(client, monkeypatch):
    import socket

    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    r = fetch(client, "http://feed.test/rss", max_bytes=10_000, deadline=5)
    assert (r.error, r.transient) == ("dns_error", True)
    assert "cannot resolve feed.test" in r.detail
