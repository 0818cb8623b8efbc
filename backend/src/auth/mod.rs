//! Authentication and authorisation: sessions, tokens, passwords, roles and permissions.

pub mod actor;
pub mod api;
pub mod mfa;
pub mod password;
pub mod permissions;
pub mod routes;
pub mod store;
pub mod tokens;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the `/auth` endpoints (inside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::login)
        .service(routes::refresh)
        .service(routes::logout)
        .service(routes::me)
        .service(routes::update_me)
        .service(routes::change_password)
        .service(routes::set_password)
        .service(routes::oauth_token)
        .service(routes::login_mfa)
        .service(routes::mfa_setup)
        .service(routes::mfa_confirm)
        .service(routes::login_mfa_setup)
        .service(routes::login_mfa_confirm);
}
