//! The HTTP edge below every area: extractors, request metadata, middleware and the SPA.
//! The server itself is put together by the `startup` module, the composition above the areas.

pub mod extract;
mod meta;
pub mod middleware;
pub mod spa;

pub use meta::{IfMatch, REFRESH_COOKIE, RefreshCookie, RequestMeta, etag};
