//! The log's endpoints: event search (DPO; admin sees authentication and administration
//! events only), the client's access report (JSON and printable
//! HTML) and the report of unusual access. Reading the log is itself logged.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Helsinki;
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use super::api::{
    AccessReport, BusyDay, EventResponse, EventSearchParams, LookupBurst, OutsideUnitRead, ReportActor,
    ReportDisclosure, ReportEntry, ReportParams, UnusualAccessReport, UnusualParams,
};
use super::report;
use super::store::{self, EventFilter};
use crate::audit::chain::ChainEvent;
use crate::audit::{self, AuditEvent, Category};
use crate::auth::actor::Actor;
use crate::auth::store as auth_store;
use crate::db;
use crate::error::responses::{NoSuchClient, NotDpo, NotLoggedIn};
use crate::error::{ApiError, Problem};
use crate::http::RequestMeta;
use crate::pagination::{Page, PageParams};
use crate::permissions::Permission;
use crate::state::AppState;

fn event_response(event: ChainEvent) -> EventResponse {
    EventResponse {
        id: event.id,
        occurred_at: event.occurred_at,
        category: event.category,
        action: event.action,
        actor_user_id: event.actor_user_id,
        actor_api_client_id: event.actor_api_client_id,
        subject_user_id: event.subject_user_id,
        subject_id: event.subject_id,
        client_ids: event.client_ids,
        resource_type: event.resource_type,
        resource_ids: event.resource_ids,
        fields: event.fields,
        reason: event.reason,
        recipient: event.recipient,
        legal_basis: event.legal_basis,
        consent_id: event.consent_id,
        data_categories: event.data_categories,
        details: event.details,
        request_id: event.request_id,
        source_address: event.source_address,
        user_agent: event.user_agent,
    }
}

/// Which categories the actor may read: all for the DPO, identity and access for admins.
fn readable_categories(actor: &Actor) -> Result<Option<Vec<&'static str>>, ApiError> {
    if actor.can(Permission::AuditRead) {
        Ok(None)
    } else if actor.can(Permission::UsersManage) {
        Ok(Some(vec!["auth", "admin"]))
    } else {
        Err(ApiError::MissingPermission(Permission::AuditRead))
    }
}

/// Start of a calendar day in Europe/Helsinki, as an instant.
fn day_start(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Helsinki
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |local| local.with_timezone(&Utc))
}

/// Validated `[from, to]` days and the instants `[start, end)` they span.
fn days(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    default_back: chrono::Months,
) -> Result<(NaiveDate, NaiveDate, DateTime<Utc>, DateTime<Utc>), ApiError> {
    let today = Utc::now().with_timezone(&Helsinki).date_naive();
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| to.checked_sub_months(default_back).unwrap_or(to));
    if from > to {
        return Err(ApiError::invalid_field(
            "from",
            "after_to",
            "Start on or before the last day.",
        ));
    }
    if to.signed_duration_since(from).num_days() > 366 * 10 {
        return Err(ApiError::invalid_field(
            "from",
            "too_long",
            "Ask for at most ten years.",
        ));
    }
    let end = day_start(to.succ_opt().unwrap_or(to));
    Ok((from, to, day_start(from), end))
}

/// Search the logs.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(EventSearchParams),
    responses(
        (status = 200, description = "A page of events, newest first", body = inline(Page<EventResponse>)),
        NotLoggedIn,
        (status = 403, description = "Not a DPO (or an admin asking for client events)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/audit/events")]
pub async fn search_events(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    params: web::Query<EventSearchParams>,
) -> Result<web::Json<Page<EventResponse>>, ApiError> {
    let params = params.into_inner();
    let mut categories = readable_categories(&actor)?;
    if let Some(category) = params.category {
        match &categories {
            Some(allowed) if !allowed.contains(&category.as_str()) => return Err(ApiError::Forbidden),
            _ => categories = Some(vec![category.as_str()]),
        }
    }
    let limit = PageParams {
        limit: params.limit,
        cursor: params.cursor,
    }
    .limit()?;
    if let (Some(from), Some(to)) = (params.from, params.to)
        && from > to
    {
        return Err(ApiError::invalid_field(
            "from",
            "after_to",
            "Start before the end.",
        ));
    }
    for (field, value) in [
        ("action", &params.action),
        ("resource_type", &params.resource_type),
    ] {
        if value.as_ref().is_some_and(|v| v.is_empty() || v.len() > 64) {
            return Err(ApiError::invalid_field(field, "length", "Use 1–64 characters."));
        }
    }
    let filter = EventFilter {
        categories,
        action: params.action.clone(),
        user_id: params.user_id,
        api_client_id: params.api_client_id,
        client_id: params.client_id,
        resource_type: params.resource_type.clone(),
        resource_id: params.resource_id,
        from: params.from,
        to: params.to,
    };
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let details = serde_json::to_value(&params).unwrap_or_default();
    let cursor = params.cursor;
    let rows = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let cursor = match cursor {
                None => None,
                Some(id) => Some((
                    store::event_time(conn, id).await?.ok_or_else(|| {
                        ApiError::invalid_field("cursor", "unknown", "Use next_cursor of the previous page.")
                    })?,
                    id,
                )),
            };
            let rows = store::search(conn, &filter, cursor, limit).await?;
            let event = AuditEvent::new(Some(organisation_id), Category::Audit, "search", audit_actor)
                .with(json!({ "filters": details, "results": rows.len().min(limit as usize) }));
            audit::record(conn, &meta, event).await?;
            Ok(rows)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |row| row.id,
        event_response,
    )))
}

fn require_reports(actor: &Actor) -> Result<(), ApiError> {
    if actor.can(Permission::AuditRead) || actor.can(Permission::AccessRequestsManage) {
        Ok(())
    } else {
        Err(ApiError::MissingPermission(Permission::AuditRead))
    }
}

fn report_actor(event: &ChainEvent, names: &std::collections::HashMap<Uuid, String>) -> ReportActor {
    match (event.actor_user_id, event.actor_api_client_id) {
        (Some(id), _) => ReportActor {
            kind: "user".to_owned(),
            id: Some(id),
            name: names.get(&id).cloned(),
        },
        (None, Some(id)) => ReportActor {
            kind: "api_client".to_owned(),
            id: Some(id),
            name: names.get(&id).cloned(),
        },
        (None, None) => ReportActor {
            kind: "system".to_owned(),
            id: None,
            name: None,
        },
    }
}

async fn access_report(
    state: &AppState,
    meta: RequestMeta,
    actor: &Actor,
    client_id: Uuid,
    params: ReportParams,
    format: &'static str,
) -> Result<AccessReport, ApiError> {
    require_reports(actor)?;
    let (from, to, start, end) = days(params.from, params.to, chrono::Months::new(24))?;
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let language = params.lang;
    db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let client = crate::clients::find(conn, client_id.into())
                .await?
                .ok_or(ApiError::NotFound)?;
            let events = store::client_events(conn, client_id, start, end).await?;
            let user_ids = events.iter().filter_map(|e| e.actor_user_id).collect();
            let api_ids = events.iter().filter_map(|e| e.actor_api_client_id).collect();
            let names = store::names(conn, user_ids, api_ids).await?;
            let (mut processing, mut disclosures) = (Vec::new(), Vec::new());
            for event in events {
                let who = report_actor(&event, &names);
                if event.category == "disclosure" {
                    disclosures.push(ReportDisclosure {
                        occurred_at: event.occurred_at,
                        recipient: event.recipient.unwrap_or_default(),
                        legal_basis: event.legal_basis,
                        consent_id: event.consent_id,
                        data_categories: event.data_categories,
                        resource_ids: event.resource_ids,
                        disclosed_by: who,
                    });
                } else {
                    processing.push(ReportEntry {
                        occurred_at: event.occurred_at,
                        actor: who,
                        category: event.category,
                        action: event.action,
                        resource_type: event.resource_type,
                        fields: event.fields,
                        reason: event.reason,
                    });
                }
            }
            let mut event = AuditEvent::new(
                Some(organisation_id),
                Category::Audit,
                "access_report",
                audit_actor,
            )
            .with(json!({ "format": format, "from": from, "to": to }));
            event.client_ids = vec![client_id];
            event.resource_type = Some("access_report");
            audit::record(conn, &meta, event).await?;
            let language = language.unwrap_or(client.language);
            Ok(AccessReport {
                client_id,
                client_name: client.full_name(),
                language,
                from,
                to,
                generated_at: Utc::now(),
                processing,
                disclosures,
            })
        }
        .boxed()
    })
    .await
}

/// The client's access report: who processed their data, when and what, and every
/// disclosure with its basis.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), ReportParams),
    responses(
        (status = 200, description = "The report", body = AccessReport),
        NotLoggedIn,
        NotDpo,
        NoSuchClient,
        (status = 422, description = "Invalid period", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/audit/clients/{id}/access-report")]
pub async fn client_access_report(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<Uuid>,
    params: web::Query<ReportParams>,
) -> Result<web::Json<AccessReport>, ApiError> {
    let report = access_report(
        &state,
        meta,
        &actor,
        path.into_inner(),
        params.into_inner(),
        "json",
    )
    .await?;
    Ok(web::Json(report))
}

/// The client's access report as a printable page in the client's language of service
/// (or `lang`).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), ReportParams),
    responses(
        (status = 200, description = "The report", body = String, content_type = "text/html"),
        NotLoggedIn,
        NotDpo,
        NoSuchClient,
        (status = 422, description = "Invalid period", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/audit/clients/{id}/access-report.html")]
pub async fn client_access_report_html(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<Uuid>,
    params: web::Query<ReportParams>,
) -> Result<HttpResponse, ApiError> {
    let report = access_report(
        &state,
        meta,
        &actor,
        path.into_inner(),
        params.into_inner(),
        "html",
    )
    .await?;
    let html = report::render(&report)?;
    Ok(crate::domain::print::page(html))
}

/// Unusual access: clients opened outside the reader's units, users who opened more
/// distinct clients in a day than the organisation's threshold, and identity-code
/// lookups refused or throttled (someone trying codes).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(UnusualParams),
    responses(
        (status = 200, description = "The report", body = UnusualAccessReport),
        NotLoggedIn,
        NotDpo,
        (status = 422, description = "Invalid period", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/audit/unusual-access")]
pub async fn unusual_access(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    params: web::Query<UnusualParams>,
) -> Result<web::Json<UnusualAccessReport>, ApiError> {
    actor.require(Permission::AuditRead)?;
    let params = params.into_inner();
    let (from, to, start, end) = days(params.from, params.to, chrono::Months::new(1))?;
    let organisation_id = actor.organisation_id;
    let audit_actor = actor.audit();
    let report = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let threshold = auth_store::organisation(conn, organisation_id)
                .await?
                .unusual_access_daily_clients;
            let outside = store::outside_unit_reads(conn, start, end).await?;
            let busy = store::busy_days(conn, start, end, threshold).await?;
            let lookups = store::lookup_bursts(conn, start, end).await?;
            let user_ids = outside
                .iter()
                .filter_map(|e| e.actor_user_id)
                .chain(busy.iter().map(|b| b.user_id))
                .chain(lookups.iter().filter_map(|l| l.user_id))
                .collect();
            let api_client_ids = lookups.iter().filter_map(|l| l.api_client_id).collect();
            let names = store::names(conn, user_ids, api_client_ids).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Audit,
                "unusual_access_report",
                audit_actor,
            )
            .with(json!({ "from": from, "to": to }));
            audit::record(conn, &meta, event).await?;
            Ok(UnusualAccessReport {
                from,
                to,
                daily_threshold: threshold,
                outside_units: outside
                    .into_iter()
                    .filter_map(|event| {
                        Some(OutsideUnitRead {
                            occurred_at: event.occurred_at,
                            user_id: event.actor_user_id?,
                            user_name: event.actor_user_id.and_then(|id| names.get(&id).cloned()),
                            client_id: *event.client_ids.first()?,
                            reason: event.reason,
                        })
                    })
                    .collect(),
                busy_days: busy
                    .into_iter()
                    .map(|row| BusyDay {
                        user_name: names.get(&row.user_id).cloned(),
                        user_id: row.user_id,
                        day: row.day,
                        distinct_clients: row.distinct_clients,
                    })
                    .collect(),
                identity_code_lookups: lookups
                    .into_iter()
                    .map(|row| LookupBurst {
                        name: row
                            .user_id
                            .or(row.api_client_id)
                            .and_then(|id| names.get(&id).cloned()),
                        user_id: row.user_id,
                        api_client_id: row.api_client_id,
                        day: row.day,
                        misses: row.misses,
                        refused: row.refused,
                    })
                    .collect(),
            })
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(report))
}
