-- The per-request check that a session (or API client) is still live, as one statement:
-- it sets the tenant for its own implicit transaction and reads under row-level security
-- as the caller (SECURITY INVOKER), so a request needs no extra BEGIN/COMMIT for it. Each
-- returns a single value, so the app can call it as a cached prepared statement.

CREATE TYPE polku_session_grants AS (roles text[], unit_ids uuid[]);

CREATE FUNCTION polku_live_session(organisation uuid, session uuid, person uuid)
RETURNS polku_session_grants
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    grants polku_session_grants;
BEGIN
    PERFORM set_config('polku.organisation_id', organisation::text, true);
    SELECT u.roles, ARRAY(SELECT uu.unit_id FROM user_units uu WHERE uu.user_id = u.id)
    INTO grants
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = session AND s.user_id = person AND s.revoked_at IS NULL
      AND s.expires_at > now() AND s.idle_expires_at > now() AND u.deactivated_at IS NULL;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    RETURN grants;
END;
$$;

CREATE FUNCTION polku_live_api_client_scopes(organisation uuid, client uuid)
RETURNS text[]
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    granted text[];
BEGIN
    PERFORM set_config('polku.organisation_id', organisation::text, true);
    SELECT c.scopes INTO granted FROM api_clients c WHERE c.id = client AND c.revoked_at IS NULL;
    RETURN granted;
END;
$$;
