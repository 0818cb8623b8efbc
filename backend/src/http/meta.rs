//! Facts about a request that the audit log records: request id, source address, user agent.

use std::future::{Ready, ready};
use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use ipnet::IpNet;
use tracing_actix_web::RequestId;

use crate::error::ApiError;
use crate::state::AppState;

const MAX_USER_AGENT: usize = 300;

/// Request id, source address and user agent of the current request.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    /// The id in `X-Request-Id` and in every log line of the request.
    pub request_id: Option<String>,
    /// The client's IP address (behind trusted proxies, from `X-Forwarded-For`).
    pub source_address: Option<String>,
    /// The `User-Agent`, truncated.
    pub user_agent: Option<String>,
}

impl RequestMeta {
    /// Reads the facts off a request.
    pub fn of(req: &HttpRequest) -> Self {
        let proxies = req
            .app_data::<web::Data<AppState>>()
            .map(|state| state.settings.trusted_proxies.as_slice())
            .unwrap_or_default();
        let forwarded: Vec<&str> = req
            .headers()
            .get_all(X_FORWARDED_FOR)
            .filter_map(|value| value.to_str().ok())
            .collect();
        let source_address = client_address(req.peer_addr().map(|addr| addr.ip()), &forwarded, proxies)
            .map(|ip| ip.to_string());
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

const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address: the peer, unless the peer is a trusted proxy; then, walking
/// `X-Forwarded-For` from the right (each proxy appends the address it was called from),
/// the first entry that is not a trusted proxy. Entries left of it were written by the
/// client and prove nothing. An entry that is not an address ends the walk at the last
/// proxy that was.
fn client_address(peer: Option<IpAddr>, forwarded: &[&str], proxies: &[IpNet]) -> Option<IpAddr> {
    let trusted = |ip: &IpAddr| proxies.iter().any(|net| net.contains(ip));
    let mut client = peer?;
    if !trusted(&client) {
        return Some(client);
    }
    let entries = forwarded
        .iter()
        .flat_map(|header| header.split(','))
        .collect::<Vec<_>>();
    for entry in entries.into_iter().rev() {
        let Some(ip) = parse_entry(entry) else {
            break;
        };
        client = ip;
        if !trusted(&ip) {
            break;
        }
    }
    Some(client)
}

/// An `X-Forwarded-For` entry: an address, perhaps with a port (`[v6]:port`, `v4:port`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry.parse::<IpAddr>().ok().or_else(|| {
        entry
            .parse::<std::net::SocketAddr>()
            .ok()
            .map(|socket| socket.ip())
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_right_most_entry_that_is_not_a_trusted_proxy() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap(), "192.0.2.1/32".parse().unwrap()];
        let peer = Some(ip("10.1.1.1"));
        let cases: [(&[&str], &str); 6] = [
            (&["6.6.6.6, 198.51.100.7, 192.0.2.1"], "198.51.100.7"),
            (&["6.6.6.6", "198.51.100.7:5555, 10.2.2.2"], "198.51.100.7"),
            (&["[2001:db8::7]:443"], "2001:db8::7"),
            (&["10.3.3.3, 192.0.2.1"], "10.3.3.3"),
            (&["nonsense, 10.3.3.3"], "10.3.3.3"),
            (&[], "10.1.1.1"),
        ];
        for (forwarded, expected) in cases {
            assert_eq!(
                client_address(peer, forwarded, &proxies),
                Some(ip(expected)),
                "{forwarded:?}"
            );
        }
    }

    #[test]
    fn without_trusted_proxies_or_from_an_untrusted_peer_the_header_is_ignored() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        assert_eq!(
            client_address(Some(ip("127.0.0.1")), &["198.51.100.7"], &[]),
            Some(ip("127.0.0.1"))
        );
        assert_eq!(
            client_address(Some(ip("203.0.113.9")), &["198.51.100.7"], &proxies),
            Some(ip("203.0.113.9"))
        );
    }
}
