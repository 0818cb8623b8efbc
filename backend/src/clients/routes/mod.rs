//! Client endpoints. Each writes its access-log event in the transaction that reads or
//! changes the client, so no client data leaves without its event. The background
//! history's endpoints are in [`history`].

pub mod history;

use actix_web::{HttpResponse, get, patch, post, web};
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use super::api::{
    ChangeResponse, ClientResponse, ClientStatus, CloseClientRequest, CreateClientRequest, ListClientsParams,
    ReopenClientRequest, SearchClientsRequest, UpdateClientRequest,
};
use super::fields::{self, Sealer};
use super::lookup;
use super::store::{self, ClientChanges, ClientFilter, ClientRow};
use crate::admin::{UnitState, coach_exists, unit_exists};
use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::db;
use crate::domain::access::{self, ReadParams};
use crate::domain::changes::{self, Change};
use crate::domain::check::{Checker, today};
use crate::domain::identity_code::PersonalIdentityCode;
use crate::error::responses::{
    InvalidFields, NoSuchClient, NotAllowed, NotForUnit, NotLoggedIn, StaleIfMatch,
};
use crate::error::{ApiError, Problem};
use crate::http::{IfMatch, RequestMeta, etag};
use crate::ids::ClientId;
use crate::pagination::{Page, PageParams};
use crate::permissions::Permission;
use crate::state::AppState;

/// Resource type of client records in the access log.
pub const RESOURCE: &str = "client";

/// The fields a client response shows (for list events).
const SHOWN_FIELDS: [&str; 24] = [
    "first_names",
    "last_name",
    "personal_identity_code",
    "birth_date",
    "gender",
    "street_address",
    "postal_code",
    "post_office",
    "home_municipality",
    "phone",
    "email",
    "iban",
    "language",
    "mother_tongue",
    "nationality",
    "profession",
    "education_level",
    "referrer",
    "unit_id",
    "responsible_coach_id",
    "status",
    "closed_on",
    "close_reason",
    "personal_identity_code_temporary",
];

fn sealer(state: &AppState) -> Sealer<'_> {
    Sealer {
        cipher: &state.cipher,
        lookup: &state.lookup,
    }
}

fn shown_fields(sensitive: bool) -> Vec<&'static str> {
    let mut shown = SHOWN_FIELDS.to_vec();
    if sensitive {
        shown.push("trade_union");
    }
    shown
}

/// 422 if another client of the organisation has this identity code.
async fn identity_code_free(
    conn: &mut diesel_async::AsyncPgConnection,
    hash: &[u8],
    except: Option<Uuid>,
) -> Result<(), ApiError> {
    if store::identity_code_taken(conn, hash, except).await? {
        Err(ApiError::invalid_field(
            "personal_identity_code",
            "duplicate",
            "Another client of the organisation has this identity code.",
        ))
    } else {
        Ok(())
    }
}

/// Create a client.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    request_body = CreateClientRequest,
    responses(
        (status = 201, description = "Created", body = ClientResponse),
        NotLoggedIn,
        NotForUnit,
        (status = 422, description = "Invalid fields, or the identity code is already registered", body = Problem, content_type = "application/problem+json"),
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
    access::write(&actor, body.unit_id.into())?;
    let sensitive = actor.can(Permission::SensitiveHistory);
    let organisation_id = actor.organisation_id;
    let valid = fields::new_client(body, organisation_id, sealer(&state), sensitive)?;
    let audit_actor = actor.audit();
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            unit_exists(conn, "unit_id", valid.row.unit_id, UnitState::Open).await?;
            if let Some(coach) = valid.row.responsible_coach_id {
                coach_exists(conn, "responsible_coach_id", coach.into()).await?;
            }
            if let Some(hash) = &valid.row.identity_code_hash {
                identity_code_free(conn, hash, None).await?;
            }
            let row = store::insert(conn, &valid.row).await?;
            let event = AuditEvent::client(
                organisation_id,
                audit_actor,
                ClientAction::Create,
                RESOURCE,
                vec![row.id],
                vec![row.id],
            )
            .fields(valid.fields);
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(row.version))
        .json(fields::response(row, &state.cipher, &[], sensitive)?))
}

/// A client. Opening a client of another unit needs `access_reason`; `reveal` shows the
/// whole identity code or bank account and is logged as a `reveal`.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("oauth2" = ["clients:read"])),
    params(("id" = Uuid, Path, description = "Client id"), ReadParams),
    responses(
        (status = 200, description = "The client", body = ClientResponse),
        NotLoggedIn,
        (status = 403, description = "Not allowed, another unit's client without a reason, or no right to reveal", body = Problem, content_type = "application/problem+json"),
        NoSuchClient,
        (status = 422, description = "Invalid reason or reveal", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/clients/{id}")]
pub async fn get_client(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    params: web::Query<ReadParams>,
) -> Result<HttpResponse, ApiError> {
    access::require_read(&actor)?;
    let reason = access::reason(params.access_reason.as_deref())?;
    let reveal = fields::reveal_fields(params.reveal.as_deref())?;
    if !reveal.is_empty() {
        actor.require(Permission::ClientsReveal)?;
    }
    let sensitive = actor.can(Permission::SensitiveHistory);
    let id = path.into_inner();
    let organisation_id = actor.organisation_id;
    let revealed = reveal.clone();
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (row, granted) = super::readable(conn, &actor, id, reason).await?;
            let action = if revealed.is_empty() {
                ClientAction::Read
            } else {
                ClientAction::Reveal
            };
            let mut event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                action,
                RESOURCE,
                vec![id],
                vec![id],
            );
            if !revealed.is_empty() {
                event = event.fields(revealed.iter().map(|field| field.as_str()));
            }
            audit::record(conn, &meta, granted.mark(event)).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(row.version))
        .json(fields::response(row, &state.cipher, &reveal, sensitive)?))
}

/// The filter common to the list and the search, limited to the units the caller sees.
fn filter_of(
    actor: &Actor,
    q: Option<&str>,
    unit_id: Option<Uuid>,
    responsible_coach_id: Option<Uuid>,
    status: Option<ClientStatus>,
    service_type: Option<&str>,
) -> Result<ClientFilter, ApiError> {
    let units = access::listable_units(actor)?;
    let service_type = match service_type.map(str::trim) {
        None | Some("") => None,
        Some(code) if code.len() > 64 || code.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '_')) => {
            return Err(ApiError::invalid_field(
                "service_type",
                "invalid",
                "Give a service type code of the organisation's list.",
            ));
        }
        Some(code) => Some(code.to_owned()),
    };
    let name = match q.map(str::trim) {
        None | Some("") => None,
        Some(q) if q.chars().count() > 100 => {
            return Err(ApiError::invalid_field(
                "q",
                "too_long",
                "Use at most 100 characters.",
            ));
        }
        Some(q) if q.chars().any(char::is_control) => {
            return Err(ApiError::invalid_field(
                "q",
                "control_characters",
                "Use one line without control characters.",
            ));
        }
        Some(q) => Some(q.to_owned()),
    };
    Ok(ClientFilter {
        units,
        unit_id: unit_id.map(Into::into),
        responsible_coach_id,
        status,
        service_type,
        name,
        ..ClientFilter::default()
    })
}

/// Runs a list or search and logs one event naming every client shown. A search by
/// identity code (`lookup`) is throttled on the principal's recent misses and logged as a
/// `lookup`, hit or miss, instead of a `read`.
async fn list_page(
    state: &AppState,
    meta: RequestMeta,
    actor: &Actor,
    filter: ClientFilter,
    cursor: Option<Uuid>,
    limit: Option<i64>,
) -> Result<Page<ClientResponse>, ApiError> {
    let limit = PageParams { limit, cursor }.limit()?;
    let sensitive = actor.can(Permission::SensitiveHistory);
    let organisation_id = actor.organisation_id;
    let is_lookup = filter.identity_code_hash.is_some();
    let task_actor = actor.clone();
    let rows = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let actor = task_actor;
            if is_lookup {
                store::lock_lookups(conn, lookup::principal(&actor)).await?;
                let recent = store::lookup_misses(conn, actor.audit_ids(), lookup::WINDOW_SECONDS).await?;
                if recent.misses >= i64::from(lookup::MISSES_PER_WINDOW) {
                    // Logged and committed, then refused.
                    let event = lookup::event(&actor, lookup::Outcome::Throttled, Vec::new());
                    audit::record(conn, &meta, event).await?;
                    return Ok(Err(u64::try_from(recent.retry_after_secs.max(1)).unwrap_or(1)));
                }
            }
            let rows = store::list(conn, &filter, cursor, limit).await?;
            let shown: Vec<ClientId> = rows
                .iter()
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .map(|row| row.id)
                .collect();
            if is_lookup {
                let outcome = if shown.is_empty() {
                    lookup::Outcome::Miss
                } else {
                    lookup::Outcome::Hit
                };
                let found = shown.iter().map(|id| id.uuid()).collect();
                audit::record(conn, &meta, lookup::event(&actor, outcome, found)).await?;
            } else if !shown.is_empty() {
                let event = AuditEvent::client(
                    organisation_id,
                    actor.audit(),
                    ClientAction::Read,
                    RESOURCE,
                    shown.clone(),
                    shown,
                )
                .fields(shown_fields(sensitive));
                audit::record(conn, &meta, event).await?;
            }
            Ok(Ok(rows))
        }
        .boxed()
    })
    .await?
    .map_err(|retry_after_secs| ApiError::TooManyRequests { retry_after_secs })?;
    let page = Page::from_rows(rows, limit, |row| row.id.into(), |row| row);
    let items = page
        .items
        .into_iter()
        .map(|row| fields::response(row, &state.cipher, &[], sensitive))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        items,
        next_cursor: page.next_cursor,
    })
}

/// Logs a refused lookup by identity code (committed), and returns the refusal.
async fn refuse_lookup(state: &AppState, meta: RequestMeta, actor: &Actor, refusal: ApiError) -> ApiError {
    let event = lookup::event(actor, lookup::Outcome::Refused, Vec::new());
    let logged = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move { audit::record(conn, &meta, event).await.map_err(ApiError::from) }.boxed()
    })
    .await;
    match logged {
        Ok(()) => refusal,
        Err(error) => error,
    }
}

/// The clients the caller may see (coaches: their units'), in name order. Names match
/// from the start of any name, ignoring case and accents, and forgive typing errors. The
/// access log gets one event naming every client on the page.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("oauth2" = ["clients:read"])),
    params(ListClientsParams),
    responses(
        (status = 200, description = "A page of clients", body = inline(Page<ClientResponse>)),
        NotLoggedIn,
        NotAllowed,
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
    let params = params.into_inner();
    let filter = filter_of(
        &actor,
        params.q.as_deref(),
        params.unit_id,
        params.responsible_coach_id,
        params.status,
        params.service_type.as_deref(),
    )?;
    list_page(&state, meta, &actor, filter, params.cursor, params.limit)
        .await
        .map(web::Json)
}

/// Search by phone or email as well as by name, and by identity code. The search terms
/// travel in the body, so they stay out of URLs and proxy logs. A search by identity code
/// is a lookup (a use of the code): it needs `clients_lookup` (staff who may reveal codes;
/// integrators with `clients:lookup`), is logged hit or miss as a `lookup`, and after
/// too many misses is refused with 429 for a while (see `Retry-After`).
#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("oauth2" = ["clients:read", "clients:lookup"])),
    request_body = SearchClientsRequest,
    responses(
        (status = 200, description = "A page of clients", body = inline(Page<ClientResponse>)),
        NotLoggedIn,
        (status = 403, description = "Not allowed to read clients, or to look them up by identity code", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid search", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many identity-code lookups found nobody; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/clients/search")]
pub async fn search_clients(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    body: web::Json<SearchClientsRequest>,
) -> Result<web::Json<Page<ClientResponse>>, ApiError> {
    let body = body.into_inner();
    let code = body
        .personal_identity_code
        .as_deref()
        .map(str::trim)
        .filter(|code| !code.is_empty());
    if code.is_some() {
        let allowed = access::require_read(&actor).and_then(|()| actor.require(Permission::ClientsLookup));
        if let Err(refusal) = allowed {
            return Err(refuse_lookup(&state, meta, &actor, refusal).await);
        }
    }
    let mut filter = filter_of(
        &actor,
        body.q.as_deref(),
        body.unit_id,
        body.responsible_coach_id,
        body.status,
        body.service_type.as_deref(),
    )?;
    let mut check = Checker::default();
    if let Some(code) = code {
        match code.parse::<PersonalIdentityCode>() {
            Ok(code) => filter.identity_code_hash = Some(sealer(&state).identity_code_hash(&code)),
            Err(error) => check.fail("personal_identity_code", error.code(), &error.to_string()),
        }
    }
    if body
        .phone
        .as_deref()
        .is_some_and(|phone| !phone.trim().is_empty())
    {
        filter.phone = check.phone(body.phone.as_deref());
    }
    filter.email = body
        .email
        .as_deref()
        .map(|email| email.trim().to_lowercase())
        .filter(|email| !email.is_empty());
    if filter.email.as_ref().is_some_and(|email| email.len() > 254) {
        check.fail("email", "too_long", "Use at most 254 characters.");
    }
    check.finish()?;
    list_page(&state, meta, &actor, filter, body.cursor, body.limit)
        .await
        .map(web::Json)
}

/// The client, locked, if the actor may write it.
async fn writable(
    conn: &mut diesel_async::AsyncPgConnection,
    actor: &Actor,
    id: ClientId,
    if_match: IfMatch,
) -> Result<ClientRow, ApiError> {
    let current = store::find_for_update(conn, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    access::write(actor, current.unit_id)?;
    if_match.check(current.version)?;
    Ok(current)
}

/// Change a client (`If-Match` with the version read; a stale write is 412). Every change
/// keeps the previous values in the rectification history.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), ("If-Match" = Option<String>, Header, description = "ETag of the version read")),
    request_body = UpdateClientRequest,
    responses(
        (status = 200, description = "Changed", body = ClientResponse),
        NotLoggedIn,
        NotForUnit,
        NoSuchClient,
        StaleIfMatch,
        InvalidFields,
    ),
)]
#[patch("/clients/{id}")]
pub async fn update_client(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<ClientId>,
    body: web::Json<UpdateClientRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let sensitive = actor.can(Permission::SensitiveHistory);
    let id = path.into_inner();
    let organisation_id = actor.organisation_id;
    let task_state = state.clone();
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let state = task_state;
            let current = writable(conn, &actor, id, if_match).await?;
            let change = fields::change(&body, &current, sealer(&state), sensitive)?;
            if let Some(unit) = change.changes.unit_id {
                access::write(&actor, unit)?;
                unit_exists(conn, "unit_id", unit, UnitState::Open).await?;
            }
            if let Some(Some(coach)) = change.changes.responsible_coach_id {
                coach_exists(conn, "responsible_coach_id", coach.into()).await?;
            }
            if let Some(hash) = &change.new_identity_code_hash {
                identity_code_free(conn, hash, Some(id.into())).await?;
            }
            // An update that changes nothing is still logged, without history or a write.
            let unchanged = change.history.fields.is_empty();
            changes::Update::new(id, (RESOURCE, id.uuid()), &change.history)
                .history(!unchanged)
                .write(conn, &meta, &state.cipher, &actor, async |conn| {
                    if unchanged {
                        Ok(current)
                    } else {
                        store::update(conn, id, &change.changes).await
                    }
                })
                .await
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(row.version))
        .json(fields::response(row, &state.cipher, &[], sensitive)?))
}

/// Closing or reopening.
#[derive(Debug)]
struct StatusChange {
    target: ClientStatus,
    closed_on: Option<chrono::NaiveDate>,
    reason: Option<String>,
}

/// Applies a status change (close or reopen) with its history and event.
async fn set_status(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    id: ClientId,
    status: StatusChange,
) -> Result<HttpResponse, ApiError> {
    let StatusChange {
        target,
        closed_on,
        reason,
    } = status;
    access::require_write(&actor)?;
    let sensitive = actor.can(Permission::SensitiveHistory);
    let organisation_id = actor.organisation_id;
    let task_state = state.clone();
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let state = task_state;
            let current = writable(conn, &actor, id, if_match).await?;
            let is_active = current.status == ClientStatus::Active;
            if is_active == (target == ClientStatus::Active) {
                return Err(ApiError::Conflict(if is_active {
                    "The client relationship is already active.".to_owned()
                } else {
                    "The client relationship is already closed.".to_owned()
                }));
            }
            let mut history = Change {
                reason: reason.clone(),
                ..Change::default()
            };
            history.push("status", json!(current.status.as_str()));
            history.push("closed_on", json!(current.closed_on));
            history.push("close_reason", json!(current.close_reason));
            let change = fields::ValidChange {
                changes: ClientChanges {
                    status: Some(target),
                    closed_on: Some(closed_on),
                    close_reason: Some(if target == ClientStatus::Active {
                        None
                    } else {
                        reason.clone()
                    }),
                    ..ClientChanges::default()
                },
                history,
                ..fields::ValidChange::default()
            };
            let row = changes::Update::new(id, (RESOURCE, id.uuid()), &change.history)
                .with(json!({ "status": target.as_str() }))
                .write(conn, &meta, &state.cipher, &actor, async |conn| {
                    store::update(conn, id, &change.changes).await
                })
                .await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(row.version))
        .json(fields::response(row, &state.cipher, &[], sensitive)?))
}

/// End the client relationship: closing date and reason.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), ("If-Match" = Option<String>, Header, description = "ETag of the version read")),
    request_body = CloseClientRequest,
    responses(
        (status = 200, description = "Closed", body = ClientResponse),
        NotLoggedIn,
        NotForUnit,
        NoSuchClient,
        (status = 409, description = "Already closed", body = Problem, content_type = "application/problem+json"),
        StaleIfMatch,
        (status = 422, description = "Invalid date or reason", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/clients/{id}/close")]
pub async fn close_client(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<ClientId>,
    body: web::Json<CloseClientRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut check = Checker::default();
    if body.closed_on > today() {
        check.fail(
            "closed_on",
            "future_date",
            "The closing date cannot be in the future.",
        );
    }
    let reason = check.text("reason", Some(&body.reason), 500);
    if reason.is_none() {
        check.fail("reason", "required", "Say why the client relationship ends.");
    }
    check.finish()?;
    set_status(
        state,
        meta,
        actor,
        if_match,
        path.into_inner(),
        StatusChange {
            target: ClientStatus::Closed,
            closed_on: Some(body.closed_on),
            reason,
        },
    )
    .await
}

/// Resume a closed client relationship.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), ("If-Match" = Option<String>, Header, description = "ETag of the version read")),
    request_body = ReopenClientRequest,
    responses(
        (status = 200, description = "Reopened", body = ClientResponse),
        NotLoggedIn,
        NotForUnit,
        NoSuchClient,
        (status = 409, description = "Not closed", body = Problem, content_type = "application/problem+json"),
        StaleIfMatch,
        (status = 422, description = "Invalid reason", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/clients/{id}/reopen")]
pub async fn reopen_client(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<ClientId>,
    body: web::Json<ReopenClientRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut check = Checker::default();
    let reason = check.text("reason", body.reason.as_deref(), 500);
    check.finish()?;
    set_status(
        state,
        meta,
        actor,
        if_match,
        path.into_inner(),
        StatusChange {
            target: ClientStatus::Active,
            closed_on: None,
            reason,
        },
    )
    .await
}

/// The rectification history of a client: who changed what and when, with the previous
/// values (identity codes and bank accounts masked; special-category values only with the
/// sensitive grant).
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id")),
    responses(
        (status = 200, description = "Changes, oldest first (at most 1000)", body = Vec<ChangeResponse>),
        NotLoggedIn,
        (status = 403, description = "Not a manager or DPO", body = Problem, content_type = "application/problem+json"),
        NoSuchClient,
    ),
)]
#[get("/clients/{id}/changes")]
pub async fn client_changes(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
) -> Result<web::Json<Vec<ChangeResponse>>, ApiError> {
    actor.require(Permission::ClientChangesRead)?;
    let sensitive = actor.can(Permission::SensitiveHistory);
    let id = path.into_inner();
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let rows = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            store::find(conn, id).await?.ok_or(ApiError::NotFound)?;
            let rows: Vec<_> = store::changes(conn, id, 1000)
                .await?
                .into_iter()
                .filter(|(row, _)| sensitive || !row.sensitive)
                .collect();
            let event = AuditEvent::client(
                organisation_id,
                audit_actor,
                ClientAction::Read,
                "client_change",
                vec![id],
                rows.iter().map(|(row, _)| row.id).collect(),
            );
            audit::record(conn, &meta, event).await?;
            Ok(rows)
        }
        .boxed()
    })
    .await?;
    rows.into_iter()
        .map(|(row, name)| super::timeline::response(row, name, &state.cipher))
        .collect::<Result<Vec<_>, _>>()
        .map(web::Json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_events_name_every_field_a_response_shows() {
        use utoipa::openapi::{RefOr, Schema};
        let RefOr::T(Schema::Object(schema)) = <ClientResponse as utoipa::PartialSchema>::schema() else {
            panic!("ClientResponse is an object");
        };
        let shown = shown_fields(true);
        assert!(schema.properties.len() > 20);
        for key in schema.properties.keys() {
            if !["id", "created_at", "updated_at", "version"].contains(&key.as_str()) {
                assert!(
                    shown.contains(&key.as_str()),
                    "{key} is shown but not named in list events"
                );
            }
        }
    }
}
