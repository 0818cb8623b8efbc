//! Consents (suostumukset) and disclosures (luovutukset).
//!
//! A consent is given once and never edited: changing one means withdrawing it and
//! giving a new one, and the database lets the application do nothing else (insert and
//! read only). Every disclosure of client data goes through [`store::authorise_disclosure`]:
//! a valid written consent covering the recipient and the data at that moment, or a recorded legal
//! basis from someone allowed to invoke one. Whatever is disclosed is written to the
//! disclosure log with the consent or the law it relied on.
//!
//! What other areas use of consents (the allowance report's statutory disclosure) is
//! re-exported here.

pub mod api;
pub mod form;
pub mod routes;
pub mod store;

pub use api::DataCategory;
pub use store::statutory as statutory_disclosure;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the consent and disclosure endpoints (inside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::expiring_consents)
        .service(routes::clients_without_processing_consent)
        .service(routes::list_consents)
        .service(routes::consent_timeline)
        .service(routes::consent_form)
        .service(routes::give_consent)
        .service(routes::get_consent)
        .service(routes::withdraw_consent)
        .service(routes::record_disclosure)
        .service(routes::list_disclosures);
}
