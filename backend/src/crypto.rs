//! Encryption at rest: AES-256-GCM with a key id in every ciphertext, so keys can be
//! rotated (new writes use the current key, old rows stay readable), and keyed hashes
//! (HMAC-SHA256) for exact lookup of encrypted values. Every ciphertext is bound to its
//! [`Place`] — column, organisation and row — so one copied to another row or tenant
//! does not decrypt there.

use std::sync::{Arc, RwLock};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Ciphertext layout: `[version][key id][12-byte nonce][ciphertext + 16-byte tag]`.
/// Version 2 binds the ciphertext to its column, organisation and row (the associated
/// data of [`Place::associated_data`]).
const FORMAT_VERSION: u8 = 2;
/// Version 1 (before 2026-12) bound a ciphertext to its column only. Still read;
/// `polku keys reencrypt` rewrites such values as version 2.
const LEGACY_VERSION: u8 = 1;
const NONCE_LEN: usize = 12;

/// Where a ciphertext is stored: the associated data of its encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    /// Table and column (e.g. `clients.identity_code`).
    pub column: &'a [u8],
    /// The row's organisation.
    pub organisation: uuid::Uuid,
    /// The row's primary key.
    pub row: uuid::Uuid,
}

impl<'a> Place<'a> {
    /// The place of a value in `column` of the row `row` of `organisation`.
    pub fn new(column: &'a [u8], organisation: uuid::Uuid, row: uuid::Uuid) -> Self {
        Self {
            column,
            organisation,
            row,
        }
    }

    /// `column ‖ 0 ‖ organisation (16 bytes) ‖ row (16 bytes)`: the column name holds no
    /// zero byte, so no two places share associated data.
    fn associated_data(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.column.len() + 33);
        out.extend_from_slice(self.column);
        out.push(0);
        out.extend_from_slice(self.organisation.as_bytes());
        out.extend_from_slice(self.row.as_bytes());
        out
    }
}

/// Encryption keys by id; the highest id is the current one.
#[derive(Clone, PartialEq, Eq)]
pub struct Keyring {
    keys: Vec<(u8, [u8; 32])>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("key_ids", &self.ids())
            .finish_non_exhaustive()
    }
}

impl Keyring {
    /// A keyring of one key with id 1.
    pub fn single(key: [u8; 32]) -> Self {
        Self { keys: vec![(1, key)] }
    }

    /// A keyring from `(id, key)` pairs; ids must be distinct and not 0.
    pub fn new(mut keys: Vec<(u8, [u8; 32])>) -> Result<Self, &'static str> {
        keys.sort_by_key(|(id, _)| *id);
        if keys.is_empty() {
            return Err("no keys");
        }
        if keys.first().is_some_and(|(id, _)| *id == 0) {
            return Err("key ids start from 1");
        }
        if keys.windows(2).any(|pair| pair[0].0 == pair[1].0) {
            return Err("duplicate key id");
        }
        Ok(Self { keys })
    }

    /// The id new encryptions use.
    pub fn current_id(&self) -> u8 {
        self.keys.last().map_or(0, |(id, _)| *id)
    }

    /// Every key id.
    pub fn ids(&self) -> Vec<u8> {
        self.keys.iter().map(|(id, _)| *id).collect()
    }

    /// The keys, oldest first.
    pub fn keys(&self) -> &[(u8, [u8; 32])] {
        &self.keys
    }
}

type Reload = Arc<dyn Fn() -> anyhow::Result<Keyring> + Send + Sync>;

#[derive(Clone)]
struct Loaded {
    current: u8,
    ids: Vec<u8>,
    keys: Vec<(u8, Aes256Gcm)>,
}

impl Loaded {
    fn new(keyring: &Keyring) -> Self {
        Self {
            current: keyring.current_id(),
            ids: keyring.ids(),
            keys: keyring
                .keys
                .iter()
                .map(|(id, key)| (*id, Aes256Gcm::new(key.into())))
                .collect(),
        }
    }

    fn key(&self, id: u8) -> Option<&Aes256Gcm> {
        self.keys
            .iter()
            .find(|(key_id, _)| *key_id == id)
            .map(|(_, key)| key)
    }
}

/// Encrypts with the current key; decrypts with any key of the keyring. A ciphertext with
/// a key id this process has not seen yet (another instance or `polku keys reencrypt`
/// already uses a newer key) makes it read its keyring again before giving up.
#[derive(Clone)]
pub struct Cipher {
    loaded: Arc<RwLock<Arc<Loaded>>>,
    reload: Option<Reload>,
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cipher")
            .field("current_key_id", &self.current_key_id())
            .finish_non_exhaustive()
    }
}

/// Encryption or decryption failed (wrong key, tampered data, unknown key id).
#[derive(Debug, thiserror::Error)]
#[error("encryption failure")]
pub struct CryptoError;

impl Cipher {
    /// A cipher with one key (id 1).
    pub fn new(key: &[u8; 32]) -> Self {
        Self::with_keyring(&Keyring::single(*key), None)
    }

    /// A cipher over a keyring; `reload` reads the keyring again (after a rotation).
    pub fn with_keyring(
        keyring: &Keyring,
        reload: Option<Arc<dyn Fn() -> anyhow::Result<Keyring> + Send + Sync>>,
    ) -> Self {
        Self {
            loaded: Arc::new(RwLock::new(Arc::new(Loaded::new(keyring)))),
            reload,
        }
    }

    fn loaded(&self) -> Arc<Loaded> {
        match self.loaded.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The key id new encryptions use.
    pub fn current_key_id(&self) -> u8 {
        self.loaded().current
    }

    /// Every key id known.
    pub fn key_ids(&self) -> Vec<u8> {
        self.loaded().ids.clone()
    }

    /// Reads the keyring again; returns whether it changed. Called on an unknown key id
    /// and periodically by the server, so a rotation reaches running instances.
    pub fn refresh(&self) -> anyhow::Result<bool> {
        let Some(reload) = &self.reload else {
            return Ok(false);
        };
        let keyring = reload()?;
        let fresh = Loaded::new(&keyring);
        let changed = fresh.ids != self.loaded().ids;
        if changed {
            let mut guard = match self.loaded.write() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            *guard = Arc::new(fresh);
            tracing::info!(
                current_key_id = keyring.current_id(),
                "encryption keyring reloaded"
            );
        }
        Ok(changed)
    }

    /// Encrypts `plaintext`, binding it to its place (column, organisation, row) so that
    /// a ciphertext copied to another place does not decrypt there.
    pub fn encrypt(&self, plaintext: &[u8], place: Place<'_>) -> Result<Vec<u8>, CryptoError> {
        self.seal(FORMAT_VERSION, plaintext, &place.associated_data())
    }

    fn seal(&self, version: u8, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let loaded = self.loaded();
        let cipher = loaded.key(loaded.current).ok_or(CryptoError)?;
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| CryptoError)?;
        let sealed = cipher
            .encrypt(&Nonce::from(nonce), Payload { msg: plaintext, aad })
            .map_err(|_| CryptoError)?;
        let mut out = Vec::with_capacity(2 + NONCE_LEN + sealed.len());
        out.extend_from_slice(&[version, loaded.current]);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Encrypts text.
    pub fn encrypt_str(&self, plaintext: &str, place: Place<'_>) -> Result<Vec<u8>, CryptoError> {
        self.encrypt(plaintext.as_bytes(), place)
    }

    /// The key id a ciphertext was made with.
    pub fn key_id_of(data: &[u8]) -> Option<u8> {
        match data {
            [FORMAT_VERSION | LEGACY_VERSION, key_id, ..] => Some(*key_id),
            _ => None,
        }
    }

    /// Whether a ciphertext is current: the current format (bound to its row) and the
    /// current key. `polku keys reencrypt` rewrites the others.
    pub fn is_current(&self, data: &[u8]) -> bool {
        matches!(data, [FORMAT_VERSION, key_id, ..] if *key_id == self.current_key_id())
    }

    /// The envelope version new ciphertexts get (the first byte).
    pub const fn format_version() -> u8 {
        FORMAT_VERSION
    }

    /// Decrypts what [`Cipher::encrypt`] produced for the same place (or a legacy value
    /// of the same column). Anything else — another row's or organisation's ciphertext,
    /// a tampered one, an unknown key — is an error, never a value.
    pub fn decrypt(&self, data: &[u8], place: Place<'_>) -> Result<Vec<u8>, CryptoError> {
        self.open(data, place).inspect_err(|_| {
            tracing::error!(
                column = %String::from_utf8_lossy(place.column),
                organisation = %place.organisation,
                row = %place.row,
                key_id = ?Self::key_id_of(data),
                "a stored value does not decrypt in its place (copied, tampered with or an unknown key)"
            );
        })
    }

    fn open(&self, data: &[u8], place: Place<'_>) -> Result<Vec<u8>, CryptoError> {
        let [version, key_id, rest @ ..] = data else {
            return Err(CryptoError);
        };
        if rest.len() < NONCE_LEN + 16 {
            return Err(CryptoError);
        }
        let aad = match *version {
            FORMAT_VERSION => place.associated_data(),
            LEGACY_VERSION => place.column.to_vec(),
            _ => return Err(CryptoError),
        };
        let mut loaded = self.loaded();
        if loaded.key(*key_id).is_none() && self.refresh().unwrap_or(false) {
            loaded = self.loaded();
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| CryptoError)?;
        loaded
            .key(*key_id)
            .ok_or(CryptoError)?
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .map_err(|_| CryptoError)
    }

    /// Decrypts text.
    pub fn decrypt_string(&self, data: &[u8], place: Place<'_>) -> Result<String, CryptoError> {
        String::from_utf8(self.decrypt(data, place)?).map_err(|_| CryptoError)
    }

    /// Encrypts as the format before [`Place`] (column only), for tests of the migration.
    #[doc(hidden)]
    pub fn encrypt_legacy(&self, plaintext: &[u8], column: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.seal(LEGACY_VERSION, plaintext, column)
    }
}

/// Keyed hashes for exact lookup of encrypted values (identity codes): equal values have
/// equal hashes, and nobody without the key can test a guess against the table.
#[derive(Clone)]
pub struct LookupKey([u8; 32]);

impl std::fmt::Debug for LookupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LookupKey(..)")
    }
}

impl LookupKey {
    /// A lookup key.
    pub fn new(key: [u8; 32]) -> Self {
        Self(key)
    }

    /// HMAC-SHA256 of `value`, domain-separated by `context`.
    pub fn hash(&self, context: &str, value: &str) -> Vec<u8> {
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&self.0) else {
            unreachable!("HMAC takes keys of any length")
        };
        mac.update(context.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: uuid::Uuid = uuid::Uuid::from_u128(1);
    const ROW: uuid::Uuid = uuid::Uuid::from_u128(2);

    fn at(column: &[u8]) -> Place<'_> {
        Place::new(column, ORG, ROW)
    }

    #[test]
    fn round_trips_and_refuses_tampering_other_places_and_other_keys() {
        let cipher = Cipher::new(&[7u8; 32]);
        let code = at(b"clients.identity_code");
        let sealed = cipher.encrypt(b"131052-308T", code).unwrap();
        assert_eq!(cipher.decrypt(&sealed, code).unwrap(), b"131052-308T");
        assert_ne!(
            sealed,
            cipher.encrypt(b"131052-308T", code).unwrap(),
            "random nonce"
        );
        assert!(cipher.decrypt(&sealed, at(b"clients.iban")).is_err());
        // Another row or another organisation: the same column does not help.
        for other in [
            Place::new(b"clients.identity_code", ORG, uuid::Uuid::from_u128(3)),
            Place::new(b"clients.identity_code", uuid::Uuid::from_u128(3), ROW),
        ] {
            assert!(cipher.decrypt(&sealed, other).is_err());
        }
        // Downgrading the envelope to the legacy version does not drop the binding.
        let mut downgraded = sealed.clone();
        downgraded[0] = LEGACY_VERSION;
        assert!(cipher.decrypt(&downgraded, code).is_err());
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(cipher.decrypt(&tampered, code).is_err());
        assert!(Cipher::new(&[8u8; 32]).decrypt(&sealed, code).is_err());
        assert!(cipher.decrypt(&[], code).is_err());
        assert!(cipher.is_current(&sealed));
    }

    #[test]
    fn legacy_values_bound_to_their_column_only_still_read_and_are_not_current() {
        let cipher = Cipher::new(&[7u8; 32]);
        let legacy = cipher.encrypt_legacy(b"vanha", b"clients.iban").unwrap();
        assert_eq!(Cipher::key_id_of(&legacy), Some(1));
        assert_eq!(cipher.decrypt(&legacy, at(b"clients.iban")).unwrap(), b"vanha");
        assert!(cipher.decrypt(&legacy, at(b"clients.trade_union")).is_err());
        assert!(!cipher.is_current(&legacy));
    }

    #[test]
    fn a_rotated_keyring_reads_old_and_writes_new_and_running_ciphers_catch_up() {
        let shared = Arc::new(RwLock::new(Keyring::single([1u8; 32])));
        let source = Arc::clone(&shared);
        let reload: Reload = Arc::new(move || Ok(source.read().unwrap().clone()));
        let running = Cipher::with_keyring(&shared.read().unwrap(), Some(Arc::clone(&reload)));
        let old = running.encrypt(b"vanha", at(b"t")).unwrap();
        assert_eq!(Cipher::key_id_of(&old), Some(1));

        // Another process rotates and writes with the new key.
        *shared.write().unwrap() = Keyring::new(vec![(1, [1u8; 32]), (2, [2u8; 32])]).unwrap();
        let other = Cipher::with_keyring(&shared.read().unwrap(), None);
        let new = other.encrypt(b"uusi", at(b"t")).unwrap();
        assert_eq!(Cipher::key_id_of(&new), Some(2));

        // The running cipher has not seen key 2 yet: it reloads instead of failing.
        assert_eq!(running.current_key_id(), 1);
        assert_eq!(running.decrypt(&new, at(b"t")).unwrap(), b"uusi");
        assert_eq!(running.current_key_id(), 2);
        assert_eq!(running.decrypt(&old, at(b"t")).unwrap(), b"vanha");
        assert!(!running.refresh().unwrap());

        assert!(Keyring::new(vec![(1, [1u8; 32]), (1, [2u8; 32])]).is_err());
        assert!(Keyring::new(vec![(0, [1u8; 32])]).is_err());
        assert!(Keyring::new(vec![]).is_err());
    }

    #[test]
    fn lookup_hashes_are_keyed_and_separated_by_context() {
        let key = LookupKey::new([3u8; 32]);
        let hash = key.hash("identity_code", "131052-308T");
        assert_eq!(hash.len(), 32);
        assert_eq!(hash, key.hash("identity_code", "131052-308T"));
        assert_ne!(hash, key.hash("identity_code", "131052A308T"));
        assert_ne!(hash, key.hash("email", "131052-308T"));
        assert_ne!(
            hash,
            LookupKey::new([4u8; 32]).hash("identity_code", "131052-308T")
        );
    }
}
