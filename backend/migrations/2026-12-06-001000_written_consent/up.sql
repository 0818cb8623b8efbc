-- Polku's privacy statement and consent form promise that nothing is disclosed without the
-- client's written consent. A verbal consent never authorises a disclosure; an electronic
-- one (a signed message through a secure channel) does only where the organisation has
-- decided that its electronic consents count as written. Off until someone decides so.
ALTER TABLE organisations ADD COLUMN electronic_consent_is_written boolean NOT NULL DEFAULT false;
