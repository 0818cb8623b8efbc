//! Facts about a request that the audit log records: request id, source address, user agent.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use tracing_actix_web::RequestId;

use crate::error::ApiError;
use crate::state::AppState;

const MAX_USER_AGENT: usize = 300;

/// Request id, source address and user agent of the current request.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    /// The id in `X-Request-Id` and in every log line of the request.
    pub request_id: Option<String>,
    /// The client's IP address (from `X-Forwarded-For` only when configured to trust it).
    pub source_address: Option<String>,
    /// The `User-Agent`, truncated.
    pub user_agent: Option<String>,
}

impl RequestMeta {
    /// Reads the facts off a request.
    pub fn of(req: &HttpRequest) -> Self {
        let trust_forwarded = req
            .app_data::<web::Data<AppState>>()
            .is_some_and(|state| state.settings.trust_forwarded_for);
        let source_address = if trust_forwarded {
            req.connection_info().realip_remote_addr().map(strip_port)
        } else {
            req.peer_addr().map(|addr| addr.ip().to_string())
        };
        let user_agent = req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(|agent| agent.chars().take(MAX_USER_AGENT).collect());
        Self {
            request_id: req.extensions().get::<RequestId>().map(ToString::to_string),
            source_address,
            user_agent,
        }
    }
}

fn strip_port(address: &str) -> String {
    address
        .parse::<std::net::SocketAddr>()
        .map(|socket| socket.ip().to_string())
        .unwrap_or_else(|_| address.to_owned())
}

impl FromRequest for RequestMeta {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(Ok(Self::of(req)))
    }
}

/// Name of the HttpOnly cookie that carries the refresh token.
pub const REFRESH_COOKIE: &str = "polku_refresh";

/// The refresh-token cookie, if the request carries one.
#[derive(Debug, Clone)]
pub struct RefreshCookie(pub Option<String>);

impl FromRequest for RefreshCookie {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let value = req.cookie(REFRESH_COOKIE).map(|cookie| cookie.value().to_owned());
        ready(Ok(Self(value)))
    }
}

/// The version in an `If-Match: "<version>"` header, if one was sent. A malformed header
/// is a 400; a stale one a 412 (checked by the handler against the row).
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub Option<i32>);

impl IfMatch {
    /// 412 unless the header is absent or names `current`.
    pub fn check(self, current: i32) -> Result<(), ApiError> {
        match self.0 {
            Some(expected) if expected != current => Err(ApiError::PreconditionFailed),
            _ => Ok(()),
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let Some(value) = req.headers().get(header::IF_MATCH) else {
            return ready(Ok(Self(None)));
        };
        let parsed = value
            .to_str()
            .ok()
            .map(|text| text.trim().trim_start_matches("W/").trim_matches('"'))
            .and_then(|text| text.parse::<i32>().ok());
        ready(parsed.map(|version| Self(Some(version))).ok_or_else(|| {
            ApiError::bad_request(
                "invalid-if-match",
                "If-Match must be the ETag of the resource, e.g. \"3\".",
            )
        }))
    }
}

/// The `ETag` header value of a version.
pub fn etag(version: i32) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}
