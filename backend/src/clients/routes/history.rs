//! Background history (koulutus-, työ-, terveys- ja päihdehistoria): dated entries of a
//! client. Health and substance-use entries are special-category data: only users with
//! the sensitive grant read or write them, their text is stored encrypted, and for
//! everybody else they do not exist (omitted, not blanked).

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDate;
use futures_util::FutureExt;
use serde_json::{Map, json};
use uuid::Uuid;

use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::clients::api::{
    CreateHistoryEntryRequest, EducationLevel, HistoryEntryResponse, UpdateHistoryEntryRequest,
};
use crate::clients::store::history::{self as store, DESCRIPTION, EntryChanges, EntryRow, NewEntry};
use crate::crypto::{Cipher, Place};
use crate::db;
use crate::domain::access;
use crate::domain::access::ReadParams;
use crate::domain::changes::Change;
use crate::domain::check::Checker;
use crate::error::responses::{
    InvalidFields, NoSuchClient, NotForUnit, NotLoggedIn, ReasonRequired, StaleIfMatch,
};
use crate::error::{ApiError, Problem};
use crate::http::{IfMatch, RequestMeta, etag};
use crate::ids::ClientId;
use crate::permissions::Permission;
use crate::state::AppState;

/// Resource type of history entries in the access log.
pub const RESOURCE: &str = "history_entry";
/// Longest description.
const MAX_DESCRIPTION: usize = 10_000;

/// Where an entry's description is stored: its ciphertext decrypts only there.
fn place(organisation: Uuid, entry: Uuid) -> Place<'static> {
    Place::new(DESCRIPTION, organisation, entry)
}

fn description_of(row: &EntryRow, organisation: Uuid, cipher: &Cipher) -> Result<Option<String>, ApiError> {
    match &row.description_encrypted {
        Some(data) => Ok(Some(cipher.decrypt_string(data, place(organisation, row.id))?)),
        None => Ok(row.description.clone()),
    }
}

fn response(row: EntryRow, organisation: Uuid, cipher: &Cipher) -> Result<HistoryEntryResponse, ApiError> {
    Ok(HistoryEntryResponse {
        id: row.id,
        client_id: row.client_id.into(),
        kind: row.kind,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        description: description_of(&row, organisation, cipher)?,
        education_level: row.education_level,
        occupation: row.occupation.clone(),
        created_at: row.created_at,
        updated_at: row.updated_at,
        version: row.version,
    })
}

/// Text checks shared by create and update.
fn dates(check: &mut Checker, starts_on: Option<NaiveDate>, ends_on: Option<NaiveDate>) {
    if let (Some(start), Some(end)) = (starts_on, ends_on)
        && end < start
    {
        check.fail("ends_on", "before_start", "The end cannot be before the start.");
    }
}

/// A client's background history, by date. Health and substance-use entries are listed
/// only for users with the sensitive grant.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("oauth2" = ["clients:read"])),
    params(("id" = Uuid, Path, description = "Client id"), ReadParams),
    responses(
        (status = 200, description = "The entries", body = Vec<HistoryEntryResponse>),
        NotLoggedIn,
        ReasonRequired,
        NoSuchClient,
    ),
)]
#[get("/clients/{id}/history")]
pub async fn list_history(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<Vec<HistoryEntryResponse>>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let sensitive = actor.can(Permission::SensitiveHistory);
    let client = path.into_inner();
    let organisation_id = actor.organisation_id;
    let rows = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (_, granted) = crate::clients::readable(conn, &actor, client, reason).await?;
            let rows = store::of_client(conn, client, sensitive).await?;
            let kinds: Vec<&str> = {
                let mut kinds: Vec<&str> = rows.iter().map(|row| row.kind.as_str()).collect();
                kinds.sort_unstable();
                kinds.dedup();
                kinds
            };
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![client],
                rows.iter().map(|row| row.id).collect(),
            )
            .with(json!({ "kinds": kinds }));
            audit::record(conn, &meta, granted.mark(event)).await?;
            Ok(rows)
        }
        .boxed()
    })
    .await?;
    rows.into_iter()
        .map(|row| response(row, organisation_id, &state.cipher))
        .collect::<Result<Vec<_>, _>>()
        .map(web::Json)
}

/// Add a background entry.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id")),
    request_body = CreateHistoryEntryRequest,
    responses(
        (status = 201, description = "Created", body = HistoryEntryResponse),
        NotLoggedIn,
        (status = 403, description = "Not allowed for this unit, or a sensitive kind without the grant", body = Problem, content_type = "application/problem+json"),
        NoSuchClient,
        InvalidFields,
    ),
)]
#[post("/clients/{id}/history")]
pub async fn create_history_entry(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    body: web::Json<CreateHistoryEntryRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    if body.kind.is_sensitive() {
        actor.require(Permission::SensitiveHistory)?;
    }
    let mut check = Checker::default();
    let description = check.long_text("description", body.description.as_deref(), MAX_DESCRIPTION);
    let occupation = check.text("occupation", body.occupation.as_deref(), 200);
    dates(&mut check, body.starts_on, body.ends_on);
    check.finish()?;
    let id = Uuid::now_v7();
    let organisation_id = actor.organisation_id;
    let (description, description_encrypted) = if body.kind.is_sensitive() {
        (
            None,
            description
                .as_deref()
                .map(|text| state.cipher.encrypt_str(text, place(organisation_id, id)))
                .transpose()?,
        )
    } else {
        (description, None)
    };
    let mut fields = vec!["kind"];
    for (field, given) in [
        ("starts_on", body.starts_on.is_some()),
        ("ends_on", body.ends_on.is_some()),
        (
            "description",
            description.is_some() || description_encrypted.is_some(),
        ),
        ("education_level", body.education_level.is_some()),
        ("occupation", occupation.is_some()),
    ] {
        if given {
            fields.push(field);
        }
    }
    let client = path.into_inner();
    let entry = NewEntry {
        id,
        organisation_id,
        client_id: client,
        kind: body.kind,
        starts_on: body.starts_on,
        ends_on: body.ends_on,
        description,
        description_encrypted,
        education_level: body.education_level,
        occupation,
        created_by: actor.audit_ids().0,
    };
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            crate::clients::writable(conn, &actor, client).await?;
            let row = store::insert(conn, &entry).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Create,
                RESOURCE,
                vec![client],
                vec![row.id],
            )
            .fields(fields)
            .with(json!({ "kind": row.kind.as_str() }));
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(row.version))
        .json(response(row, organisation_id, &state.cipher)?))
}

/// Correct a background entry (`If-Match`); the previous values are kept in the
/// rectification history, encrypted for sensitive entries.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Client id"),
        ("entry_id" = Uuid, Path, description = "Entry id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read"),
    ),
    request_body = UpdateHistoryEntryRequest,
    responses(
        (status = 200, description = "Changed", body = HistoryEntryResponse),
        NotLoggedIn,
        NotForUnit,
        (status = 404, description = "No such client or entry (or a sensitive entry without the grant)", body = Problem, content_type = "application/problem+json"),
        StaleIfMatch,
        InvalidFields,
    ),
)]
#[patch("/clients/{id}/history/{entry_id}")]
pub async fn update_history_entry(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<(ClientId, Uuid)>,
    body: web::Json<UpdateHistoryEntryRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let description = body
        .description
        .as_ref()
        .map(|text| check.long_text("description", text.as_deref(), MAX_DESCRIPTION));
    let occupation = body
        .occupation
        .as_ref()
        .map(|text| check.text("occupation", text.as_deref(), 200));
    let reason = check.text("reason", body.reason.as_deref(), 500);
    check.finish()?;
    let sensitive = actor.can(Permission::SensitiveHistory);
    let (client, id) = path.into_inner();
    let organisation_id = actor.organisation_id;
    let cipher = state.cipher.clone();
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            crate::clients::writable(conn, &actor, client).await?;
            let current = store::find_for_update(conn, client, id, sensitive)
                .await?
                .ok_or(ApiError::NotFound)?;
            if_match.check(current.version)?;
            let kind = current.kind;
            let starts_on = body.starts_on.unwrap_or(current.starts_on);
            let ends_on = body.ends_on.unwrap_or(current.ends_on);
            let mut check = Checker::default();
            dates(&mut check, starts_on, ends_on);
            check.finish()?;

            let mut changes = EntryChanges::default();
            let mut fields: Vec<&'static str> = Vec::new();
            let mut previous = Map::new();
            let mut previous_secret = Map::new();
            if starts_on != current.starts_on {
                fields.push("starts_on");
                previous.insert("starts_on".into(), json!(current.starts_on));
                changes.starts_on = Some(starts_on);
            }
            if ends_on != current.ends_on {
                fields.push("ends_on");
                previous.insert("ends_on".into(), json!(current.ends_on));
                changes.ends_on = Some(ends_on);
            }
            if let Some(new) = description {
                let old = description_of(&current, organisation_id, &cipher)?;
                if new != old {
                    fields.push("description");
                    if kind.is_sensitive() {
                        previous_secret.insert("description".into(), json!(old));
                        changes.description_encrypted = Some(
                            new.as_deref()
                                .map(|text| cipher.encrypt_str(text, place(organisation_id, current.id)))
                                .transpose()?,
                        );
                    } else {
                        previous.insert("description".into(), json!(old));
                        changes.description = Some(new);
                    }
                }
            }
            if let Some(new) = body.education_level
                && new != current.education_level
            {
                fields.push("education_level");
                previous.insert(
                    "education_level".into(),
                    json!(current.education_level.map(EducationLevel::as_str)),
                );
                changes.education_level = Some(new);
            }
            if let Some(new) = occupation
                && new != current.occupation
            {
                fields.push("occupation");
                previous.insert("occupation".into(), json!(current.occupation));
                changes.occupation = Some(new);
            }
            // An update that changes nothing is still logged, without history or a write.
            let unchanged = fields.is_empty();
            let change = Change {
                fields,
                previous,
                previous_secret,
                sensitive: kind.is_sensitive(),
                reason,
            };
            crate::domain::changes::Update::new(client, (RESOURCE, id), &change)
                .history(!unchanged)
                .with(json!({ "kind": kind.as_str() }))
                .write(conn, &meta, &cipher, &actor, async |conn| {
                    if unchanged {
                        Ok(current)
                    } else {
                        store::update(conn, id, &changes).await
                    }
                })
                .await
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(response(
        row,
        organisation_id,
        &state.cipher,
    )?))
}
