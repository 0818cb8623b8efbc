//! Polku: client management for services that help people toward work.
//!
//! Three floors, like the frontend's `lib/` → `features/` → `app/`:
//!
//! - **Kernel** (below): `config`, `db`, `error`, `crypto`, `keys`, `tokens`,
//!   `permissions`, `state`, `http` (extractors, middleware), `auth` (the `Actor` and the
//!   session endpoints), `audit` (the access log's one writer and its chain), `pagination`,
//!   `email`, `embedded`, `telemetry`, `schema`, `ids` (typed ids: `ClientId`, `PeriodId`,
//!   `UnitId` …), and `domain` (validation, code lists, the unit rule, the rectification
//!   writer, printing, identity codes and IBANs).
//! - **Areas** (beside each other): `admin`, `clients`, `consents`, `periods`,
//!   `attendance`, `reports`, `privacy`, `system`. Each has `api.rs` (wire types),
//!   `routes` (handlers: extract → `actor.require(..)` → one transaction → map) and
//!   `store` (every query, with its row types) — a file each, or a folder with a file per
//!   sub-resource (`store/goals.rs`) — and `mod.rs` with `configure` and the small public
//!   surface other areas may use (`pub use`).
//! - **Composition** (on top): `startup` (route table, server, OpenAPI spec), `cli`,
//!   `seed`.
//!
//! The one rule: imports only go down or sideways through a surface — a kernel module
//! imports no area, an area imports another area only through what that area's `mod.rs`
//! re-exports, nothing imports the composition, and no handler file runs a query.
//! `tools/check_layers.py` (part of `make test`) enforces it.

// The kernel.
#[macro_use]
pub mod domain;
pub mod audit;
pub mod auth;
pub mod config;
pub mod crypto;
pub mod db;
pub mod email;
pub mod embedded;
pub mod error;
pub mod http;
pub mod ids;
pub mod keys;
pub mod pagination;
pub mod permissions;
pub mod schema;
pub mod state;
pub mod telemetry;
pub mod tokens;

// The areas.
pub mod admin;
pub mod attendance;
pub mod clients;
pub mod consents;
pub mod periods;
pub mod privacy;
pub mod reports;
pub mod system;

// The composition.
pub mod cli;
pub mod seed;
pub mod startup;
