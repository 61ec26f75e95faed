-- 003: the weekly digest's send log (flows/digest.py, `survwatch digest`).
-- One row per send attempt. A week counts as sent when it has a row with status sent or sending
-- (sending = an attempt that never finished: it may or may not have been delivered, so it is not
-- repeated without --force). Dry runs are not recorded.

CREATE TABLE digests (
    message_id      VARCHAR PRIMARY KEY,
    week            VARCHAR NOT NULL,
    week_start      DATE NOT NULL,
    status          VARCHAR NOT NULL,
    forced          BOOLEAN NOT NULL,
    started_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    recipients      VARCHAR[] NOT NULL,
    subject         VARCHAR NOT NULL,
    articles        INTEGER NOT NULL,
    outlets         INTEGER NOT NULL,
    stories         INTEGER NOT NULL,
    deals           INTEGER NOT NULL,
    new_pairs       INTEGER NOT NULL,
    new_claims      INTEGER NOT NULL,
    spreading_claims INTEGER NOT NULL,
    conflicts       INTEGER NOT NULL,
    reference_disagreements INTEGER NOT NULL,
    feeds_failing   INTEGER NOT NULL,
    error           VARCHAR
);
COMMENT ON TABLE digests IS 'Weekly digest emails: one row per send attempt (survwatch digest / flow weekly_digest). A week is not sent again while it has a row with status sent or sending, unless --force. Counts are those shown in the digest.';
COMMENT ON COLUMN digests.message_id IS 'Message-ID header of the email, <...@domain of the sender address>.';
COMMENT ON COLUMN digests.week IS 'ISO week of the digest, YYYY-Www (articles counted by items.first_seen_at in that week).';
COMMENT ON COLUMN digests.week_start IS 'Monday of that ISO week.';
COMMENT ON COLUMN digests.status IS 'sending (recorded before the SMTP transaction; stays so if the process died during it) | sent (the SMTP server accepted it) | failed (SMTP error, nothing accepted; see error).';
COMMENT ON COLUMN digests.forced IS 'TRUE when sent with --force although the week had been sent already.';
COMMENT ON COLUMN digests.started_at IS 'When the send attempt started, UTC.';
COMMENT ON COLUMN digests.sent_at IS 'When the SMTP server accepted the message, UTC; NULL unless status = sent.';
COMMENT ON COLUMN digests.recipients IS 'Envelope recipients (the To addresses).';
COMMENT ON COLUMN digests.subject IS 'Subject line (built from the week and counts only).';
COMMENT ON COLUMN digests.articles IS 'Articles first seen in the week.';
COMMENT ON COLUMN digests.outlets IS 'Distinct outlets (articles.outlet) among them.';
COMMENT ON COLUMN digests.stories IS 'Distinct story clusters (articles.cluster_id) among them: syndicated copies count once.';
COMMENT ON COLUMN digests.deals IS 'Distinct (vendor, country, kind) deals asserted by articles first seen in the week.';
COMMENT ON COLUMN digests.new_pairs IS 'Vendor -> country pairs linked by a deal for the first time in the week.';
COMMENT ON COLUMN digests.new_claims IS 'Distinct claims (per story cluster) in articles first seen in the week.';
COMMENT ON COLUMN digests.spreading_claims IS 'Claim groups (claim_spread) carried by 2 or more outlets that gained an article in the week.';
COMMENT ON COLUMN digests.conflicts IS 'Conflicting claim pairs (claim_conflicts) with a side that gained an article in the week.';
COMMENT ON COLUMN digests.reference_disagreements IS 'Claims of the week that disagree with reference_stats (claim_checks status inconsistent).';
COMMENT ON COLUMN digests.feeds_failing IS 'Feeds with status failing in feed_health when the digest was built.';
COMMENT ON COLUMN digests.error IS 'SMTP error when status = failed.';
