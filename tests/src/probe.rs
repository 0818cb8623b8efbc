//! Probe routes mounted only in tests: they exercise the shared extractor configuration
//! (JSON, path, query) exactly as domain handlers will use it, before there are domain
//! handlers with bodies to test it through.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

/// JSON body limit used by test servers: the production default, so a whole day sheet
/// (500 marks) fits as it does in production.
pub const JSON_LIMIT: usize = 1024 * 1024;

/// A body with a required field, a typed field and no room for unknown ones.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeBody {
    /// Required text.
    pub name: String,
    /// Must be a non-negative integer.
    pub count: u32,
}

/// Query parameters with a typed value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeQuery {
    /// Page size.
    pub limit: u32,
}

/// Mounts the probes under `/api/_probe`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/_probe")
            .route("/echo", web::post().to(echo))
            .route("/items/{id}", web::get().to(item))
            .route("/items", web::get().to(items)),
    );
}

async fn echo(body: web::Json<ProbeBody>) -> HttpResponse {
    HttpResponse::Ok().json(body.into_inner())
}

async fn item(id: web::Path<uuid::Uuid>) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "id": id.into_inner() }))
}

async fn items(query: web::Query<ProbeQuery>) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "limit": query.limit }))
}
