//! Two-factor authentication: TOTP (RFC 6238) with replay protection, and recovery codes.

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};
use uuid::Uuid;

use super::store::UserRow;
use crate::crypto::{Cipher, Place};
use crate::error::ApiError;
use crate::schema::{recovery_codes, users};
use crate::tokens::hash_secret;

const ISSUER: &str = "Polku";
const STEP_SECS: u64 = 30;
const SECRET_BYTES: usize = 20;
const RECOVERY_CODES: usize = 10;
/// Associated data binding encrypted secrets to their column.
pub const CONTEXT: &[u8] = b"users.mfa_secret";

/// Where a user's secret is stored: its ciphertext decrypts only there.
fn place(user: &UserRow) -> Place<'static> {
    Place::new(CONTEXT, user.organisation_id, user.id)
}

fn totp(secret: Vec<u8>, account: &str) -> Result<TOTP, ApiError> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECS,
        secret,
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .map_err(|error| ApiError::Internal(anyhow::anyhow!("TOTP setup failed: {error}")))
}

/// A new TOTP secret, encrypted for storage, with what the authenticator app needs.
pub fn new_secret(cipher: &Cipher, user: &UserRow) -> Result<(Vec<u8>, String, String), ApiError> {
    let mut secret = vec![0u8; SECRET_BYTES];
    getrandom::fill(&mut secret).map_err(|error| ApiError::Internal(anyhow::Error::new(error)))?;
    let totp = totp(secret.clone(), &user.email)?;
    let sealed = cipher
        .encrypt(&secret, place(user))
        .map_err(|error| ApiError::Internal(anyhow::Error::new(error)))?;
    Ok((sealed, totp.get_secret_base32(), totp.get_url()))
}

/// The time step a code is valid for (this, the previous or the next step, for clock
/// drift), if it is newer than `last_step`: a code works once.
pub fn verify_code(
    cipher: &Cipher,
    sealed: &[u8],
    user: &UserRow,
    code: &str,
    last_step: Option<i64>,
) -> Result<Option<i64>, ApiError> {
    let secret = cipher
        .decrypt(sealed, place(user))
        .map_err(|error| ApiError::Internal(anyhow::Error::new(error)))?;
    let totp = totp(secret, &user.email)?;
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let now = u64::try_from(Utc::now().timestamp()).unwrap_or_default() / STEP_SECS;
    for step in [now.saturating_sub(1), now, now + 1] {
        let step_i64 = i64::try_from(step).unwrap_or(i64::MAX);
        let expected = totp.generate(step * STEP_SECS);
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes()))
            && last_step.is_none_or(|last| step_i64 > last)
        {
            return Ok(Some(step_i64));
        }
    }
    Ok(None)
}

/// Codes for the current time (tests and tools that act as an authenticator app).
pub fn current_code(secret_base32: &str) -> Option<String> {
    let secret = totp_rs::Secret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .ok()?;
    let totp = TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECS, secret, None, String::new()).ok()?;
    totp.generate_current().ok()
}

fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

/// Replaces a user's recovery codes with new ones; returns them (shown once).
pub async fn new_recovery_codes(
    conn: &mut AsyncPgConnection,
    organisation_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<String>, ApiError> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|error| ApiError::Internal(anyhow::Error::new(error)))?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let code = format!("{}-{}-{}-{}", &hex[0..4], &hex[4..8], &hex[8..12], &hex[12..16]);
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::id.eq(Uuid::now_v7()),
                recovery_codes::organisation_id.eq(organisation_id),
                recovery_codes::user_id.eq(user_id),
                recovery_codes::code_hash.eq(hash_secret(&normalise_recovery_code(&code))),
            ))
            .execute(conn)
            .await?;
        codes.push(code);
    }
    Ok(codes)
}

/// Spends a recovery code; false if it is not an unused code of the user.
pub async fn use_recovery_code(conn: &mut AsyncPgConnection, user_id: Uuid, code: &str) -> QueryResult<bool> {
    let hash = hash_secret(&normalise_recovery_code(code));
    let spent = diesel::update(
        recovery_codes::table.filter(
            recovery_codes::user_id
                .eq(user_id)
                .and(recovery_codes::code_hash.eq(hash))
                .and(recovery_codes::used_at.is_null()),
        ),
    )
    .set(recovery_codes::used_at.eq(Utc::now()))
    .execute(conn)
    .await?;
    Ok(spent == 1)
}

/// Stores a pending (not yet confirmed) secret.
pub async fn store_pending_secret(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    sealed: &[u8],
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id).filter(users::mfa_enabled_at.is_null()))
        .set((users::mfa_secret.eq(sealed), users::mfa_last_step.eq(None::<i64>)))
        .execute(conn)
        .await
        .map(drop)
}

/// Records the step of an accepted code (and enables 2FA on first confirmation). One
/// statement checks and moves the last-used step, so of two requests with the same code
/// only one gets `true`: a code works once even in parallel.
pub async fn accept_step(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    step: i64,
    enable: bool,
) -> QueryResult<bool> {
    let fresh = users::mfa_last_step.is_null().or(users::mfa_last_step.lt(step));
    let target = users::table.find(user_id).filter(fresh);
    let updated: Option<Uuid> = if enable {
        diesel::update(target)
            .set((
                users::mfa_last_step.eq(step),
                users::mfa_enabled_at.eq(Utc::now()),
                users::version.eq(users::version + 1),
            ))
            .returning(users::id)
            .get_result(conn)
            .await
            .optional()?
    } else {
        diesel::update(target)
            .set(users::mfa_last_step.eq(step))
            .returning(users::id)
            .get_result(conn)
            .await
            .optional()?
    };
    Ok(updated.is_some())
}
