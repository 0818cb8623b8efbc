-- The masks cut down stay cut (the hidden characters are not in the mask any more).
DROP INDEX IF EXISTS audit_events_lookups;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_client_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_client_check CHECK (
    category <> 'client'
    OR (action IN ('read', 'create', 'update', 'delete', 'export', 'print', 'reveal')
        AND cardinality(client_ids) > 0 AND resource_type IS NOT NULL));
