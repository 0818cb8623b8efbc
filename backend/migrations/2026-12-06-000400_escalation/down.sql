DROP FUNCTION polku_live_api_client_scopes(uuid, uuid, timestamptz);

CREATE FUNCTION polku_live_api_client_scopes(organisation uuid, client uuid)
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
