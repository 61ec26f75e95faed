-- 005: periodic warehouse maintenance done by the nightly ingest (flows/ingest.py), e.g. rewriting the
-- keyword index sorted by term once a week (warehouse.search.compact_index).

CREATE TABLE maintenance (
    task            VARCHAR PRIMARY KEY,
    last_done_at    TIMESTAMP NOT NULL,
    seconds         DOUBLE NOT NULL,
    run_id          VARCHAR
);
COMMENT ON TABLE maintenance IS 'Periodic maintenance tasks of the nightly ingest: when each last ran and how long it took. A task runs again when SURVWATCH_COMPACT_EVERY_DAYS (or its own interval) has passed.';
COMMENT ON COLUMN maintenance.task IS 'Task name, e.g. compact_search_index (search_terms rewritten sorted by term so lookups skip row groups).';
COMMENT ON COLUMN maintenance.last_done_at IS 'When the task last finished (UTC).';
COMMENT ON COLUMN maintenance.seconds IS 'How long it took, in seconds.';
COMMENT ON COLUMN maintenance.run_id IS 'The run (runs.run_id) that did it.';
