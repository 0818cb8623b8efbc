//! The state every request handler shares: the database pool, the settings and the keys.

use std::sync::Arc;

use crate::config::Settings;
use crate::crypto::{Cipher, LookupKey};
use crate::db::DbPool;
use crate::tokens::TokenKeys;

/// Shared state of every worker.
#[derive(Clone)]
pub struct AppState {
    /// Runtime database connections.
    pub pool: DbPool,
    /// The loaded settings.
    pub settings: Arc<Settings>,
    /// Signs and verifies access tokens.
    pub keys: TokenKeys,
    /// Encrypts secrets and special-category data at rest.
    pub cipher: Cipher,
    /// Keyed hashes for exact lookup of encrypted values.
    pub lookup: LookupKey,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}
