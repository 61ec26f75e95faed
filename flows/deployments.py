"""Prefect deployments: what `survwatch serve` serves and what prefect.yaml describes."""
from __future__ import annotations

from typing import Any

from prefect.schedules import Cron

from .settings import Settings

NIGHTLY_CRON = "0 2 * * *"  # 02:00 every day
WEEKLY_CRON = "0 7 * * 1"  # Mondays 07:00


def build_deployments(settings: Settings) -> list[Any]:
    """Deployments with cron schedules in the configured time zone. concurrency_limit=1 means a
    second ingest is queued by Prefect, never run beside the first (the warehouse lock would
    refuse it anyway, with a clear message)."""
    from .ingest import nightly_ingest

    deployments = [
        nightly_ingest.to_deployment(
            name="nightly",
            schedules=[Cron(NIGHTLY_CRON, timezone=settings.timezone)],
            concurrency_limit=1,
            parameters={"feeds_path": str(settings.feeds), "db_path": str(settings.db)},
            description="Fetch feeds and articles, tag, store, publish the warehouse.",
            tags=["survwatch"],
        )
    ]
    try:
        from .digest import weekly_digest
    except ImportError:
        return deployments
    deployments.append(
        weekly_digest.to_deployment(
            name="weekly",
            schedules=[Cron(WEEKLY_CRON, timezone=settings.timezone)],
            concurrency_limit=1,
            parameters={"db_path": str(settings.db)},
            description="Send the weekly digest email for the last complete ISO week.",
            tags=["survwatch"],
        )
    )
    return deployments
