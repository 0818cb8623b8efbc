//! Polku: client management for services that help people toward work.
//!
//! Cross-cutting modules (`config`, `db`, `embedded`, `error`, `http`, `openapi`,
//! `telemetry`) sit beside one folder per domain area, each with the same inner shape:
//! `routes.rs`, `api.rs`, `store.rs`, `mod.rs`.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod cli;
#[macro_use]
pub mod clients;
pub mod attendance;
pub mod config;
pub mod consents;
pub mod crypto;
pub mod db;
pub mod email;
pub mod embedded;
pub mod error;
pub mod http;
pub mod keys;
pub mod openapi;
pub mod pagination;
pub mod periods;
pub mod schema;
pub mod seed;
pub mod system;
pub mod telemetry;
