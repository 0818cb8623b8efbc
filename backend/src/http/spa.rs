//! Serving the single-page app: files from the build, `index.html` for client-side
//! routes, and problem+json 404s for anything under `/api`.

use std::path::Path;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, guard, web};

use crate::error::ApiError;
use crate::state::AppState;

/// Mounts the built app at `/` (when there is one).
pub fn configure(cfg: &mut web::ServiceConfig, dir: Option<&Path>) {
    if let Some(dir) = dir {
        cfg.service(
            Files::new("/", dir)
                .index_file("index.html")
                // Other methods fall through to the problem+json 404 below.
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .use_etag(true)
                .use_last_modified(true)
                .default_handler(fn_service(|req: ServiceRequest| async {
                    let (req, _payload) = req.into_parts();
                    let response = fallback(req.clone()).await;
                    Ok(ServiceResponse::new(req, response))
                })),
        );
    }
}

/// What a path that no route or file matched gets.
pub async fn fallback(req: HttpRequest) -> HttpResponse {
    match spa_index(&req).await {
        Ok(response) => response,
        Err(error) => error.error_response(),
    }
}

async fn spa_index(req: &HttpRequest) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    // API paths and missing build assets are real 404s, never the app's HTML.
    if path == "/api" || path.starts_with("/api/") || path.starts_with("/assets/") {
        return Err(ApiError::NotFound);
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Err(ApiError::NotFound);
    }
    let state = req.app_data::<web::Data<AppState>>().ok_or(ApiError::NotFound)?;
    let index = state.settings.frontend_dir.join("index.html");
    let file = NamedFile::open_async(&index)
        .await
        .map_err(|_| ApiError::NotFound)?;
    let mut response = file.use_etag(true).into_response(req);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}
