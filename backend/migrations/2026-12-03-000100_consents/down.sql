DROP TABLE consent_withdrawals;
DROP FUNCTION polku_consent_withdrawn();
DROP TABLE consents;
DROP FUNCTION polku_consent_recorded();
