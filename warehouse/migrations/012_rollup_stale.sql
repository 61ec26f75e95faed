-- 012: weekly and monthly rollup buckets, and claim-group partitions, waiting to be recomputed. A run's index stage (warehouse.search.index_pending)
-- indexes its articles in chunks and marks the weeks and months they fall in, and the claim-group partitions their
-- claims touch, in the same transaction; then it recomputes each marked bucket once, in a transaction of its own
-- that also clears the mark. Recomputing them with every chunk instead reread a whole busy week or month, and every
-- claim of a partition, per chunk (a 100,000-article backfill dated in one month did so for every chunk, and ran
-- out of memory under a 96 MB DuckDB limit recomputing its claim groups). A run killed in between leaves the marks, and the next run's index stage finishes them.

CREATE TABLE rollup_stale (
    rollup VARCHAR NOT NULL,
    bucket_start DATE NOT NULL,
    marked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (rollup, bucket_start)
);
COMMENT ON TABLE rollup_stale IS 'Rollup buckets marked for recomputation by the index stage of a run (warehouse.search.index_pending) and cleared when recomputed; rows left here mean rollup_entity_weeks / rollup_vendor_country_months lag the base tables for those weeks/months until the next run (or warehouse.search.refresh_stale_rollups).';
COMMENT ON COLUMN rollup_stale.rollup IS 'week (a rollup_entity_weeks week) | month (a rollup_vendor_country_months month).';
COMMENT ON COLUMN rollup_stale.bucket_start IS 'Monday of the ISO week, or first day of the month, of the articles'' date (coalesce(articles.dated_at, items.first_seen_at)).';
COMMENT ON COLUMN rollup_stale.marked_at IS 'When the bucket was first marked (UTC).';

CREATE TABLE rollup_stale_partitions (
    metric_family VARCHAR NOT NULL,
    place VARCHAR,
    unit VARCHAR,
    direction VARCHAR,
    marked_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE rollup_stale_partitions IS 'Claim-group partitions (metric family, place, unit, direction; see rollup_claim_groups) marked for recomputation by the index stage of a run and cleared when recomputed; rows left here mean claim_spread lags the base tables for those partitions until the next run (or warehouse.search.refresh_stale_rollups).';
COMMENT ON COLUMN rollup_stale_partitions.metric_family IS 'metric_family_map.metric_family of the claims.';
COMMENT ON COLUMN rollup_stale_partitions.place IS 'claims.place (ISO2), NULL for claims without a place.';
COMMENT ON COLUMN rollup_stale_partitions.unit IS 'claims.unit, NULL when none.';
COMMENT ON COLUMN rollup_stale_partitions.direction IS 'claims.direction, NULL when none.';
COMMENT ON COLUMN rollup_stale_partitions.marked_at IS 'When the partition was first marked (UTC).';
