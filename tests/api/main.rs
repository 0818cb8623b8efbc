//! Black-box API tests: each starts the real server on its own database.

mod access_log;
mod api_clients;
mod attendance;
mod audit_tamper;
mod auth;
mod clients;
mod consents;
mod errors;
mod health;
mod matrix;
mod mfa;
mod openapi;
mod periods;
mod roles;
mod security;
mod spa;
mod tenancy;
