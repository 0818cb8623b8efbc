//! Wire types of the system endpoints.

use serde::Serialize;
use utoipa::ToSchema;

/// The process is alive.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthResponse {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The server can serve requests: the database is reachable and fully migrated.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessResponse {
    /// Always `ready` (an unready server answers 503 with a problem document).
    #[schema(example = "ready")]
    pub status: &'static str,
    /// Version of the running Polku.
    #[schema(example = "0.1.0")]
    pub version: &'static str,
}
