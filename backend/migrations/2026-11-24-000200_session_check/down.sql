DROP FUNCTION polku_live_api_client_scopes(uuid, uuid);
DROP FUNCTION polku_live_session(uuid, uuid, uuid);
DROP TYPE polku_session_grants;
