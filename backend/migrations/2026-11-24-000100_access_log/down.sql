DROP TABLE audit_seals;
DROP TABLE audit_events;
DROP FUNCTION polku_audit_drop_partitions_before(date);
DROP FUNCTION polku_audit_ensure_partitions(date, date);
DROP POLICY maintenance_list ON organisations;
DROP TABLE clients;
ALTER TABLE organisations DROP COLUMN unusual_access_daily_clients;
CREATE TABLE audit_events (
    id uuid PRIMARY KEY,
    organisation_id uuid,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    category text NOT NULL CHECK (category IN ('auth', 'admin')),
    action text NOT NULL,
    actor_user_id uuid,
    actor_api_client_id uuid,
    subject_user_id uuid,
    subject_id uuid,
    details jsonb NOT NULL DEFAULT '{}',
    request_id text,
    source_address text,
    user_agent text
);
CREATE INDEX audit_events_org_time ON audit_events (organisation_id, occurred_at);
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION polku_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION polku_refuse_change();
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON audit_events USING (organisation_id = polku_current_organisation());
CREATE POLICY anonymous_auth_insert ON audit_events FOR INSERT
    WITH CHECK (organisation_id IS NULL AND category = 'auth');
GRANT SELECT, INSERT ON audit_events TO polku_app;
