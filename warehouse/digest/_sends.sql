-- Named statements for the digests table (the send log, migration 003), used by warehouse/digest.py.
-- Files starting with "_" are not digest sections.

-- name: digest_sends_for_week
-- Attempts that count as sent (sent, or sending = never finished, maybe delivered), newest first.
SELECT message_id, week, status, started_at, sent_at, recipients, subject, error
FROM digests
WHERE week = $week AND status IN ('sent', 'sending')
ORDER BY started_at DESC;

-- name: digest_reserve
-- Record an attempt before the SMTP transaction starts (status sending).
INSERT INTO digests (message_id, week, week_start, status, forced, started_at, sent_at, recipients, subject,
                     articles, outlets, stories, deals, new_pairs, new_claims, spreading_claims, conflicts,
                     reference_disagreements, feeds_failing, error)
VALUES ($message_id, $week, $week_start, 'sending', $forced, $started_at, NULL, $recipients, $subject,
        $articles, $outlets, $stories, $deals, $new_pairs, $new_claims, $spreading_claims, $conflicts,
        $reference_disagreements, $feeds_failing, NULL);

-- name: digest_finish
-- Outcome of an attempt: sent (with sent_at), failed (nothing accepted) or sending (outcome unknown).
UPDATE digests SET status = $status, sent_at = $sent_at, error = $error WHERE message_id = $message_id;
