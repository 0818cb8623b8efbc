//! The follow-up diary (seurannan päiväkirja) of a period: dated entries with their
//! author. The author edits an entry freely for the organisation's edit window; after
//! it, or for anyone else, a change is a correction with a reason and the old text goes
//! to the rectification history. Entries with special-category content are encrypted
//! and exist only for users with the sensitive grant.

use actix_web::{HttpResponse, get, patch, post, web};
use std::collections::HashMap;

use chrono::{Duration, Utc};
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::crypto::{Cipher, Place};
use crate::db;
use crate::domain::access;
use crate::domain::changes::{self, Change};
use crate::domain::check::{Checker, today};
use crate::error::responses::{
    InvalidFields, InvalidParameters, NoSuchClient, NoSuchPeriod, NotLoggedIn, ReasonRequired, StaleIfMatch,
};
use crate::error::{ApiError, Problem};
use crate::http::{IfMatch, RequestMeta, etag};
use crate::ids::{ClientId, PeriodId};
use crate::pagination::{Page, PageParams};
use crate::periods::api::{
    CreateDiaryEntryRequest, DiaryEntryResponse, DiaryParams, UpdateDiaryEntryRequest,
};
use crate::periods::store;
use crate::periods::store::diary::{BODY, EntryChanges, EntryRow, NewEntry, author_names, edit_window};
use crate::permissions::Permission;
use crate::state::AppState;

/// Resource type of diary entries in the access log.
pub const RESOURCE: &str = "diary_entry";
const MAX_BODY: usize = 20_000;

/// Where a sensitive entry's text is stored: its ciphertext decrypts only there.
fn place(organisation: Uuid, entry: Uuid) -> Place<'static> {
    Place::new(BODY, organisation, entry)
}

fn text_of(row: &EntryRow, organisation: Uuid, cipher: &Cipher) -> Result<String, ApiError> {
    match &row.body_encrypted {
        Some(data) => Ok(cipher.decrypt_string(data, place(organisation, row.id))?),
        None => Ok(row.body.clone().unwrap_or_default()),
    }
}

/// The response form of an entry of `organisation` (`names`: authors' names by id, from
/// `author_names`).
pub fn response(
    row: EntryRow,
    organisation: Uuid,
    names: &HashMap<Uuid, String>,
    cipher: &Cipher,
    window: Duration,
) -> Result<DiaryEntryResponse, ApiError> {
    Ok(DiaryEntryResponse {
        author_name: row.author_id.and_then(|id| names.get(&id).cloned()),
        body: text_of(&row, organisation, cipher)?,
        id: row.id,
        period_id: row.period_id.into(),
        entry_date: row.entry_date,
        sensitive: row.sensitive,
        author_id: row.author_id,
        created_at: row.created_at,
        updated_at: row.updated_at,
        editable_until: row.created_at + window,
        version: row.version,
    })
}

fn check_params(params: &DiaryParams) -> Result<(i64, Option<String>), ApiError> {
    let limit = PageParams {
        limit: params.limit,
        cursor: params.cursor,
    }
    .limit()?;
    let mut check = Checker::default();
    let q = check.text("q", params.q.as_deref(), 200);
    check.date("from", params.from);
    check.date("to", params.to);
    if let (Some(from), Some(to)) = (params.from, params.to)
        && to < from
    {
        check.fail("to", "before_start", "The end of the range is before its start.");
    }
    check.finish()?;
    Ok((limit, q))
}

/// A period's diary, newest first: filter by date range, search the text.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id"), DiaryParams),
    responses(
        (status = 200, description = "One page", body = Page<DiaryEntryResponse>),
        NotLoggedIn,
        ReasonRequired,
        NoSuchPeriod,
        InvalidParameters,
    ),
)]
#[get("/periods/{period_id}/diary")]
pub async fn list_diary(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    params: web::Query<DiaryParams>,
) -> Result<web::Json<Page<DiaryEntryResponse>>, ApiError> {
    access::require_read(&actor)?;
    let params = params.into_inner();
    let (limit, q) = check_params(&params)?;
    let reason = access::reason(params.access_reason.as_deref())?;
    let id = path.into_inner();
    read_diary(&state, meta, actor, Some(id), None, params, q, limit, reason).await
}

/// Search a client's diary across all their periods, newest first.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), DiaryParams),
    responses(
        (status = 200, description = "One page", body = Page<DiaryEntryResponse>),
        NotLoggedIn,
        ReasonRequired,
        NoSuchClient,
        InvalidParameters,
    ),
)]
#[get("/clients/{id}/diary")]
pub async fn client_diary(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    params: web::Query<DiaryParams>,
) -> Result<web::Json<Page<DiaryEntryResponse>>, ApiError> {
    access::require_read(&actor)?;
    let params = params.into_inner();
    let (limit, q) = check_params(&params)?;
    let reason = access::reason(params.access_reason.as_deref())?;
    let id = path.into_inner();
    read_diary(&state, meta, actor, None, Some(id), params, q, limit, reason).await
}

#[expect(clippy::too_many_arguments, reason = "the two diary views share it")]
async fn read_diary(
    state: &AppState,
    meta: RequestMeta,
    actor: Actor,
    period: Option<PeriodId>,
    client: Option<ClientId>,
    params: DiaryParams,
    q: Option<String>,
    limit: i64,
    reason: Option<String>,
) -> Result<web::Json<Page<DiaryEntryResponse>>, ApiError> {
    let sensitive = actor.can(Permission::SensitiveHistory);
    let organisation_id = actor.organisation_id;
    let (rows, names, window) = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (client_id, granted) = match (period, client) {
                (Some(period), _) => {
                    let (_, client, granted) = store::readable(conn, &actor, period, reason).await?;
                    (client.id, granted)
                }
                (None, Some(client)) => {
                    let (row, granted) = crate::clients::readable(conn, &actor, client, reason).await?;
                    (row.id, granted)
                }
                (None, None) => return Err(ApiError::NotFound),
            };
            let rows = store::diary::search(
                conn,
                period,
                client,
                sensitive,
                &params,
                q.as_deref(),
                params.cursor,
                limit + 1,
            )
            .await?;
            let shown: Vec<Uuid> = rows
                .iter()
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .map(|row| row.id)
                .collect();
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![client_id],
                shown,
            )
            .with(json!({ "search": q.is_some() }));
            audit::record(conn, &meta, granted.mark(event)).await?;
            let names = author_names(conn, &rows).await?;
            Ok((rows, names, edit_window(conn).await?))
        }
        .boxed()
    })
    .await?;
    let page = Page::from_rows(rows, limit, |row| row.id, |row| row);
    Ok(web::Json(Page {
        items: page
            .items
            .into_iter()
            .map(|row| response(row, organisation_id, &names, &state.cipher, window))
            .collect::<Result<Vec<_>, _>>()?,
        next_cursor: page.next_cursor,
    }))
}

/// Write a diary entry (the quick entry of the day's documentation).
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id")),
    request_body = CreateDiaryEntryRequest,
    responses(
        (status = 201, description = "Written", body = DiaryEntryResponse),
        NotLoggedIn,
        (status = 403, description = "Not allowed for this client's unit, or sensitive without the grant", body = Problem, content_type = "application/problem+json"),
        NoSuchPeriod,
        InvalidFields,
    ),
)]
#[post("/periods/{period_id}/diary")]
pub async fn create_diary_entry(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    body: web::Json<CreateDiaryEntryRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    if body.sensitive {
        actor.require(Permission::SensitiveHistory)?;
    }
    let mut check = Checker::default();
    let text = check.long_text("body", Some(&body.body), MAX_BODY);
    if text.is_none() {
        check.fail("body", "required", "Write the entry.");
    }
    check.date("entry_date", body.entry_date);
    let entry_date = body.entry_date.unwrap_or_else(today);
    if entry_date > today() {
        check.fail(
            "entry_date",
            "in_future",
            "A diary entry cannot be dated after today.",
        );
    }
    check.finish()?;
    let text = text.unwrap_or_default();
    let organisation_id = actor.organisation_id;
    let entry_id = Uuid::now_v7();
    let (plain, encrypted) = if body.sensitive {
        (
            None,
            Some(
                state
                    .cipher
                    .encrypt_str(&text, place(organisation_id, entry_id))?,
            ),
        )
    } else {
        (Some(text), None)
    };
    let id = path.into_inner();
    let cipher = state.cipher.clone();
    let entry = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (period, client) = store::writable(conn, &actor, id).await?;
            if period.starts_on > entry_date {
                return Err(ApiError::invalid_field(
                    "entry_date",
                    "before_period",
                    "The date is before the period starts.",
                ));
            }
            let new = NewEntry {
                id: entry_id,
                organisation_id,
                client_id: client.id,
                period_id: id,
                entry_date,
                body: plain,
                body_encrypted: encrypted,
                sensitive: body.sensitive,
                author_id: actor.audit_ids().0,
            };
            let row = store::diary::insert(conn, &new).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Create,
                RESOURCE,
                vec![client.id],
                vec![row.id],
            )
            .with(json!({ "period_id": id, "sensitive": row.sensitive }));
            audit::record(conn, &meta, event).await?;
            let names = author_names(conn, std::slice::from_ref(&row)).await?;
            response(row, organisation_id, &names, &cipher, edit_window(conn).await?)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(entry.version))
        .json(entry))
}

/// Edit or correct a diary entry (`If-Match`). Within the edit window its author edits
/// freely; otherwise the change is a correction: it needs a reason, and the old text is
/// kept in the rectification history (encrypted for a sensitive entry). With the sensitive
/// grant the entry is marked or unmarked as special-category content (`sensitive`), its
/// text moving between plain and encrypted storage, under the same rule.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(
        ("period_id" = Uuid, Path, description = "Period id"),
        ("entry_id" = Uuid, Path, description = "Entry id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read"),
    ),
    request_body = UpdateDiaryEntryRequest,
    responses(
        (status = 200, description = "Changed", body = DiaryEntryResponse),
        NotLoggedIn,
        (status = 403, description = "Not allowed for this client's unit, or marking or unmarking sensitive without the sensitive grant", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such period or entry (or a sensitive entry without the grant)", body = Problem, content_type = "application/problem+json"),
        StaleIfMatch,
        (status = 422, description = "Invalid fields, or a correction without a reason", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/periods/{period_id}/diary/{entry_id}")]
pub async fn update_diary_entry(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<(PeriodId, Uuid)>,
    body: web::Json<UpdateDiaryEntryRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let text = body
        .body
        .as_deref()
        .map(|b| check.long_text("body", Some(b), MAX_BODY));
    if matches!(text, Some(None)) {
        check.fail(
            "body",
            "required",
            "An entry cannot be emptied; correct its text.",
        );
    }
    check.date("entry_date", body.entry_date);
    if body.entry_date.is_some_and(|d| d > today()) {
        check.fail(
            "entry_date",
            "in_future",
            "A diary entry cannot be dated after today.",
        );
    }
    let reason = check.text("reason", body.reason.as_deref(), 500);
    check.finish()?;
    let sensitive = actor.can(Permission::SensitiveHistory);
    let (id, entry) = path.into_inner();
    let cipher = state.cipher.clone();
    let organisation_id = actor.organisation_id;
    let out = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (period, client) = store::writable(conn, &actor, id).await?;
            let current = store::diary::find_for_update(conn, id, entry)
                .await?
                .filter(|row| sensitive || !row.sensitive)
                .ok_or(ApiError::NotFound)?;
            if_match.check(current.version)?;
            let window = edit_window(conn).await?;
            let own = current.author_id.is_some() && current.author_id == actor.audit_ids().0;
            let correction = !own || Utc::now() > current.created_at + window;
            if correction && reason.is_none() {
                return Err(ApiError::invalid_field(
                    "reason",
                    "required",
                    "The edit window has passed (or the entry is another author's): give the reason for the correction.",
                ));
            }
            if body.entry_date.is_some_and(|d| d < period.starts_on) {
                return Err(ApiError::invalid_field(
                    "entry_date",
                    "before_period",
                    "The date is before the period starts.",
                ));
            }
            let old_text = text_of(&current, organisation_id, &cipher)?;
            // Marking or unmarking needs the grant: without it the entry could not be seen
            // afterwards (or was not to be seen before).
            let to_sensitive = body.sensitive.unwrap_or(current.sensitive);
            let reclassified = to_sensitive != current.sensitive;
            if reclassified && !sensitive {
                return Err(ApiError::MissingPermission(Permission::SensitiveHistory));
            }
            let mut set = EntryChanges::default();
            let mut change = Change {
                sensitive: current.sensitive || to_sensitive,
                reason,
                ..Change::default()
            };
            if let Some(date) = body.entry_date
                && date != current.entry_date
            {
                change.push("entry_date", json!(current.entry_date));
                set.entry_date = Some(date);
            }
            let new_text = match text {
                Some(Some(new)) if new != old_text => Some(new),
                _ => None,
            };
            if new_text.is_some() {
                // The old text stays as secret as it was, or as it becomes.
                if current.sensitive || to_sensitive {
                    change.push_secret("body", json!(old_text));
                } else {
                    change.push("body", json!(old_text));
                }
            }
            if reclassified {
                change.push("sensitive", json!(current.sensitive));
                set.sensitive = Some(to_sensitive);
            }
            if new_text.is_some() || reclassified {
                let text = new_text.unwrap_or_else(|| old_text.clone());
                if to_sensitive {
                    set.body = Some(None);
                    set.body_encrypted = Some(Some(cipher.encrypt_str(&text, place(organisation_id, current.id))?));
                } else {
                    set.body = Some(Some(text));
                    set.body_encrypted = Some(None);
                }
            }
            let row = if change.fields.is_empty() {
                current
            } else {
                set.version = Some(current.version + 1);
                changes::Update::new(client.id, (RESOURCE, entry), &change)
                    .history(correction)
                    .with(json!({ "correction": correction }))
                    .write(conn, &meta, &cipher, &actor, async |conn| {
                        store::diary::update(conn, entry, &set).await
                    })
                    .await?
            };
            let names = author_names(conn, std::slice::from_ref(&row)).await?;
            response(row, organisation_id, &names, &cipher, window)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(etag(out.version)).json(out))
}
