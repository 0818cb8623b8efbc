-- The access log against its owner and its runtime role (issue 17).
--
-- - Sealing goes through polku_audit_seal(), a SECURITY DEFINER function owned by the
--   NOLOGIN role polku_sealer: its fixed body picks the next events itself (the
--   transaction-horizon rule), splits them by month and stores the seals; the runtime
--   role may no longer insert into audit_seals. The hashes are HMAC-SHA256 with a key the
--   database never sees (computed by the server, checked by `polku audit verify`).
-- - No setting widens the runtime role's view: the `polku.maintenance` policy is gone;
--   listing organisations for the sealer is a function bound to polku_sealer.
-- - Every partition of both log tables refuses TRUNCATE (the parent's statement trigger
--   does not reach a partition truncated by name); UPDATE and DELETE row triggers are
--   cloned to every partition by PostgreSQL. New partitions get the same.
-- - An event's time, transaction and (in a request's transaction) actor come from the
--   database session, whatever the application sends.
-- - Retention records a keyed "retention seal" per organisation before dropping months,
--   so verify knows where the chain legitimately begins.
--
-- polku_sealer is created with the other roles (db::ensure_roles, deploy/postgres, the
-- README), and polku_owner is a member of it so that it can hand functions over.

DROP POLICY maintenance_list ON organisations;

REVOKE INSERT ON audit_seals FROM polku_app;

-- Seals made before this migration were unkeyed SHA-256; every later one is keyed.
ALTER TABLE audit_seals ADD COLUMN keyed boolean NOT NULL DEFAULT false;
ALTER TABLE audit_seals ALTER COLUMN keyed SET DEFAULT true;

-- Where the chain of an organisation resumes after retention dropped its oldest months:
-- `seq` is the last seal dropped, `last_hash` its last event's hash and the cursor its
-- last event. `mac` = HMAC(audit key, all of these), so only the key's holder records one.
CREATE TABLE audit_retention_seals (
    organisation_id uuid NOT NULL,
    seq bigint NOT NULL CHECK (seq >= 1),
    last_hash bytea NOT NULL CHECK (length(last_hash) = 32),
    cursor_txid bigint NOT NULL,
    cursor_id uuid NOT NULL,
    dropped_before date NOT NULL CHECK (dropped_before = date_trunc('month', dropped_before)::date),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    mac bytea NOT NULL CHECK (length(mac) = 32),
    PRIMARY KEY (organisation_id, seq)
);
ALTER TABLE audit_retention_seals ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_retention_seals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON audit_retention_seals FOR SELECT
    USING (organisation_id = polku_current_organisation());
CREATE TRIGGER audit_retention_seals_append_only BEFORE UPDATE OR DELETE ON audit_retention_seals
    FOR EACH ROW EXECUTE FUNCTION polku_refuse_change();
CREATE TRIGGER audit_retention_seals_no_truncate BEFORE TRUNCATE ON audit_retention_seals
    FOR EACH STATEMENT EXECUTE FUNCTION polku_refuse_change();
GRANT SELECT ON audit_retention_seals TO polku_app;

-- What the sealer may see and write (policies bound to the role, not to a setting).
CREATE POLICY sealer ON organisations FOR SELECT TO polku_sealer USING (true);
CREATE POLICY sealer ON audit_events FOR SELECT TO polku_sealer USING (true);
CREATE POLICY sealer_read ON audit_seals FOR SELECT TO polku_sealer USING (true);
CREATE POLICY sealer_write ON audit_seals FOR INSERT TO polku_sealer WITH CHECK (true);
CREATE POLICY sealer_read ON audit_retention_seals FOR SELECT TO polku_sealer USING (true);
CREATE POLICY sealer_write ON audit_retention_seals FOR INSERT TO polku_sealer WITH CHECK (true);
GRANT SELECT ON organisations, audit_events TO polku_sealer;
GRANT SELECT, INSERT ON audit_seals, audit_retention_seals TO polku_sealer;

-- The head of an organisation's chain: the latest seal, or the latest retention seal when
-- retention dropped every later one. Invoker's rights (the app reads it under its tenant).
CREATE FUNCTION polku_audit_head(organisation uuid)
RETURNS TABLE (seq bigint, last_hash bytea, cursor_txid bigint, cursor_id uuid)
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT head.* FROM (
        (SELECT s.seq, s.event_hashes[cardinality(s.event_hashes)], s.cursor_txid, s.cursor_id
         FROM audit_seals s WHERE s.organisation_id = organisation
         ORDER BY s.seq DESC LIMIT 1)
        UNION ALL
        (SELECT r.seq, r.last_hash, r.cursor_txid, r.cursor_id
         FROM audit_retention_seals r WHERE r.organisation_id = organisation
         ORDER BY r.seq DESC LIMIT 1)
    ) AS head (seq, last_hash, cursor_txid, cursor_id)
    ORDER BY head.seq DESC LIMIT 1
$$;

-- Seals the next events of `organisation`: the caller names them (in chain order) with
-- their keyed hashes; the function checks they are exactly the next events past the
-- head whose transactions have all ended, and stores one seal per month's run (returns
-- the new head's seq). The
-- caller cannot skip, reorder or invent events, move the cursor, or choose seq/period.
CREATE FUNCTION polku_audit_seal(organisation uuid, event_ids uuid[], event_hashes bytea[])
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    n integer := cardinality(event_ids);
    i integer := 0;
    horizon bigint;
    head_seq bigint;
    head_hash bytea;
    head_txid bigint;
    head_id uuid;
    seq bigint := 0;
    prev bytea := decode(repeat('00', 32), 'hex');
    ev record;
    month date;
    run_period date;
    run_prev bytea;
    run_ids uuid[];
    run_hashes bytea[];
    run_txid bigint;
    run_id uuid;
BEGIN
    IF organisation IS NULL OR n IS NULL OR n < 1 OR n > 5000
       OR cardinality(event_hashes) IS DISTINCT FROM n
       OR EXISTS (SELECT FROM unnest(event_hashes) AS h (hash) WHERE h.hash IS NULL OR length(h.hash) <> 32)
    THEN
        RAISE EXCEPTION 'a seal covers 1 to 5000 events, each with a 32-byte hash'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(7368024, hashtext(organisation::text));
    horizon := txid_snapshot_xmin(txid_current_snapshot());
    SELECT h.seq, h.last_hash, h.cursor_txid, h.cursor_id
    INTO head_seq, head_hash, head_txid, head_id
    FROM polku_audit_head(organisation) h;
    IF head_seq IS NOT NULL THEN
        seq := head_seq;
        prev := head_hash;
    END IF;
    FOR ev IN
        SELECT e.id, e.txid, e.occurred_at
        FROM audit_events e
        WHERE e.organisation_id = organisation AND e.txid < horizon
          AND (head_seq IS NULL OR (e.txid, e.id) > (head_txid, head_id))
        ORDER BY e.txid, e.id
        LIMIT n
    LOOP
        i := i + 1;
        IF ev.id IS DISTINCT FROM event_ids[i] THEN
            RAISE EXCEPTION 'event % is not the next one to seal', event_ids[i]
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        month := date_trunc('month', ev.occurred_at AT TIME ZONE 'UTC')::date;
        IF run_period IS DISTINCT FROM month THEN
            IF run_period IS NOT NULL THEN
                seq := seq + 1;
                INSERT INTO audit_seals (organisation_id, seq, period, prev_hash, event_ids,
                                         event_hashes, cursor_txid, cursor_id)
                VALUES (organisation, seq, run_period, run_prev, run_ids, run_hashes, run_txid, run_id);
            END IF;
            run_period := month;
            run_prev := prev;
            run_ids := '{}';
            run_hashes := '{}';
        END IF;
        run_ids := run_ids || ev.id;
        run_hashes := run_hashes || event_hashes[i];
        prev := event_hashes[i];
        run_txid := ev.txid;
        run_id := ev.id;
    END LOOP;
    IF i <> n THEN
        RAISE EXCEPTION 'only % of the % events named are ready to seal', i, n
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    seq := seq + 1;
    INSERT INTO audit_seals (organisation_id, seq, period, prev_hash, event_ids, event_hashes,
                             cursor_txid, cursor_id)
    VALUES (organisation, seq, run_period, run_prev, run_ids, run_hashes, run_txid, run_id);
    RETURN seq;
END;
$$;

-- Every organisation's id (ids only: no names, no settings), for the sealer and verify.
CREATE FUNCTION polku_audit_organisations() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT id FROM organisations ORDER BY id
$$;

-- For retention: per organisation, the last seal in the months before `cutoff` that no
-- retention seal covers yet (the chain will resume after it).
CREATE FUNCTION polku_audit_retention_heads(cutoff date)
RETURNS TABLE (organisation_id uuid, seq bigint, last_hash bytea, cursor_txid bigint, cursor_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT DISTINCT ON (s.organisation_id)
           s.organisation_id, s.seq, s.event_hashes[cardinality(s.event_hashes)], s.cursor_txid, s.cursor_id
    FROM audit_seals s
    WHERE s.period < cutoff
      AND NOT EXISTS (SELECT FROM audit_retention_seals r
                      WHERE r.organisation_id = s.organisation_id AND r.seq >= s.seq)
    ORDER BY s.organisation_id, s.seq DESC
$$;

CREATE FUNCTION polku_audit_record_retention(organisation uuid, seq bigint, last_hash bytea,
                                             cursor_txid bigint, cursor_id uuid,
                                             dropped_before date, mac bytea)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    INSERT INTO audit_retention_seals (organisation_id, seq, last_hash, cursor_txid, cursor_id,
                                       dropped_before, mac)
    VALUES (organisation, seq, last_hash, cursor_txid, cursor_id, dropped_before, mac)
$$;

-- Functions are executable by PUBLIC by default: grant each to whom it is for.
REVOKE ALL ON FUNCTION polku_audit_seal(uuid, uuid[], bytea[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION polku_audit_organisations() FROM PUBLIC;
REVOKE ALL ON FUNCTION polku_audit_retention_heads(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION polku_audit_record_retention(uuid, bigint, bytea, bigint, uuid, date, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION polku_audit_seal(uuid, uuid[], bytea[]) TO polku_app;
GRANT EXECUTE ON FUNCTION polku_audit_organisations() TO polku_app;
GRANT EXECUTE ON FUNCTION polku_audit_retention_heads(date) TO polku_owner;
GRANT EXECUTE ON FUNCTION polku_audit_record_retention(uuid, bigint, bytea, bigint, uuid, date, bytea) TO polku_owner;

-- Hand the definer functions to the sealer (which needs CREATE on the schema for that
-- moment only).
GRANT CREATE ON SCHEMA public TO polku_sealer;
ALTER FUNCTION polku_audit_seal(uuid, uuid[], bytea[]) OWNER TO polku_sealer;
ALTER FUNCTION polku_audit_organisations() OWNER TO polku_sealer;
ALTER FUNCTION polku_audit_retention_heads(date) OWNER TO polku_sealer;
ALTER FUNCTION polku_audit_record_retention(uuid, bigint, bytea, bigint, uuid, date, bytea) OWNER TO polku_sealer;
REVOKE CREATE ON SCHEMA public FROM polku_sealer;

-- Time, transaction and actor from the session. The actor is the one the request's
-- session check (polku_live_session / polku_live_api_client_scopes) found live in this
-- transaction; without one (logins, operator commands) the application's stands.
CREATE FUNCTION polku_audit_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    session_user_id uuid := NULLIF(current_setting('polku.session_user_id', true), '')::uuid;
    session_client_id uuid := NULLIF(current_setting('polku.session_api_client_id', true), '')::uuid;
BEGIN
    NEW.occurred_at := now();
    NEW.txid := txid_current();
    IF session_user_id IS NOT NULL THEN
        NEW.actor_user_id := session_user_id;
        NEW.actor_api_client_id := NULL;
    ELSIF session_client_id IS NOT NULL THEN
        NEW.actor_user_id := NULL;
        NEW.actor_api_client_id := session_client_id;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_events_stamp BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION polku_audit_stamp();

CREATE OR REPLACE FUNCTION polku_live_session(organisation uuid, session uuid, person uuid)
RETURNS polku_session_grants
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    grants polku_session_grants;
BEGIN
    PERFORM set_config('polku.organisation_id', organisation::text, true);
    PERFORM set_config('polku.session_api_client_id', '', true);
    PERFORM set_config('polku.session_user_id', '', true);
    SELECT u.roles, ARRAY(SELECT uu.unit_id FROM user_units uu WHERE uu.user_id = u.id)
    INTO grants
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = session AND s.user_id = person AND s.revoked_at IS NULL
      AND s.expires_at > now() AND s.idle_expires_at > now() AND u.deactivated_at IS NULL;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('polku.session_user_id', person::text, true);
    RETURN grants;
END;
$$;

CREATE OR REPLACE FUNCTION polku_live_api_client_scopes(organisation uuid, client uuid)
RETURNS text[]
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    granted text[];
BEGIN
    PERFORM set_config('polku.organisation_id', organisation::text, true);
    PERFORM set_config('polku.session_user_id', '', true);
    PERFORM set_config('polku.session_api_client_id', '', true);
    SELECT c.scopes INTO granted FROM api_clients c WHERE c.id = client AND c.revoked_at IS NULL;
    IF granted IS NOT NULL THEN
        PERFORM set_config('polku.session_api_client_id', client::text, true);
    END IF;
    RETURN granted;
END;
$$;

-- TRUNCATE refused on each partition, present and future.
CREATE FUNCTION polku_audit_protect_partition(partition text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger
                   WHERE tgrelid = partition::regclass AND tgname = 'audit_no_truncate') THEN
        EXECUTE format('CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION polku_refuse_change()', partition);
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION polku_audit_ensure_partitions(first date, last date) RETURNS integer
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
        PERFORM polku_audit_protect_partition('audit_events_' || suffix);
        IF to_regclass('audit_seals_' || suffix) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_seals FOR VALUES FROM (%L) TO (%L)',
                           'audit_seals_' || suffix, month, (month + interval '1 month')::date);
            created := created + 1;
        END IF;
        PERFORM polku_audit_protect_partition('audit_seals_' || suffix);
        month := (month + interval '1 month')::date;
    END LOOP;
    RETURN created;
END;
$$;

DO $$
DECLARE
    part record;
BEGIN
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname IN ('audit_events', 'audit_seals')
    LOOP
        PERFORM polku_audit_protect_partition(part.relname);
    END LOOP;
END;
$$;
