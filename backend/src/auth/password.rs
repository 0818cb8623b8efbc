//! Password hashing (argon2id, OWASP parameters) and the strength policy.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};

use crate::error::{ApiError, FieldError};

/// OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;
/// Shortest and longest accepted password (characters).
pub const MIN_LENGTH: usize = 12;
/// Longest accepted password (characters); bounds the hashing work an attacker can ask for.
pub const MAX_LENGTH: usize = 128;
/// Words zxcvbn's English dictionaries miss but Finnish and Swedish users pick: they
/// count as dictionary words when estimating strength.
const LOCAL_COMMON_WORDS: &[&str] = &[
    "salasana",
    "tunnus",
    "kayttaja",
    "käyttäjä",
    "suomi",
    "finland",
    "helsinki",
    "espoo",
    "tampere",
    "vantaa",
    "oulu",
    "turku",
    "kuopio",
    "lahti",
    "jyväskylä",
    "kunta",
    "kaupunki",
    "kissa",
    "koira",
    "perkele",
    "sisu",
    "moikka",
    "hei",
    "kiitos",
    "rakkaus",
    "aurinko",
    "kesä",
    "talvi",
    "kevät",
    "syksy",
    "tammikuu",
    "helmikuu",
    "maaliskuu",
    "huhtikuu",
    "toukokuu",
    "kesäkuu",
    "heinäkuu",
    "elokuu",
    "syyskuu",
    "lokakuu",
    "marraskuu",
    "joulukuu",
    "joulu",
    "juhannus",
    "lösenord",
    "sommar",
    "vinter",
    "hemligt",
    "polku",
    "työpaja",
    "valmennus",
];

/// zxcvbn score a password must reach (0–4; 3 = "safely unguessable").
const MIN_SCORE: u8 = 3;

fn hasher() -> Argon2<'static> {
    // The parameters are constants within argon2's documented bounds.
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Password hashing is deliberately expensive; a burst of logins must not take every
/// core from the requests of people already at work. At most half the cores hash at once.
static HASHING: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    tokio::sync::Semaphore::new((cores / 2).max(1))
});

async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|error| ApiError::Internal(anyhow::Error::new(error)))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ApiError::Internal(anyhow::Error::new(error)))
}

/// A hash of a random password, verified against when the login name is unknown so that
/// unknown and known accounts take the same time.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_blocking("polku-dummy-password-for-timing").unwrap_or_default());

fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| argon2::password_hash::Error::Crypto)?;
    let salt = SaltString::encode_b64(&salt)?;
    Ok(hasher().hash_password(password.as_bytes(), &salt)?.to_string())
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Hashes a password off the async workers.
pub async fn hash(password: SecretString) -> Result<String, ApiError> {
    off_the_workers(move || hash_blocking(password.expose_secret()))
        .await?
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("password hashing failed: {error}")))
}

/// Verifies a password off the async workers. With no stored hash (unknown account,
/// or an invited user without a password yet) a dummy hash is verified instead, so the
/// answer takes the same time.
pub async fn verify(password: SecretString, stored: Option<String>) -> Result<bool, ApiError> {
    off_the_workers(move || match stored {
        Some(hash) => verify_blocking(password.expose_secret(), &hash),
        None => {
            verify_blocking(password.expose_secret(), &DUMMY_HASH);
            false
        }
    })
    .await
}

/// Checks a new password against the policy: length bounds and the zxcvbn strength
/// estimator (dictionary words, common passwords, keyboard patterns, dates, and the
/// user's own name and email). `field` names the request field in the error.
pub fn check_strength(field: &str, password: &str, user_inputs: &[&str]) -> Result<(), ApiError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(invalid(
            field,
            "too_short",
            format!("Use at least {MIN_LENGTH} characters."),
        ));
    }
    if length > MAX_LENGTH {
        return Err(invalid(
            field,
            "too_long",
            format!("Use at most {MAX_LENGTH} characters."),
        ));
    }
    // The user's name and email count whole and in parts ("aino", "virtanen", "kunta").
    let mut inputs: Vec<&str> = user_inputs.to_vec();
    inputs.extend_from_slice(LOCAL_COMMON_WORDS);
    inputs.extend(
        user_inputs
            .iter()
            .flat_map(|input| input.split(|c: char| !c.is_alphanumeric()))
            .filter(|part| part.chars().count() >= 3),
    );
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if u8::from(estimate.score()) < MIN_SCORE {
        let hint = estimate
            .feedback()
            .and_then(|feedback| feedback.warning().map(|warning| warning.to_string()))
            .unwrap_or_else(|| "This password is too easy to guess.".to_owned());
        return Err(invalid(
            field,
            "too_weak",
            format!("{hint} Add more unrelated words or characters."),
        ));
    }
    Ok(())
}

fn invalid(field: &str, code: &str, message: String) -> ApiError {
    ApiError::Validation(vec![FieldError::new(field, code, message)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let hash = hash_blocking("kaikki hyvin tänään 42").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_blocking("kaikki hyvin tänään 42", &hash));
        assert!(!verify_blocking("kaikki hyvin tänään 43", &hash));
        assert!(!verify_blocking("anything", "not a hash"));
    }

    #[test]
    fn weak_and_badly_sized_passwords_are_refused_with_reasons() {
        let code = |password: &str, inputs: &[&str]| match check_strength("password", password, inputs) {
            Err(ApiError::Validation(errors)) => errors[0].code.clone(),
            _ => "ok".to_owned(),
        };
        assert_eq!(code("short", &[]), "too_short");
        assert_eq!(code(&"a".repeat(129), &[]), "too_long");
        assert_eq!(code("password1234", &[]), "too_weak");
        assert_eq!(code("qwertyuiop123", &[]), "too_weak");
        assert_eq!(
            code("virtanen2024!", &["aino.virtanen@kunta.fi", "Aino Virtanen"]),
            "too_weak"
        );
        assert_eq!(
            code("ainovirtanen", &["aino.virtanen@kunta.fi", "Aino Virtanen"]),
            "too_weak"
        );
        assert_eq!(code("Salasana2024!", &[]), "too_weak");
        assert_eq!(code("aaaaaaaaaaaaaa", &[]), "too_weak");
        assert_eq!(code("korppi vaeltaa hiljaa sumussa", &[]), "ok");
    }
}
