//! Liveness and readiness probes (for load balancers, orchestrators and the SPA).

use actix_web::{HttpResponse, get, web};

use super::api::{HealthResponse, ReadinessResponse};
use crate::db;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// Liveness: the process is up and serving HTTP. Does not touch the database.
#[utoipa::path(
    tag = "system",
    responses((status = 200, description = "The process is alive", body = HealthResponse)),
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(HealthResponse { status: "ok" })
}

/// Readiness: the database is reachable and migrated to this version.
#[utoipa::path(
    tag = "system",
    responses(
        (status = 200, description = "Ready to serve requests", body = ReadinessResponse),
        (status = 503, description = "Database unavailable or not migrated; see `Retry-After`",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
    ),
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let mut conn = db::connection(&state.pool).await?;
    let migrated = db::is_migrated(&mut conn).await.map_err(|error| match error {
        // Any failure to read the migration table means "not ready", never a 500.
        diesel::result::Error::DatabaseError(_, info) => {
            ApiError::DatabaseUnavailable(info.message().to_owned())
        }
        other => ApiError::DatabaseUnavailable(other.to_string()),
    })?;
    if !migrated {
        return Err(ApiError::NotMigrated);
    }
    Ok(HttpResponse::Ok().json(ReadinessResponse {
        status: "ready",
        version: env!("CARGO_PKG_VERSION"),
    }))
}
