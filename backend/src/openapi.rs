//! The OpenAPI document: built from the same route registrations the server uses, so it
//! cannot drift from the code. `polku openapi` prints it; `openapi/openapi.json` is its
//! committed copy.

use actix_web::App;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

use crate::error::{FieldError, Problem};

/// Static parts of the document: info, shared schemas, tags.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "Polku API",
        description = "Client management for employment services, rehabilitative work activity, \
                       coaching, youth workshops and integration services.\n\n\
                       Errors are RFC 9457 `application/problem+json` documents.",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    components(schemas(Problem, FieldError)),
    tags((name = "system", description = "Health and readiness probes")),
)]
pub struct ApiDoc;

/// The complete OpenAPI document of this build.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_app, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::http::configure_api)
        .split_for_parts();
    api
}
