//! Server secrets: given by configuration, or generated once in the data directory
//! (mode 0600) and reused on every start.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use secrecy::ExposeSecret;

use crate::audit::chain::SealKey;
use crate::config::Settings;
use crate::crypto::{Cipher, Keyring, LookupKey};

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

const ENCRYPTION_KEYS: &str = "encryption.key";
const LOOKUP_KEY: &str = "lookup.key";

fn random_key() -> anyhow::Result<[u8; 32]> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).context("Failed to generate a key")?;
    Ok(key)
}

/// Parses a keyring: entries `ID:BASE64KEY` separated by commas or new lines (a single bare
/// base64 key is key 1, the form of earlier versions).
pub fn parse_keyring(text: &str) -> anyhow::Result<Keyring> {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    let entries: Vec<&str> = text
        .split([',', '\n'])
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .collect();
    let mut keys = Vec::with_capacity(entries.len());
    for entry in &entries {
        let (id, encoded) = match entry.split_once(':') {
            Some((id, encoded)) => (
                id.trim()
                    .parse::<u8>()
                    .context("An encryption key id is a number 1–255")?,
                encoded.trim(),
            ),
            None if entries.len() == 1 => (1, *entry),
            None => bail!("With several encryption keys, write each as ID:BASE64KEY"),
        };
        let key: [u8; 32] = STANDARD
            .decode(encoded)
            .context("An encryption key must be base64")?
            .try_into()
            .map_err(|_| anyhow::anyhow!("An encryption key must be 32 bytes (base64)"))?;
        keys.push((id, key));
    }
    Keyring::new(keys).map_err(|problem| anyhow::anyhow!("Encryption keys: {problem}"))
}

fn format_keyring(keyring: &Keyring) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    keyring
        .keys()
        .iter()
        .map(|(id, key)| format!("{id}:{}\n", STANDARD.encode(key)))
        .collect()
}

/// The keys that encrypt data at rest: `POLKU_ENCRYPTION_KEY`, or the keyring file in the
/// data directory (created with one key on first use).
pub fn encryption_keyring(settings: &Settings) -> anyhow::Result<Keyring> {
    if let Some(keys) = &settings.encryption_key {
        return parse_keyring(keys.expose_secret());
    }
    let text = load_or_generate_with(&settings.data_dir.join("keys"), ENCRYPTION_KEYS, || {
        Ok(format_keyring(&Keyring::single(random_key()?)))
    })?;
    parse_keyring(&String::from_utf8_lossy(&text))
}

/// A cipher over the configured keyring that reads it again after a rotation.
pub fn cipher(settings: &Settings) -> anyhow::Result<Cipher> {
    let keyring = encryption_keyring(settings)?;
    let settings = settings.clone();
    Ok(Cipher::with_keyring(
        &keyring,
        Some(Arc::new(move || encryption_keyring(&settings))),
    ))
}

/// Adds a new key to the keyring file and makes it current; returns its id. Keys given by
/// `POLKU_ENCRYPTION_KEY` are rotated by adding an entry there instead.
pub fn rotate(settings: &Settings) -> anyhow::Result<u8> {
    if settings.encryption_key.is_some() {
        bail!(
            "The encryption keys come from POLKU_ENCRYPTION_KEY: add a new entry ID:BASE64KEY \
             there (a higher id becomes current) and restart the instances"
        );
    }
    let keyring = encryption_keyring(settings)?;
    let id = keyring
        .current_id()
        .checked_add(1)
        .context("No key ids left (255 rotations)")?;
    let mut keys = keyring.keys().to_vec();
    keys.push((id, random_key()?));
    let rotated = Keyring::new(keys).map_err(|problem| anyhow::anyhow!("{problem}"))?;
    // Write the new keyring beside the old one and rename it over: a crash leaves one or
    // the other, never half a file.
    let dir = settings.data_dir.join("keys");
    let path = dir.join(ENCRYPTION_KEYS);
    let temporary = dir.join(format!("{ENCRYPTION_KEYS}.new"));
    let _ = fs::remove_file(&temporary);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temporary)
        .with_context(|| format!("Failed to create {}", temporary.display()))?;
    file.write_all(format_keyring(&rotated).as_bytes())?;
    file.sync_all()?;
    fs::rename(&temporary, &path).with_context(|| format!("Failed to replace {}", path.display()))?;
    fs::File::open(&dir)?.sync_all()?;
    Ok(id)
}

/// The key of the keyed hashes used for exact lookup (identity codes). It never rotates
/// with the encryption keys: the hashes in the database depend on it.
pub fn lookup_key(settings: &Settings) -> anyhow::Result<LookupKey> {
    let bytes = match &settings.lookup_key {
        Some(secret) => secret.expose_secret().as_bytes().to_vec(),
        None => load_or_generate(&settings.data_dir.join("keys"), LOOKUP_KEY)?,
    };
    if bytes.len() < MIN_SECRET_BYTES {
        bail!("POLKU_LOOKUP_KEY must be at least {MIN_SECRET_BYTES} bytes");
    }
    use sha2::Digest;
    Ok(LookupKey::new(sha2::Sha256::digest(&bytes).into()))
}

const AUDIT_KEY: &str = "audit.key";

/// The key of the access log's hash chain (HMAC-SHA256). The database never holds it, so
/// whoever rewrites the log there cannot recompute the chain. It never rotates: the seals
/// depend on it.
pub fn audit_key(settings: &Settings) -> anyhow::Result<SealKey> {
    let bytes = match &settings.audit_key {
        Some(secret) => secret.expose_secret().as_bytes().to_vec(),
        None => load_or_generate(&settings.data_dir.join("keys"), AUDIT_KEY)?,
    };
    if bytes.len() < MIN_SECRET_BYTES {
        bail!("POLKU_AUDIT_KEY must be at least {MIN_SECRET_BYTES} bytes");
    }
    use sha2::Digest;
    Ok(SealKey::new(sha2::Sha256::digest(&bytes).into()))
}

fn load_or_generate(dir: &Path, name: &str) -> anyhow::Result<Vec<u8>> {
    let secret = load_or_generate_with(dir, name, || {
        crate::tokens::random_secret(48).context("Failed to generate a key")
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

    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_generated_key_is_private_and_reused() {
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

    #[test]
    fn rotation_adds_a_current_key_and_keeps_the_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            data_dir: dir.path().to_owned(),
            ..Settings::default()
        };
        let first = encryption_keyring(&settings).unwrap();
        assert_eq!(first.ids(), vec![1]);
        let cipher = cipher(&settings).unwrap();
        let old = cipher
            .encrypt(
                b"x",
                crate::crypto::Place::new(b"t", uuid::Uuid::nil(), uuid::Uuid::nil()),
            )
            .unwrap();
        assert_eq!(rotate(&settings).unwrap(), 2);
        assert_eq!(rotate(&settings).unwrap(), 3);
        let rotated = encryption_keyring(&settings).unwrap();
        assert_eq!(rotated.ids(), vec![1, 2, 3]);
        assert_eq!(rotated.keys()[0], first.keys()[0]);
        assert!(cipher.refresh().unwrap());
        assert_eq!(cipher.current_key_id(), 3);
        assert_eq!(
            cipher
                .decrypt(
                    &old,
                    crate::crypto::Place::new(b"t", uuid::Uuid::nil(), uuid::Uuid::nil())
                )
                .unwrap(),
            b"x"
        );
        let mode = fs::metadata(dir.path().join("keys/encryption.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn keyrings_parse_in_the_old_and_the_new_form() {
        let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        assert_eq!(parse_keyring(key).unwrap().ids(), vec![1]);
        let both = parse_keyring(&format!("1:{key}, 7:{key}\n")).unwrap();
        assert_eq!(both.ids(), vec![1, 7]);
        assert_eq!(both.current_id(), 7);
        assert!(parse_keyring(&format!("{key},{key}")).is_err());
        assert!(parse_keyring("1:c2hvcnQ=").is_err());
        assert!(parse_keyring(&format!("x:{key}")).is_err());
        assert!(parse_keyring("").is_err());
    }
}
