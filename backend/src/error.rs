//! The one error type of the HTTP edge, rendered as RFC 9457 `application/problem+json`.
//!
//! Stores return `QueryResult`, startup and the CLI use `anyhow`; only handlers and
//! extractors speak `ApiError`. Internal causes are logged, never put in a body.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::permissions::{Permission, Role, Scope};

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Seconds a client is asked to wait when the database is unavailable.
const DATABASE_RETRY_AFTER_SECS: u64 = 5;

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted path of the field in the request (`address.postal_code`); empty for the
    /// request as a whole.
    pub field: String,
    /// Stable machine-readable code the UI translates (`required`, `unknown_field`, ...).
    pub code: String,
    /// English explanation for developers.
    pub message: String,
}

impl FieldError {
    /// A field error with the given path, code and message.
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// An RFC 9457 problem document, as sent to clients.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// URI identifying the kind of problem (`urn:polku:problem:<slug>`).
    #[serde(rename = "type")]
    #[schema(example = "urn:polku:problem:validation")]
    pub problem_type: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// Explanation of this occurrence.
    pub detail: String,
    /// Invalid fields, for validation problems; for a refused disclosure
    /// (`consent-required`), why it was refused (field `consent_id`, code `no_consent`,
    /// `named_consent_not_in_force`, `verbal_consent` or `electronic_consent_not_written`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The permission the request needs, when the lack of it is why it was refused (403):
    /// the UI names it, the admin grants a role that has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<Permission>,
}

/// Every error a request can end in.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request could not be parsed (malformed JSON, bad path or query parameter).
    #[error("bad request: {detail}")]
    BadRequest { slug: &'static str, detail: String },
    /// No valid credentials.
    #[error("unauthenticated")]
    Unauthenticated,
    /// Wrong login name or password (the same answer for both).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Authenticated, but not allowed (e.g. a person's action asked by an API client).
    #[error("forbidden")]
    Forbidden,
    /// Authenticated, but without the permission the request needs.
    #[error("forbidden: needs {0:?}")]
    MissingPermission(Permission),
    /// A client of another unit may be opened only with a stated reason (which is logged).
    #[error("access reason required")]
    ReasonRequired,
    /// Missing, or belongs to another organisation (indistinguishable on purpose).
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state (duplicate, wrong state).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A disclosure with neither a valid written consent covering it nor a recorded legal
    /// basis; `code` says why (`no_consent`, `verbal_consent`, ...), sent as the one
    /// entry of `errors` (field `consent_id`) for the UI to word.
    #[error("consent required: {detail}")]
    ConsentRequired { code: &'static str, detail: String },
    /// A one-time link that is unknown, used or expired.
    #[error("link expired")]
    LinkExpired,
    /// `If-Match` did not match the current version.
    #[error("precondition failed")]
    PreconditionFailed,
    /// The body is larger than allowed.
    #[error("payload too large (limit {limit} bytes)")]
    PayloadTooLarge { limit: usize },
    /// The body did not arrive within the body timeout.
    #[error("request body timed out")]
    RequestTimeout,
    /// The body is not of a supported media type.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The body was well-formed but some fields are invalid.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// Too many requests; try again after the given number of seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// The database cannot be reached right now.
    #[error("database unavailable: {0}")]
    DatabaseUnavailable(String),
    /// The database is reachable but not migrated to this version of Polku.
    #[error("database not migrated")]
    NotMigrated,
    /// Anything unexpected; the cause is logged, the client gets an opaque 500.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A 400 for a request that could not be parsed.
    pub fn bad_request(slug: &'static str, detail: impl Into<String>) -> Self {
        Self::BadRequest {
            slug,
            detail: detail.into(),
        }
    }

    /// A 422 with a single field error.
    pub fn invalid_field(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::Validation(vec![FieldError::new(field, code, message)])
    }

    fn slug(&self) -> &'static str {
        match self {
            Self::BadRequest { slug, .. } => slug,
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid-credentials",
            Self::Forbidden | Self::MissingPermission(_) => "forbidden",
            Self::ReasonRequired => "access-reason-required",
            Self::NotFound => "not-found",
            Self::Conflict(_) => "conflict",
            Self::ConsentRequired { .. } => "consent-required",
            Self::PreconditionFailed => "stale-version",
            Self::LinkExpired => "link-expired",
            Self::PayloadTooLarge { .. } => "payload-too-large",
            Self::RequestTimeout => "request-timeout",
            Self::UnsupportedMediaType => "unsupported-media-type",
            Self::Validation(_) => "validation",
            Self::TooManyRequests { .. } => "too-many-requests",
            Self::DatabaseUnavailable(_) => "database-unavailable",
            Self::NotMigrated => "database-not-migrated",
            Self::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Self::BadRequest { .. } => "Malformed request",
            Self::Unauthenticated => "Authentication required",
            Self::InvalidCredentials => "Invalid credentials",
            Self::Forbidden | Self::MissingPermission(_) => "Forbidden",
            Self::ReasonRequired => "Reason required",
            Self::NotFound => "Not found",
            Self::Conflict(_) => "Conflict",
            Self::ConsentRequired { .. } => "Consent required",
            Self::PreconditionFailed => "Stale version",
            Self::LinkExpired => "Link expired",
            Self::PayloadTooLarge { .. } => "Payload too large",
            Self::RequestTimeout => "Request timeout",
            Self::UnsupportedMediaType => "Unsupported media type",
            Self::Validation(_) => "Invalid request",
            Self::TooManyRequests { .. } => "Too many requests",
            Self::DatabaseUnavailable(_) | Self::NotMigrated => "Service unavailable",
            Self::Internal(_) => "Internal server error",
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::BadRequest { detail, .. } => detail.clone(),
            Self::Unauthenticated => "A valid access token is required.".to_owned(),
            Self::InvalidCredentials => "The email address or the password is wrong.".to_owned(),
            Self::Forbidden => "You do not have permission to do this.".to_owned(),
            Self::MissingPermission(permission) => missing_permission_detail(*permission),
            Self::ReasonRequired => "This client belongs to another unit. State why you need to open the \
                                     record (access_reason); the reason is recorded in the access log."
                .to_owned(),
            Self::NotFound => "The resource does not exist.".to_owned(),
            Self::Conflict(detail) | Self::ConsentRequired { detail, .. } => detail.clone(),
            Self::LinkExpired => {
                "The link is unknown, already used or expired; ask your admin for a new one.".to_owned()
            }
            Self::PreconditionFailed => {
                "The resource has changed since you read it; reload it and try again.".to_owned()
            }
            Self::PayloadTooLarge { limit } => {
                format!("The request body exceeds the limit of {limit} bytes.")
            }
            Self::RequestTimeout => "The request body did not arrive in time; send it again.".to_owned(),
            Self::UnsupportedMediaType => "The request body must be application/json.".to_owned(),
            Self::Validation(_) => "Some fields are invalid; see `errors`.".to_owned(),
            Self::TooManyRequests { retry_after_secs } => {
                format!("Too many requests; try again in {retry_after_secs} seconds.")
            }
            Self::DatabaseUnavailable(_) => {
                "The database is temporarily unavailable; try again shortly.".to_owned()
            }
            Self::NotMigrated => "The database schema is not up to date yet.".to_owned(),
            Self::Internal(_) => "An unexpected error occurred; it has been logged.".to_owned(),
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        Problem {
            problem_type: format!("urn:polku:problem:{}", self.slug()),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            errors: match self {
                Self::Validation(errors) => errors.clone(),
                Self::ConsentRequired { code, detail } => vec![FieldError::new("consent_id", *code, detail)],
                _ => Vec::new(),
            },
            permission: match self {
                Self::MissingPermission(permission) => Some(*permission),
                _ => None,
            },
        }
    }
}

/// Names the permission and who has it: the roles that grant it, the API scopes that do.
fn missing_permission_detail(permission: Permission) -> String {
    let roles: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|role| role.permissions().contains(&permission))
        .map(Role::as_str)
        .collect();
    let scopes: Vec<&str> = Scope::ALL
        .into_iter()
        .filter(|scope| scope.permissions().contains(&permission))
        .map(Scope::as_str)
        .collect();
    // The wire name, as `/auth/me` lists it.
    let name = serde_json::to_value(permission)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut detail = format!("This needs the permission '{name}'");
    if !roles.is_empty() {
        detail.push_str(&format!(", which the role {} grants", roles.join(" or ")));
    }
    if !scopes.is_empty() {
        detail.push_str(&format!(" (API scope {})", scopes.join(" or ")));
    }
    detail.push_str("; ask your admin.");
    detail
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::MissingPermission(_) | Self::ReasonRequired => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict(_) | Self::ConsentRequired { .. } => StatusCode::CONFLICT,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::LinkExpired => StatusCode::GONE,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::DatabaseUnavailable(_) | Self::NotMigrated => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(error = ?cause, "request failed"),
            Self::DatabaseUnavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            Self::TooManyRequests { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::DatabaseUnavailable(_) | Self::NotMigrated => {
                response.insert_header((header::RETRY_AFTER, DATABASE_RETRY_AFTER_SECS.to_string()));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

/// Data that cannot be decrypted (a missing key, tampered ciphertext) is a server fault.
impl From<crate::crypto::CryptoError> for ApiError {
    fn from(error: crate::crypto::CryptoError) -> Self {
        Self::Internal(anyhow::Error::new(error))
    }
}

/// `diesel::NotFound` → 404, unique violations → 409, a lost connection → 503,
/// everything else → opaque 500.
impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                Self::Conflict("A resource with the same unique value already exists.".to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Self::DatabaseUnavailable(info.message().to_owned())
            }
            DieselError::BrokenTransactionManager => {
                Self::DatabaseUnavailable("broken transaction manager".to_owned())
            }
            other => Self::Internal(anyhow::Error::new(other).context("Database query failed")),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.title, self.detail)
    }
}

/// The problem responses that many endpoints share, declared once for the OpenAPI
/// document: `responses(.., NotLoggedIn, NoSuchClient)` in a `#[utoipa::path]`.
/// Endpoint-specific wordings stay as rows in their own paths.
pub mod responses {
    use utoipa::IntoResponses;

    use super::Problem;

    /// No valid access token.
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 401,
        description = "Not logged in",
        content_type = "application/problem+json"
    )]
    pub struct NotLoggedIn(pub Problem);

    /// The body broke a rule; `errors` names each field.
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 422,
        description = "Invalid fields",
        content_type = "application/problem+json"
    )]
    pub struct InvalidFields(pub Problem);

    /// The admin role is needed.
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 403,
        description = "Not an admin",
        content_type = "application/problem+json"
    )]
    pub struct NotAdmin(pub Problem);

    /// No client of the organisation has this id.
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 404,
        description = "No such client",
        content_type = "application/problem+json"
    )]
    pub struct NoSuchClient(pub Problem);

    /// Another unit's client needs a stated reason.
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 403,
        description = "Not allowed, or another unit's client without a reason",
        content_type = "application/problem+json"
    )]
    pub struct ReasonRequired(pub Problem);

    /// The client's unit is not the caller's.
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 403,
        description = "Not allowed for this client's unit",
        content_type = "application/problem+json"
    )]
    pub struct NotForClientsUnit(pub Problem);

    /// No period of the organisation has this id.
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 404,
        description = "No such period",
        content_type = "application/problem+json"
    )]
    pub struct NoSuchPeriod(pub Problem);

    /// The record changed since it was read.
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 412,
        description = "Stale If-Match",
        content_type = "application/problem+json"
    )]
    pub struct StaleIfMatch(pub Problem);

    /// A permission is missing (named in the problem).
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 403,
        description = "Not allowed",
        content_type = "application/problem+json"
    )]
    pub struct NotAllowed(pub Problem);

    /// The unit is not the caller's.
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 403,
        description = "Not allowed for this unit",
        content_type = "application/problem+json"
    )]
    pub struct NotForUnit(pub Problem);

    /// A query parameter broke a rule.
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 422,
        description = "Invalid parameters",
        content_type = "application/problem+json"
    )]
    pub struct InvalidParameters(pub Problem);

    /// No user of the organisation has this id.
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 404,
        description = "No such user",
        content_type = "application/problem+json"
    )]
    pub struct NoSuchUser(pub Problem);

    /// The data protection officer's role is needed.
    #[derive(Debug, IntoResponses)]
    #[response(
        status = 403,
        description = "Not a DPO",
        content_type = "application/problem+json"
    )]
    pub struct NotDpo(pub Problem);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_never_leak_their_cause() {
        let error = ApiError::Internal(anyhow::anyhow!("password=hunter2 at 10.0.0.5"));
        let body = serde_json::to_string(&error.problem()).unwrap_or_default();
        assert!(!body.contains("hunter2"));
        assert!(body.contains("\"status\":500"));
    }

    #[test]
    fn unique_violation_is_a_conflict_and_not_found_is_404() {
        assert_eq!(
            ApiError::from(DieselError::NotFound).status_code(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            ApiError::from(DieselError::RollbackTransaction).status_code(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn validation_problem_lists_fields() {
        let problem = ApiError::invalid_field("email", "invalid_format", "not an email").problem();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.problem_type, "urn:polku:problem:validation");
        assert_eq!(problem.errors.len(), 1);
    }
}
