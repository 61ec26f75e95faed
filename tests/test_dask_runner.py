"""SURVWATCH_TASK_RUNNER=dask: the real nightly_ingest with extract/tag batches as Prefect tasks on
a distributed.LocalCluster, compared with the default local worker pool on the same pages."""
from __future__ import annotations

import duckdb
import pytest

pytest.importorskip("prefect_dask")
distributed = pytest.importorskip("distributed")

from flows.dask_processing import DaskProcessor, make_dask_runner, make_processor  # noqa: E402
from flows.ingest import nightly_ingest  # noqa: E402
from flows.settings import Settings  # noqa: E402
from flows.workers import WorkerPool  # noqa: E402

pytestmark = pytest.mark.e2e


def _rows(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# What must not depend on where the CPU work ran (run ids and timestamps do).
SNAPSHOT = {
    "articles": "SELECT canonical_url, articles.title, content_hash, cluster_id IS NOT NULL FROM articles JOIN items USING (item_id) ORDER BY 1",
    "outcomes": "SELECT canonical_url, outcome, reason FROM outcomes JOIN items USING (item_id) ORDER BY 1",
    "mentions": "SELECT canonical_url, entity_type, entity, start_char FROM mentions JOIN items USING (item_id) ORDER BY ALL",
    "claims": "SELECT canonical_url, claim_no, value, unit, place FROM claims JOIN items USING (item_id) ORDER BY ALL",
    "deals": "SELECT canonical_url, vendor, country, kind FROM deals JOIN items USING (item_id) ORDER BY ALL",
}


def test_dask_runner_matches_local_workers(prefect_harness, sample_web, tmp_path):
    feeds = sample_web.write_feed_list(tmp_path / "feeds.opml")
    common = dict(allowed_hosts=sample_web.host_port, batch_size=8, per_host_delay=0,
                  request_deadline=15, read_timeout=10)
    local = Settings(db=tmp_path / "local.duckdb", **common)
    dask = Settings(db=tmp_path / "dask.duckdb", task_runner="dask", workers=2, **common)

    r_local = nightly_ingest(str(feeds), str(local.db), local)
    r_dask = nightly_ingest(str(feeds), str(dask.db), dask)

    assert r_dask["run"]["status"] == "completed"
    assert r_dask["run"]["stored"] == r_local["run"]["stored"] >= 15
    for name, sql in SNAPSHOT.items():
        a, b = _rows(local.db, sql), _rows(dask.db, sql)
        assert a, name
        assert a == b, f"{name} differ between the local pool and Dask"
    # the batches really were Prefect task runs on Dask
    # (the harness's API records them under the task name of flows.dask_processing)
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterName

    async def names():
        async with get_client() as client:
            runs = await client.read_task_runs(
                task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_="extract-tag-dask-")))
            return [(r.name, r.state_type.value) for r in runs]

    import asyncio

    dask_runs = asyncio.run(names())
    batches = -(-r_dask["run"]["items_new"] // dask.batch_size)
    assert len(dask_runs) == batches  # one task per batch: no page-by-page fallback was needed
    assert all(state == "COMPLETED" for _, state in dask_runs)


def test_processor_follows_the_setting(tmp_path):
    assert isinstance(make_processor(Settings(db=tmp_path / "a.duckdb")), WorkerPool)
    proc = make_processor(Settings(db=tmp_path / "a.duckdb", task_runner="dask"))
    assert isinstance(proc, DaskProcessor) and not proc.started


def test_dask_runner_settings():
    # an existing cluster is reached by address and nothing local is started
    r = make_dask_runner(Settings(task_runner="dask", dask_address="tcp://10.1.2.3:8786"))
    assert r.address == "tcp://10.1.2.3:8786" and r.cluster_class is None
    # the default local cluster: one single-threaded process per worker, memory capped per worker
    r = make_dask_runner(Settings(task_runner="dask", workers=3, worker_memory_mb=2048))
    assert r.cluster_kwargs["n_workers"] == 3 and r.cluster_kwargs["threads_per_worker"] == 1
    assert r.cluster_kwargs["memory_limit"] == "2048MiB"
    # a user's cluster class with its own arguments, e.g. from SURVWATCH_DASK_CLUSTER_KWARGS JSON
    r = make_dask_runner(Settings(task_runner="dask", dask_cluster_class="distributed.LocalCluster",
                                  dask_cluster_kwargs={"n_workers": 1}))
    assert r.cluster_kwargs == {"n_workers": 1}


def test_bad_runner_name_is_a_clear_error():
    with pytest.raises(ValueError, match="task_runner"):
        Settings(task_runner="kubernetes")


def test_a_failing_page_fails_alone_on_dask(prefect_harness, tmp_path):
    """A batch whose task raises is retried page by page on the cluster: only the culprit fails."""
    from flows.fetch import FetchResult
    from flows.urls import item_id

    body = ("<html><head><title>Cameras</title></head><body><article><h1>Cameras</h1>"
            + "<p>The city council in Harare approved a contract for new street cameras supplied by Hikvision, "
              "officials said on Tuesday after a long debate about privacy and cost.</p>" * 6
            + "</article></body></html>").encode()
    items, pages = [], []
    for n in range(3):
        url = f"http://news.example/{n}"
        items.append({"item_id": item_id(url), "url": url, "canonical_url": url, "title": f"t{n}", "summary": "",
                      "published_at": None, "feed_id": 1})
        pages.append(FetchResult(url=url, final_url=url, status=200, headers={"content-type": "text/html"}, body=body))
    pages[1].headers = None  # breaks build_article outside its own error handling: the task raises

    @__import__("prefect").flow
    def run():
        proc = DaskProcessor(Settings(db=tmp_path / "x.duckdb", task_runner="dask", workers=1,
                                      worker_memory_mb=0, min_article_words=20))
        try:
            return proc.run(items, pages)
        finally:
            proc.close()

    results = run()
    assert [r.outcome for r in results] == ["stored", "failed", "stored"]
    assert results[1].reason == "extract_error" and "http://news.example/1" in results[1].detail
    assert "Hikvision" in results[0].tags["vendors"]
