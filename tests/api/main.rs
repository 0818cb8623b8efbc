//! Black-box API tests: each starts the real server on its own database.

mod access_log;
mod api_clients;
mod attendance;
mod audit_tamper;
mod auth;
mod client_actions;
mod clients;
mod consents;
mod db_tls;
mod encryption;
mod errors;
mod health;
mod identity_lookup;
mod matrix;
mod mfa;
mod openapi;
mod password_links;
mod periods;
mod pool;
mod races;
mod read_logging;
mod roles;
mod security;
mod spa;
mod tenancy;
