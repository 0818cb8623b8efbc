ALTER TABLE period_agreements
    DROP CONSTRAINT period_agreements_end_after_signing,
    DROP CONSTRAINT period_agreements_end_when_ended,
    DROP COLUMN end_reason,
    DROP COLUMN ended_on;
