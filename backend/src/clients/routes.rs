//! Client endpoints. Each writes its access-log event in the transaction that reads or
//! changes the client, so no client data leaves without its event.

use actix_web::{HttpResponse, get, patch, post, web};
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use super::access;
use super::api::{
    ClientResponse, CreateClientRequest, Language, ListClientsParams, ReadParams, UpdateClientRequest,
};
use super::store::{self, ClientChanges, ClientFilter, ClientRow, NewClient};
use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::db;
use crate::error::{ApiError, FieldError, Problem};
use crate::http::{AppState, IfMatch, RequestMeta, etag};
use crate::pagination::{Page, PageParams};
use crate::schema::units;

/// Resource type of client records in the access log.
pub const RESOURCE: &str = "client";

fn response(row: ClientRow) -> ClientResponse {
    ClientResponse {
        id: row.id,
        unit_id: row.unit_id,
        first_names: row.first_names,
        last_name: row.last_name,
        language: Language::parse(&row.language).unwrap_or(Language::Other),
        created_at: row.created_at,
        updated_at: row.updated_at,
        version: row.version,
    }
}

fn name(field: &str, value: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > 200 || value.chars().any(char::is_control) {
        errors.push(FieldError::new(
            field,
            "invalid",
            "Use 1–200 characters without control characters.",
        ));
        None
    } else {
        Some(value.to_owned())
    }
}

async fn open_unit_exists(conn: &mut diesel_async::AsyncPgConnection, unit: Uuid) -> Result<(), ApiError> {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let exists: bool = diesel::select(diesel::dsl::exists(
        units::table.find(unit).filter(units::closed_at.is_null()),
    ))
    .get_result(conn)
    .await?;
    if exists {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            "unit_id",
            "unknown_unit",
            "No open unit has this id.",
        ))
    }
}

/// Create a client.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    request_body = CreateClientRequest,
    responses(
        (status = 201, description = "Created", body = ClientResponse),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed for this unit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/clients")]
pub async fn create_client(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    body: web::Json<CreateClientRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    access::write(&actor, body.unit_id)?;
    let mut errors = Vec::new();
    let first_names = name("first_names", &body.first_names, &mut errors);
    let last_name = name("last_name", &body.last_name, &mut errors);
    let (Some(first_names), Some(last_name)) = (first_names, last_name) else {
        return Err(ApiError::Validation(errors));
    };
    let language = body.language.unwrap_or(Language::Fi);
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let unit_id = body.unit_id;
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            open_unit_exists(conn, unit_id).await?;
            let row = store::insert(
                conn,
                &NewClient {
                    id: Uuid::now_v7(),
                    organisation_id,
                    unit_id,
                    first_names: &first_names,
                    last_name: &last_name,
                    language: language.as_str(),
                },
            )
            .await?;
            let event = AuditEvent::client(
                organisation_id,
                audit_actor,
                ClientAction::Create,
                RESOURCE,
                vec![row.id],
                vec![row.id],
            )
            .fields(["unit_id", "first_names", "last_name", "language"]);
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(row.version))
        .json(response(row)))
}

/// A client. Opening a client of another unit needs `access_reason`.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("oauth2" = ["clients:read"])),
    params(("id" = Uuid, Path, description = "Client id"), ReadParams),
    responses(
        (status = 200, description = "The client", body = ClientResponse),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed, or another unit's client without a reason", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid reason", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/clients/{id}")]
pub async fn get_client(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<Uuid>,
    params: web::Query<ReadParams>,
) -> Result<HttpResponse, ApiError> {
    access::require_read(&actor)?;
    let reason = access::reason(params.access_reason.as_deref())?;
    let id = path.into_inner();
    let organisation_id = actor.organisation_id;
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let row = store::find(conn, id).await?.ok_or(ApiError::NotFound)?;
            let granted = access::read(&actor, row.unit_id, reason)?;
            let mut event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![id],
                vec![id],
            )
            .reason(granted.reason);
            if granted.outside_units {
                event = event.with(json!({ "outside_units": true, "unit_id": row.unit_id }));
            }
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(row.version))
        .json(response(row)))
}

/// The clients the caller may see (coaches: their units'), by id. The access log gets one
/// event naming every client on the page.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("oauth2" = ["clients:read"])),
    params(ListClientsParams),
    responses(
        (status = 200, description = "A page of clients", body = inline(Page<ClientResponse>)),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/clients")]
pub async fn list_clients(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    params: web::Query<ListClientsParams>,
) -> Result<web::Json<Page<ClientResponse>>, ApiError> {
    let units = access::listable_units(&actor)?;
    let params = params.into_inner();
    let limit = PageParams {
        limit: params.limit,
        cursor: params.cursor,
    }
    .limit()?;
    let name_prefix = match params.q.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(q) if q.chars().count() > 100 => {
            return Err(ApiError::invalid_field(
                "q",
                "too_long",
                "Use at most 100 characters.",
            ));
        }
        Some(q) => Some(q.to_lowercase()),
    };
    let filter = ClientFilter {
        units,
        unit_id: params.unit_id,
        name_prefix,
    };
    let cursor = params.cursor;
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let rows = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let rows = store::list(conn, &filter, cursor, limit).await?;
            let shown: Vec<Uuid> = rows
                .iter()
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .map(|row| row.id)
                .collect();
            if !shown.is_empty() {
                let event = AuditEvent::client(
                    organisation_id,
                    audit_actor,
                    ClientAction::Read,
                    RESOURCE,
                    shown.clone(),
                    shown,
                )
                .fields(["first_names", "last_name", "unit_id", "language"]);
                audit::record(conn, &meta, event).await?;
            }
            Ok(rows)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(Page::from_rows(rows, limit, |row| row.id, response)))
}

/// Change a client (`If-Match` with the version read; a stale write is 412).
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), ("If-Match" = Option<String>, Header, description = "ETag of the version read")),
    request_body = UpdateClientRequest,
    responses(
        (status = 200, description = "Changed", body = ClientResponse),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed for this unit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/clients/{id}")]
pub async fn update_client(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<Uuid>,
    body: web::Json<UpdateClientRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut errors = Vec::new();
    let mut changes = ClientChanges {
        unit_id: body.unit_id,
        language: body.language.map(|language| language.as_str().to_owned()),
        ..ClientChanges::default()
    };
    if let Some(value) = &body.first_names {
        changes.first_names = name("first_names", value, &mut errors);
    }
    if let Some(value) = &body.last_name {
        changes.last_name = name("last_name", value, &mut errors);
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut fields = Vec::new();
    for (field, present) in [
        ("unit_id", changes.unit_id.is_some()),
        ("first_names", changes.first_names.is_some()),
        ("last_name", changes.last_name.is_some()),
        ("language", changes.language.is_some()),
    ] {
        if present {
            fields.push(field);
        }
    }
    let id = path.into_inner();
    let organisation_id = actor.organisation_id;
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let current = store::find_for_update(conn, id)
                .await?
                .ok_or(ApiError::NotFound)?;
            access::write(&actor, current.unit_id)?;
            if let Some(unit) = changes.unit_id {
                access::write(&actor, unit)?;
                open_unit_exists(conn, unit).await?;
            }
            if_match.check(current.version)?;
            let row = store::update(conn, id, &changes).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Update,
                RESOURCE,
                vec![id],
                vec![id],
            )
            .fields(fields);
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(row.version))
        .json(response(row)))
}
