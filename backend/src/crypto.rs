//! Encryption at rest: AES-256-GCM with a key id in every ciphertext, so keys can be
//! rotated (new writes use the current key, old rows stay readable).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};

/// Ciphertext layout: `[version=1][key id][12-byte nonce][ciphertext + 16-byte tag]`.
const FORMAT_VERSION: u8 = 1;
const NONCE_LEN: usize = 12;

/// Encrypts and decrypts with the current key; decrypts with any known key.
#[derive(Clone)]
pub struct Cipher {
    current: u8,
    keys: Vec<(u8, Aes256Gcm)>,
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cipher")
            .field("current_key_id", &self.current)
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
        Self {
            current: 1,
            keys: vec![(1, Aes256Gcm::new(key.into()))],
        }
    }

    /// Encrypts `plaintext`, binding it to `context` (e.g. table and column) so that a
    /// ciphertext copied to another place does not decrypt there.
    pub fn encrypt(&self, plaintext: &[u8], context: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let cipher = self.key(self.current)?;
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| CryptoError)?;
        let sealed = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: context,
                },
            )
            .map_err(|_| CryptoError)?;
        let mut out = Vec::with_capacity(2 + NONCE_LEN + sealed.len());
        out.extend_from_slice(&[FORMAT_VERSION, self.current]);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Decrypts what [`Cipher::encrypt`] produced with the same context.
    pub fn decrypt(&self, data: &[u8], context: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let [version, key_id, rest @ ..] = data else {
            return Err(CryptoError);
        };
        if *version != FORMAT_VERSION || rest.len() < NONCE_LEN + 16 {
            return Err(CryptoError);
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| CryptoError)?;
        self.key(*key_id)?
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: context,
                },
            )
            .map_err(|_| CryptoError)
    }

    fn key(&self, id: u8) -> Result<&Aes256Gcm, CryptoError> {
        self.keys
            .iter()
            .find(|(key_id, _)| *key_id == id)
            .map(|(_, key)| key)
            .ok_or(CryptoError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_tampering_other_contexts_and_other_keys() {
        let cipher = Cipher::new(&[7u8; 32]);
        let sealed = cipher
            .encrypt(b"131052-308T", b"clients.personal_identity_code")
            .unwrap();
        assert_eq!(
            cipher
                .decrypt(&sealed, b"clients.personal_identity_code")
                .unwrap(),
            b"131052-308T"
        );
        assert_ne!(
            sealed,
            cipher
                .encrypt(b"131052-308T", b"clients.personal_identity_code")
                .unwrap(),
            "random nonce"
        );
        assert!(cipher.decrypt(&sealed, b"clients.iban").is_err());
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(
            cipher
                .decrypt(&tampered, b"clients.personal_identity_code")
                .is_err()
        );
        assert!(
            Cipher::new(&[8u8; 32])
                .decrypt(&sealed, b"clients.personal_identity_code")
                .is_err()
        );
        assert!(cipher.decrypt(&[], b"").is_err());
    }
}
