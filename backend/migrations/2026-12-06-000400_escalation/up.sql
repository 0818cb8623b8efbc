-- Issue 17 §6: a token minted with an API client's secret stops working when the secret
-- rotates. The token carries the time its secret was issued; the client must still have
-- that secret (rotated no later than it).
DROP FUNCTION polku_live_api_client_scopes(uuid, uuid);

CREATE FUNCTION polku_live_api_client_scopes(organisation uuid, client uuid, minted_against timestamptz)
RETURNS text[]
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    granted text[];
BEGIN
    PERFORM set_config('polku.organisation_id', organisation::text, true);
    -- The access log's events of this transaction name the client found live here
    -- (see polku_audit_stamp).
    PERFORM set_config('polku.session_user_id', '', true);
    PERFORM set_config('polku.session_api_client_id', '', true);
    SELECT c.scopes INTO granted FROM api_clients c
    WHERE c.id = client AND c.revoked_at IS NULL AND c.secret_rotated_at <= minted_against;
    IF granted IS NOT NULL THEN
        PERFORM set_config('polku.session_api_client_id', client::text, true);
    END IF;
    RETURN granted;
END;
$$;
