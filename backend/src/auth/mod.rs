//! Authentication: the `Actor` every handler starts from (a verified token of a live
//! session), passwords, second factor, and the login and session endpoints. Roles and
//! permissions are in `permissions`, token signing in `tokens`.

pub mod actor;
pub mod api;
pub mod mfa;
pub mod password;
pub mod routes;
pub mod store;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the `/auth` endpoints (inside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::login)
        .service(routes::refresh)
        .service(routes::logout)
        .service(routes::me)
        .service(routes::change_password)
        .service(routes::set_password)
        .service(routes::oauth_token)
        .service(routes::login_mfa)
        .service(routes::mfa_setup)
        .service(routes::mfa_confirm)
        .service(routes::mfa_disable)
        .service(routes::list_sessions)
        .service(routes::end_session)
        .service(routes::login_mfa_setup)
        .service(routes::login_mfa_confirm);
}
