//! Access tokens (JWT, HS256) and opaque one-time secrets (refresh tokens, invitation
//! links, recovery codes, API client secrets), stored only as SHA-256 hashes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Issuer of every token.
pub const ISSUER: &str = "polku";
/// Audience of access tokens for the API.
pub const API_AUDIENCE: &str = "polku-api";
/// Audience of the short-lived token between password and second factor.
pub const MFA_AUDIENCE: &str = "polku-mfa";

/// Who an access token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A staff member, through a session.
    User,
    /// An integrator's API client.
    ApiClient,
}

/// Claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// Issuer (`polku`).
    pub iss: String,
    /// Audience (`polku-api` or `polku-mfa`).
    pub aud: String,
    /// User or API client id.
    pub sub: Uuid,
    /// Organisation id.
    pub org: Uuid,
    /// Kind of subject.
    pub kind: Subject,
    /// Session id (users only), checked as live on every request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
    /// Space-separated scopes granted to this token (API clients only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// When the API client's secret this token was minted with was issued (microseconds
    /// since the epoch, API clients only): a later rotation refuses the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub srt: Option<i64>,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
}

/// The HMAC key tokens are signed with; every server instance must share it.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(..)")
    }
}

impl TokenKeys {
    /// Keys from a secret of at least 32 bytes.
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    /// Signs claims.
    pub fn sign(&self, claims: &AccessClaims) -> Result<String, jsonwebtoken::errors::Error> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
    }

    /// Verifies signature, algorithm (HS256 only), issuer, audience and expiry.
    pub fn verify(&self, token: &str, audience: &str) -> Option<AccessClaims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub", "iat"]);
        validation.leeway = 5;
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation)
            .ok()
            .map(|data| data.claims)
    }

    /// Claims for a token of `ttl` seconds from `now`.
    pub fn claims(
        now: DateTime<Utc>,
        ttl_secs: i64,
        audience: &str,
        kind: Subject,
        sub: Uuid,
        org: Uuid,
        sid: Option<Uuid>,
    ) -> AccessClaims {
        AccessClaims {
            iss: ISSUER.to_owned(),
            aud: audience.to_owned(),
            sub,
            org,
            kind,
            sid,
            scope: None,
            srt: None,
            iat: now.timestamp(),
            exp: now.timestamp() + ttl_secs,
        }
    }
}

/// `bytes` random bytes from the operating system, URL-safe base64.
pub fn random_secret(bytes: usize) -> Result<String, getrandom::Error> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer)?;
    Ok(URL_SAFE_NO_PAD.encode(buffer))
}

/// SHA-256 of a high-entropy secret (what is stored instead of the secret).
pub fn hash_secret(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Hex SHA-256 of a high-entropy secret (API client secrets).
pub fn hex_hash(secret: &str) -> String {
    hash_secret(secret)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Compares two hashes in constant time.
pub fn same_hash(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// An opaque token that names its organisation and row, so the server can set the tenant
/// before it looks the token up: `<org>.<id>.<secret>`. Only the hash of the whole token
/// is stored; a forged prefix finds nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpaqueToken {
    /// Organisation the token belongs to.
    pub organisation_id: Uuid,
    /// The row (session, user) the token belongs to.
    pub id: Uuid,
    /// The whole token, as given to the client.
    pub token: String,
}

impl OpaqueToken {
    /// A new token for `id` in `organisation_id`.
    pub fn generate(organisation_id: Uuid, id: Uuid) -> Result<Self, getrandom::Error> {
        let secret = random_secret(32)?;
        Ok(Self {
            organisation_id,
            id,
            token: format!("{}.{}.{secret}", organisation_id.simple(), id.simple()),
        })
    }

    /// Splits a token presented by a client; `None` if it is not shaped like one.
    pub fn parse(token: &str) -> Option<Self> {
        let mut parts = token.splitn(3, '.');
        let organisation_id = Uuid::try_parse(parts.next()?).ok()?;
        let id = Uuid::try_parse(parts.next()?).ok()?;
        let secret = parts.next()?;
        (secret.len() >= 32 && token.len() <= 200).then(|| Self {
            organisation_id,
            id,
            token: token.to_owned(),
        })
    }

    /// The stored hash.
    pub fn hash(&self) -> Vec<u8> {
        hash_secret(&self.token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(b"0123456789abcdef0123456789abcdef")
    }

    fn claims(audience: &str, ttl: i64) -> AccessClaims {
        TokenKeys::claims(
            Utc::now(),
            ttl,
            audience,
            Subject::User,
            Uuid::now_v7(),
            Uuid::now_v7(),
            Some(Uuid::now_v7()),
        )
    }

    #[test]
    fn a_signed_token_verifies_for_its_audience_only() {
        let token = keys().sign(&claims(API_AUDIENCE, 60)).unwrap();
        assert!(keys().verify(&token, API_AUDIENCE).is_some());
        assert!(keys().verify(&token, MFA_AUDIENCE).is_none());
        assert!(
            TokenKeys::new(b"another key another key another k")
                .verify(&token, API_AUDIENCE)
                .is_none()
        );
    }

    #[test]
    fn expired_and_none_algorithm_tokens_are_rejected() {
        let expired = keys().sign(&claims(API_AUDIENCE, -60)).unwrap();
        assert!(keys().verify(&expired, API_AUDIENCE).is_none());
        let valid = keys().sign(&claims(API_AUDIENCE, 60)).unwrap();
        let payload = valid.split('.').nth(1).unwrap();
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(
            keys()
                .verify(&format!("{none_header}.{payload}."), API_AUDIENCE)
                .is_none()
        );
    }

    #[test]
    fn opaque_tokens_round_trip_and_reject_garbage() {
        let token = OpaqueToken::generate(Uuid::now_v7(), Uuid::now_v7()).unwrap();
        assert_eq!(OpaqueToken::parse(&token.token), Some(token.clone()));
        assert!(OpaqueToken::parse("x.y.z").is_none());
        assert!(OpaqueToken::parse(&format!("{}.{}.short", token.organisation_id, token.id)).is_none());
        assert_ne!(
            token.hash(),
            OpaqueToken::generate(token.organisation_id, token.id)
                .unwrap()
                .hash()
        );
    }
}
