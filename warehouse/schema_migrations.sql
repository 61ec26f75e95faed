CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        VARCHAR NOT NULL,
    applied_at  TIMESTAMP NOT NULL
);
COMMENT ON TABLE schema_migrations IS 'Applied schema migrations (warehouse/migrations/NNN_name.sql), one row each.';
COMMENT ON COLUMN schema_migrations.version IS 'Migration number NNN.';
COMMENT ON COLUMN schema_migrations.name IS 'Migration file name without number and extension.';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When applied, UTC.';
