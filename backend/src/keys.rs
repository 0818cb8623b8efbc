//! Server secrets: given by configuration, or generated once in the data directory
//! (mode 0600) and reused on every start.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

use anyhow::{Context, bail};
use secrecy::ExposeSecret;

use crate::config::Settings;

const MIN_SECRET_BYTES: usize = 32;

/// The secret that signs access tokens.
pub fn token_secret(settings: &Settings) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = &settings.token_secret {
        let bytes = secret.expose_secret().as_bytes().to_vec();
        if bytes.len() < MIN_SECRET_BYTES {
            bail!("POLKU_TOKEN_SECRET must be at least {MIN_SECRET_BYTES} bytes");
        }
        return Ok(bytes);
    }
    load_or_generate(&settings.data_dir.join("keys"), "token.key")
}

/// The 32-byte key that encrypts data at rest.
pub fn encryption_key(settings: &Settings) -> anyhow::Result<[u8; 32]> {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    let encoded = match &settings.encryption_key {
        Some(key) => key.expose_secret().as_bytes().to_vec(),
        None => load_or_generate_with(&settings.data_dir.join("keys"), "encryption.key", || {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key).context("Failed to generate a key")?;
            Ok(STANDARD.encode(key))
        })?,
    };
    let decoded = STANDARD
        .decode(String::from_utf8_lossy(&encoded).trim())
        .context("The encryption key must be base64")?;
    decoded
        .try_into()
        .map_err(|_| anyhow::anyhow!("The encryption key must be 32 bytes (base64)"))
}

fn load_or_generate(dir: &Path, name: &str) -> anyhow::Result<Vec<u8>> {
    let secret = load_or_generate_with(dir, name, || {
        crate::auth::tokens::random_secret(48).context("Failed to generate a key")
    })?;
    if secret.len() < MIN_SECRET_BYTES {
        bail!(
            "{} is too short; remove it to generate a new one",
            dir.join(name).display()
        );
    }
    Ok(secret)
}

fn load_or_generate_with(
    dir: &Path,
    name: &str,
    generate: impl FnOnce() -> anyhow::Result<String>,
) -> anyhow::Result<Vec<u8>> {
    let path = dir.join(name);
    if let Ok(text) = fs::read_to_string(&path) {
        return Ok(text.trim().as_bytes().to_vec());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("Failed to create {}", dir.display()))?;
    let secret = generate()?;
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("Failed to create {}", path.display()))?;
    file.write_all(secret.as_bytes())?;
    file.sync_all()?;
    tracing::info!(path = %path.display(), "generated a new key");
    Ok(secret.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_is_private_and_reused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            data_dir: dir.path().to_owned(),
            ..Settings::default()
        };
        let first = token_secret(&settings).unwrap();
        assert!(first.len() >= MIN_SECRET_BYTES);
        assert_eq!(token_secret(&settings).unwrap(), first);
        let mode = fs::metadata(dir.path().join("keys/token.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
