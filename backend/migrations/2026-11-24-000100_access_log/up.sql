-- The access log (käyttöloki) and disclosure log (luovutusloki) as one append-only,
-- monthly-partitioned event table, hash-chained per organisation by a background sealer;
-- and the first client table, the data the log is about.

-- Clients: the core that the client-registry issue extends.
CREATE TABLE clients (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    unit_id uuid NOT NULL,
    first_names text NOT NULL CHECK (length(btrim(first_names)) BETWEEN 1 AND 200),
    last_name text NOT NULL CHECK (length(btrim(last_name)) BETWEEN 1 AND 200),
    language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en', 'other')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    FOREIGN KEY (organisation_id, unit_id) REFERENCES units (organisation_id, id)
);
CREATE INDEX clients_org_unit ON clients (organisation_id, unit_id, id);
CREATE INDEX clients_org_name ON clients (organisation_id, lower(last_name), lower(first_names), id);
ALTER TABLE clients ENABLE ROW LEVEL SECURITY;
ALTER TABLE clients FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON clients USING (organisation_id = polku_current_organisation());
CREATE TRIGGER clients_touch BEFORE UPDATE ON clients
    FOR EACH ROW EXECUTE FUNCTION polku_touch_updated_at();
GRANT SELECT, INSERT, UPDATE ON clients TO polku_app;

-- More distinct clients opened by one user in a day than this shows in the report of
-- unusual access.
ALTER TABLE organisations ADD COLUMN unusual_access_daily_clients integer NOT NULL DEFAULT 40
    CHECK (unusual_access_daily_clients BETWEEN 1 AND 10000);

-- Maintenance (the sealer, `polku audit verify`) walks every organisation's chain: it may
-- list organisations when it says so. This shows organisation rows only, never client
-- data, and grants nothing the runtime role could not already reach by naming a tenant.
CREATE POLICY maintenance_list ON organisations FOR SELECT
    USING (current_setting('polku.maintenance', true) = 'on');

-- The event table. `txid` is the inserting transaction: the sealer chains only events of
-- transactions older than every running one, so a late commit is never skipped.
ALTER TABLE audit_events RENAME TO audit_events_v1;
ALTER TABLE audit_events_v1 RENAME CONSTRAINT audit_events_pkey TO audit_events_v1_pkey;
ALTER INDEX audit_events_org_time RENAME TO audit_events_v1_org_time;
ALTER TABLE audit_events_v1 NO FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_events_v1 DISABLE ROW LEVEL SECURITY;

CREATE TABLE audit_events (
    id uuid NOT NULL,
    organisation_id uuid,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    txid bigint NOT NULL DEFAULT txid_current(),
    category text NOT NULL CHECK (category IN ('auth', 'admin', 'client', 'disclosure', 'audit')),
    action text NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    actor_user_id uuid,
    actor_api_client_id uuid,
    subject_user_id uuid,
    subject_id uuid,
    -- Clients whose data the event touched (a list read names every client shown).
    client_ids uuid[] NOT NULL DEFAULT '{}',
    resource_type text,
    resource_ids uuid[] NOT NULL DEFAULT '{}',
    -- Names of the fields touched, never their values.
    fields text[] NOT NULL DEFAULT '{}',
    -- The stated reason for reading another unit's client.
    reason text CHECK (length(reason) <= 500),
    -- Disclosures: to whom, on what basis (a law or a consent), which categories of data.
    recipient text CHECK (length(recipient) <= 300),
    legal_basis text CHECK (length(legal_basis) <= 500),
    consent_id uuid,
    data_categories text[] NOT NULL DEFAULT '{}',
    details jsonb NOT NULL DEFAULT '{}',
    request_id text,
    source_address text,
    user_agent text,
    PRIMARY KEY (id, occurred_at),
    CHECK (category NOT IN ('client', 'disclosure', 'audit') OR organisation_id IS NOT NULL),
    CHECK (category <> 'client'
           OR (action IN ('read', 'create', 'update', 'delete', 'export', 'print', 'reveal')
               AND cardinality(client_ids) > 0 AND resource_type IS NOT NULL)),
    CHECK (category <> 'disclosure'
           OR (action = 'disclose' AND recipient IS NOT NULL AND cardinality(client_ids) > 0
               AND (legal_basis IS NOT NULL OR consent_id IS NOT NULL)
               AND cardinality(data_categories) > 0))
) PARTITION BY RANGE (occurred_at);

CREATE INDEX audit_events_chain ON audit_events (organisation_id, txid, id);
CREATE INDEX audit_events_org_time ON audit_events (organisation_id, occurred_at, id);
CREATE INDEX audit_events_actor ON audit_events (organisation_id, actor_user_id, occurred_at)
    WHERE actor_user_id IS NOT NULL;
CREATE INDEX audit_events_clients ON audit_events USING gin (client_ids)
    WHERE cardinality(client_ids) > 0;

-- One row per sealed batch: the event ids in chain order, each event's hash
-- (sha256(previous hash || event content)), and where the sealer got to.
CREATE TABLE audit_seals (
    organisation_id uuid NOT NULL,
    seq bigint NOT NULL CHECK (seq >= 1),
    -- The month of the events it seals (one month per seal, so retention drops both).
    period date NOT NULL CHECK (period = date_trunc('month', period)::date),
    sealed_at timestamptz NOT NULL DEFAULT now(),
    prev_hash bytea NOT NULL CHECK (length(prev_hash) = 32),
    event_ids uuid[] NOT NULL,
    event_hashes bytea[] NOT NULL,
    cursor_txid bigint NOT NULL,
    cursor_id uuid NOT NULL,
    PRIMARY KEY (organisation_id, seq, period),
    CHECK (cardinality(event_ids) >= 1 AND cardinality(event_ids) = cardinality(event_hashes))
) PARTITION BY RANGE (period);

-- Creates the monthly partitions of both log tables for every month in [first, last].
-- Owner only; instances starting together take turns.
CREATE FUNCTION polku_audit_ensure_partitions(first date, last date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    month date := date_trunc('month', first)::date;
    created integer := 0;
    suffix text;
BEGIN
    PERFORM pg_advisory_xact_lock(7368023, 1);
    WHILE month <= last LOOP
        suffix := to_char(month, 'YYYY_MM');
        IF to_regclass('audit_events_' || suffix) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
                           'audit_events_' || suffix, month::text || ' 00:00:00+00',
                           (month + interval '1 month')::date::text || ' 00:00:00+00');
            created := created + 1;
        END IF;
        IF to_regclass('audit_seals_' || suffix) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_seals FOR VALUES FROM (%L) TO (%L)',
                           'audit_seals_' || suffix, month, (month + interval '1 month')::date);
            created := created + 1;
        END IF;
        month := (month + interval '1 month')::date;
    END LOOP;
    RETURN created;
END;
$$;

-- Drops the partitions of months that ended before `cutoff` (retention). Owner only.
CREATE FUNCTION polku_audit_drop_partitions_before(cutoff date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    part record;
    dropped integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(7368023, 1);
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname IN ('audit_events', 'audit_seals')
          AND c.relname ~ '_\d{4}_\d{2}$'
          AND (to_date(right(c.relname, 7), 'YYYY_MM') + interval '1 month')::date <= cutoff
    LOOP
        EXECUTE format('DROP TABLE %I', part.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END;
$$;

-- Partitions for the history already logged and the months ahead (the server keeps
-- creating them a year ahead).
SELECT polku_audit_ensure_partitions(
    LEAST((SELECT min(occurred_at) FROM audit_events_v1), now())::date,
    (now() + interval '12 months')::date);

INSERT INTO audit_events (id, organisation_id, occurred_at, category, action, actor_user_id,
                          actor_api_client_id, subject_user_id, subject_id, details, request_id,
                          source_address, user_agent)
SELECT id, organisation_id, occurred_at, category, action, actor_user_id, actor_api_client_id,
       subject_user_id, subject_id, details, request_id, source_address, user_agent
FROM audit_events_v1;
DROP TABLE audit_events_v1;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION polku_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION polku_refuse_change();
CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals
    FOR EACH ROW EXECUTE FUNCTION polku_refuse_change();
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
    FOR EACH STATEMENT EXECUTE FUNCTION polku_refuse_change();

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON audit_events USING (organisation_id = polku_current_organisation());
-- Failed logins of unknown names have no organisation; they are written without one.
CREATE POLICY anonymous_auth_insert ON audit_events FOR INSERT
    WITH CHECK (organisation_id IS NULL AND category = 'auth');
ALTER TABLE audit_seals ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_seals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON audit_seals USING (organisation_id = polku_current_organisation());

GRANT SELECT, INSERT ON audit_events, audit_seals TO polku_app;
