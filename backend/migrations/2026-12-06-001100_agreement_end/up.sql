-- A signed agreement is ended on a date, for a reason (the client moved, the workplace
-- closed, the period ended early). Agreements ended before this have neither.
ALTER TABLE period_agreements
    ADD COLUMN ended_on date,
    ADD COLUMN end_reason text CHECK (length(end_reason) BETWEEN 1 AND 500),
    ADD CONSTRAINT period_agreements_end_when_ended
        CHECK ((ended_on IS NULL AND end_reason IS NULL) OR state = 'ended'),
    ADD CONSTRAINT period_agreements_end_after_signing CHECK (ended_on >= signed_on);
