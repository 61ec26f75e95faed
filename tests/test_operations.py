import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.deployments import build_deployments
from flows.settings import Settings


def test_schedules_use_cron_and_time_zone(tmp_path):
    deployments = {d.name: d for d in build_deployments(Settings(db=tmp_path / "w.duckdb", timezone="America/Guayaquil"))}
    nightly = deployments["nightly"]
    assert nightly.concurrency_limit == 1
    (schedule,) = nightly.schedules
    assert schedule.schedule.cron == "0 2 * * *" and schedule.schedule.timezone == "America/Guayaquil"
    assert nightly.parameters["db_path"].endswith("w.duckdb")
    if "weekly" in deployments:
        assert deployments["weekly"].schedules[0].schedule.cron == "0 7 * * 1"


def test_bad_time_zone_is_a_clear_error():
    with pytest.raises(ValueError, match="IANA"):
        Settings(timezone="Mars/Olympus")


def test_serve_dry_run_prints_schedules():
    result = CliRunner().invoke(app, ["serve", "--dry-run", "--timezone", "Europe/Berlin"])
    assert result.exit_code == 0, result.output
    assert "nightly_ingest/nightly: 0 2 * * * (Europe/Berlin)" in result.output


def test_missing_feed_list_is_a_message_not_a_traceback(tmp_path):
    result = CliRunner().invoke(app, ["run", "--feeds", str(tmp_path / "nope.opml"), "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 1
    assert "feed list" in result.output and "Traceback" not in result.output
