DROP TABLE audit_events, login_throttle, api_clients, recovery_codes, password_tokens, refresh_tokens,
    sessions, login_directory, user_units, users, units, organisations;
DROP FUNCTION polku_refuse_change();
DROP FUNCTION polku_current_organisation();
