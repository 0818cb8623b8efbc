//! The OpenAPI document: built from the same route registrations the server uses, so it
//! cannot drift from the code. `polku openapi` prints it; `openapi/openapi.json` is its
//! committed copy.

use actix_web::App;
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme,
};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::audit::api::EventCategory;
use crate::auth::permissions::Scope;
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
    // Schemas used only by query parameters are not collected from the routes.
    components(schemas(Problem, FieldError, EventCategory, crate::attendance::api::ReportFormat)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "system", description = "Health and readiness probes"),
        (name = "auth", description = "Login, sessions, passwords and two-factor authentication"),
        (name = "admin", description = "Staff accounts, units, organisation settings and API clients (admin role)"),
        (name = "units", description = "The organisation's units"),
        (name = "clients", description = "Clients; every read and write is recorded in the access log"),
        (name = "consents", description = "Consents given and withdrawn, and disclosures that rely on them or on a law"),
        (name = "periods", description = "Service periods with goals, diary, agreements, assessments and reports; the organisation's code lists and instruments"),
        (name = "attendance", description = "Day sheets of units and groups marked whole, month calendars, regularity and the monthly allowance report"),
        (name = "audit", description = "Access log, disclosure log and reports for the data protection officer"),
    ),
)]
pub struct ApiDoc;

/// Staff use session tokens from `/auth/login`; integrators use OAuth2 client credentials.
#[derive(Debug)]
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("Access token of a staff session (POST /api/v1/auth/login)"))
                    .build(),
            ),
        );
        let scopes = Scopes::from_iter(
            Scope::ALL
                .iter()
                .map(|scope| (scope.as_str().to_owned(), format!("{scope:?}"))),
        );
        components.add_security_scheme(
            "oauth2",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::ClientCredentials(ClientCredentials::new(
                    "/api/v1/oauth/token",
                    scopes,
                ))],
                "API clients of integrators (created by an admin)",
            )),
        );
    }
}

/// The complete OpenAPI document of this build.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_app, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::http::configure_api)
        .split_for_parts();
    api
}
