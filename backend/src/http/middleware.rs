//! Cross-cutting request and response behaviour: bodies read whole before anything else,
//! request ids, security headers, caching, CORS.

use std::time::Duration;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::ConnectionType;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::web::{self, Bytes, BytesMut};
use actix_web::{HttpMessage, ResponseError};
use futures_util::StreamExt;
use tracing_actix_web::RequestId;

use crate::error::ApiError;

/// The SPA and the API docs need nothing from other origins. Mantine sets inline
/// `style` attributes, hence `'unsafe-inline'` for styles only.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
    connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; \
    object-src 'none'";

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Headers on every response. HSTS only when served over TLS (a setting), since a
/// browser would otherwise refuse plain-HTTP local installs for a year.
pub fn security_headers(hsts: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ))
        .add((
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
        .add((
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ));
    if hsts {
        headers.add((
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        headers
    }
}

/// Echoes the request id (also in every log line of the request) as `X-Request-Id`.
pub async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().copied();
    let mut response = next.call(req).await?;
    if let Some(id) = id
        && let Ok(value) = HeaderValue::from_str(&id.to_string())
    {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

/// Reads the whole request body into memory before the request runs: within the body
/// timeout (else 408) and the body limit (else 413). Only then do the extractors run, so
/// a client that trickles or stalls its body never holds a database connection or a
/// transaction (the `Actor` extractor takes one while the body is still arriving
/// otherwise, as actix polls a handler's extractors together).
pub async fn read_body(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<crate::state::AppState>>() else {
        return next.call(req).await;
    };
    let limit = state.settings.json_limit_bytes;
    let timeout = Duration::from_secs(state.settings.body_timeout_secs);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(refuse(ApiError::PayloadTooLarge { limit }));
    }
    let mut payload = req.take_payload();
    let read = async {
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|error| {
                ApiError::bad_request(
                    "malformed-body",
                    format!("The request body could not be read: {error}"),
                )
            })?;
            if body.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok::<Bytes, ApiError>(body.freeze())
    };
    let body = match tokio::time::timeout(timeout, read).await {
        Ok(Ok(body)) => body,
        Ok(Err(error)) => return Err(refuse(error)),
        Err(_elapsed) => return Err(refuse(ApiError::RequestTimeout)),
    };
    req.set_payload(Payload::from(body));
    next.call(req).await
}

/// An error answered before the body was read: the connection closes after it, since
/// the rest of the body may still be on its way.
fn refuse(error: ApiError) -> actix_web::Error {
    let mut response = error.error_response();
    response.head_mut().set_connection_type(ConnectionType::Close);
    actix_web::error::InternalError::from_response(error, response).into()
}

/// Lets the request's authentication begin the transaction its handler continues
/// ([`crate::db::request_scope`]).
pub async fn request_transaction(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    crate::db::request_scope(next.call(req)).await
}

/// Hashed build assets are immutable; API answers hold personal data and are never
/// stored; everything else (index.html, docs) is revalidated.
pub async fn cache_control(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = req.path().to_owned();
    let mut response = next.call(req).await?;
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        let value = if path.starts_with("/assets/") && response.status().is_success() {
            "public, max-age=31536000, immutable"
        } else if path.starts_with("/api/docs")
            || !(path.starts_with("/api/") || path == "/healthz" || path == "/readyz")
        {
            "no-cache"
        } else {
            "no-store"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    Ok(response)
}

/// CORS for the configured origins only; without any, no CORS middleware runs and
/// browsers keep cross-origin calls out.
pub fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::ACCEPT,
        ])
        .allowed_header("idempotency-key")
        .expose_headers([header::ETAG, header::RETRY_AFTER, header::LOCATION, REQUEST_ID])
        .max_age(600)
}
