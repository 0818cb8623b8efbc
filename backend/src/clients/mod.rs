//! Clients (asiakkaat): the registry's core. Every read and write of a client is recorded
//! in the access log in the same transaction.

mod access;
pub mod api;
pub mod fields;
pub mod generate;
pub mod lookup;
pub mod reencrypt;
pub mod routes;
pub mod store;
mod timeline;

pub use access::{readable, writable};
pub use api::ClientStatus;
// The DPO's access report names any client of the organisation, whatever its unit.
pub use store::find;
pub use store::{ClientRow, find_for_update};

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the client endpoints (inside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::create_client)
        .service(routes::list_clients)
        .service(routes::search_clients)
        .service(routes::get_client)
        .service(routes::update_client)
        .service(routes::close_client)
        .service(routes::reopen_client)
        .service(routes::client_changes)
        .service(routes::history::list_history)
        .service(routes::history::create_history_entry)
        .service(routes::history::update_history_entry);
}
