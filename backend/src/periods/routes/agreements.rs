//! Work and activity agreements of a period: drafted, signed, ended; printable in the
//! client's language of service.

use actix_web::{HttpResponse, get, patch, post, web};
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::db;
use crate::domain::access;
use crate::domain::access::ReadParams;
use crate::domain::check::{Checker, today};
use crate::domain::print::{PrintParams, page};
use crate::error::responses::{
    InvalidFields, NoSuchPeriod, NotForClientsUnit, NotLoggedIn, ReasonRequired, StaleIfMatch,
};
use crate::error::{ApiError, Problem};
use crate::http::{IfMatch, RequestMeta, etag};
use crate::ids::PeriodId;
use crate::periods::api::{
    AgreementResponse, AgreementState, CreateAgreementRequest, UpdateAgreementRequest,
};
use crate::periods::store::agreements::{AgreementChanges, AgreementRow, NewAgreement};
use crate::periods::{print, store};
use crate::state::AppState;

/// Resource type of agreements in the access log.
pub const RESOURCE: &str = "agreement";

/// The response form of an agreement.
fn response(row: AgreementRow) -> AgreementResponse {
    AgreementResponse {
        id: row.id,
        period_id: row.period_id.into(),
        kind: row.kind,
        organisation_contact: row.organisation_contact,
        workplace: row.workplace,
        workplace_contact: row.workplace_contact,
        tasks: row.tasks,
        schedule: row.schedule,
        place: row.place,
        insurance_note: row.insurance_note,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        signed_on: row.signed_on,
        state: row.state,
        ended_on: row.ended_on,
        end_reason: row.end_reason,
        version: row.version,
    }
}

/// A period's agreements.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id"), ReadParams),
    responses(
        (status = 200, description = "The agreements", body = Vec<AgreementResponse>),
        NotLoggedIn,
        ReasonRequired,
        NoSuchPeriod,
    ),
)]
#[get("/periods/{period_id}/agreements")]
pub async fn list_agreements(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<Vec<AgreementResponse>>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let id = path.into_inner();
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, client, granted) = store::readable(conn, &actor, id, reason).await?;
            let rows = store::agreements::of_period(conn, id).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![client.id],
                rows.iter().map(|r| r.id).collect(),
            );
            audit::record(conn, &meta, granted.mark(event)).await?;
            Ok(rows)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(rows.into_iter().map(response).collect()))
}

struct Texts {
    organisation_contact: Option<String>,
    workplace: Option<String>,
    workplace_contact: Option<String>,
    tasks: Option<String>,
    schedule: Option<String>,
    place: Option<String>,
    insurance_note: Option<String>,
}

/// Draft an agreement for a period.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("period_id" = Uuid, Path, description = "Period id")),
    request_body = CreateAgreementRequest,
    responses(
        (status = 201, description = "Drafted", body = AgreementResponse),
        NotLoggedIn,
        NotForClientsUnit,
        NoSuchPeriod,
        InvalidFields,
    ),
)]
#[post("/periods/{period_id}/agreements")]
pub async fn create_agreement(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<PeriodId>,
    body: web::Json<CreateAgreementRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let texts = Texts {
        organisation_contact: check.text("organisation_contact", body.organisation_contact.as_deref(), 200),
        workplace: check.text("workplace", body.workplace.as_deref(), 200),
        workplace_contact: check.text("workplace_contact", body.workplace_contact.as_deref(), 200),
        tasks: check.long_text("tasks", body.tasks.as_deref(), 4000),
        schedule: check.long_text("schedule", body.schedule.as_deref(), 1000),
        place: check.text("place", body.place.as_deref(), 300),
        insurance_note: check.long_text("insurance_note", body.insurance_note.as_deref(), 1000),
    };
    if let (Some(start), Some(end)) = (body.starts_on, body.ends_on)
        && end < start
    {
        check.fail("ends_on", "before_start", "The end cannot be before the start.");
    }
    check.date("starts_on", body.starts_on);
    check.date("ends_on", body.ends_on);
    check.finish()?;
    let id = path.into_inner();
    let organisation_id = actor.organisation_id;
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let (_, client) = store::writable(conn, &actor, id).await?;
            let new = NewAgreement {
                id: Uuid::now_v7(),
                organisation_id,
                client_id: client.id,
                period_id: id,
                kind: body.kind,
                organisation_contact: texts.organisation_contact,
                workplace: texts.workplace,
                workplace_contact: texts.workplace_contact,
                tasks: texts.tasks,
                schedule: texts.schedule,
                place: texts.place,
                insurance_note: texts.insurance_note,
                starts_on: body.starts_on,
                ends_on: body.ends_on,
                created_by: actor.audit_ids().0,
            };
            let row = store::agreements::insert(conn, &new).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Create,
                RESOURCE,
                vec![client.id],
                vec![row.id],
            )
            .with(json!({ "period_id": id, "kind": row.kind.as_str() }));
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

/// Change a draft agreement, sign it (`state: signed` with `signed_on`) or end a signed
/// one (`If-Match`). A signed agreement's terms no longer change (409).
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(
        ("period_id" = Uuid, Path, description = "Period id"),
        ("agreement_id" = Uuid, Path, description = "Agreement id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read"),
    ),
    request_body = UpdateAgreementRequest,
    responses(
        (status = 200, description = "Changed", body = AgreementResponse),
        NotLoggedIn,
        NotForClientsUnit,
        (status = 404, description = "No such period or agreement", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A signed agreement's terms, or an ended agreement", body = Problem, content_type = "application/problem+json"),
        StaleIfMatch,
        InvalidFields,
    ),
)]
#[patch("/periods/{period_id}/agreements/{agreement_id}")]
pub async fn update_agreement(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    if_match: IfMatch,
    path: web::Path<(PeriodId, Uuid)>,
    body: web::Json<UpdateAgreementRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let mut changes = AgreementChanges {
        organisation_contact: body
            .organisation_contact
            .as_ref()
            .map(|v| check.text("organisation_contact", v.as_deref(), 200)),
        workplace: body
            .workplace
            .as_ref()
            .map(|v| check.text("workplace", v.as_deref(), 200)),
        workplace_contact: body
            .workplace_contact
            .as_ref()
            .map(|v| check.text("workplace_contact", v.as_deref(), 200)),
        tasks: body
            .tasks
            .as_ref()
            .map(|v| check.long_text("tasks", v.as_deref(), 4000)),
        schedule: body
            .schedule
            .as_ref()
            .map(|v| check.long_text("schedule", v.as_deref(), 1000)),
        place: body
            .place
            .as_ref()
            .map(|v| check.text("place", v.as_deref(), 300)),
        insurance_note: body
            .insurance_note
            .as_ref()
            .map(|v| check.long_text("insurance_note", v.as_deref(), 1000)),
        starts_on: body.starts_on,
        ends_on: body.ends_on,
        ..Default::default()
    };
    if body.signed_on.is_some_and(|d| d > today()) {
        check.fail("signed_on", "in_future", "Cannot be after today.");
    }
    check.date("signed_on", body.signed_on);
    check.date("ended_on", body.ended_on);
    let end_reason = check.text("end_reason", body.end_reason.as_deref(), 500);
    if body.end_reason.is_some() && end_reason.is_none() {
        check.fail("end_reason", "required", "Say why the agreement ends.");
    }
    let ending = body.state == Some(AgreementState::Ended);
    if ending && body.ended_on.is_none() {
        check.fail("ended_on", "required", "Give the date the agreement ends.");
    }
    if ending && body.end_reason.is_none() {
        check.fail("end_reason", "required", "Say why the agreement ends.");
    }
    if !ending {
        for (field, given) in [
            ("ended_on", body.ended_on.is_some()),
            ("end_reason", body.end_reason.is_some()),
        ] {
            if given {
                check.fail(field, "not_allowed", "Only ending an agreement names its end.");
            }
        }
    }
    check.date("starts_on", body.starts_on.flatten());
    check.date("ends_on", body.ends_on.flatten());
    check.finish()?;
    let terms_change = changes.organisation_contact.is_some()
        || changes.workplace.is_some()
        || changes.workplace_contact.is_some()
        || changes.tasks.is_some()
        || changes.schedule.is_some()
        || changes.place.is_some()
        || changes.insurance_note.is_some()
        || changes.starts_on.is_some()
        || changes.ends_on.is_some();
    let (id, agreement) = path.into_inner();
    let row = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, client) = store::writable(conn, &actor, id).await?;
            let current = store::agreements::agreement_of(conn, id, agreement, true)
                .await?
                .ok_or(ApiError::NotFound)?;
            if_match.check(current.version)?;
            let state_now = current.state;
            if state_now != AgreementState::Draft && terms_change {
                return Err(ApiError::Conflict(
                    "A signed agreement's terms no longer change.".to_owned(),
                ));
            }
            match (state_now, body.state) {
                (_, None) => {}
                (AgreementState::Draft, Some(AgreementState::Signed)) => {
                    let signed_on = body.signed_on.ok_or_else(|| {
                        ApiError::invalid_field("signed_on", "required", "Give the date of signing.")
                    })?;
                    changes.signed_on = Some(Some(signed_on));
                    changes.state = Some(AgreementState::Signed);
                }
                (AgreementState::Signed, Some(AgreementState::Ended)) => {
                    if let (Some(ended_on), Some(signed_on)) = (body.ended_on, current.signed_on)
                        && ended_on < signed_on
                    {
                        return Err(ApiError::invalid_field(
                            "ended_on",
                            "before_signed",
                            "An agreement cannot end before it was signed.",
                        ));
                    }
                    changes.state = Some(AgreementState::Ended);
                    changes.ended_on = Some(body.ended_on);
                    changes.end_reason = Some(end_reason);
                }
                (from, Some(to)) if from == to => {}
                (from, Some(to)) => {
                    return Err(ApiError::Conflict(format!(
                        "An agreement cannot go from {} to {}.",
                        from.as_str(),
                        to.as_str()
                    )));
                }
            }
            let start = changes.starts_on.unwrap_or(current.starts_on);
            let end = changes.ends_on.unwrap_or(current.ends_on);
            if let (Some(start), Some(end)) = (start, end)
                && end < start
            {
                return Err(ApiError::invalid_field(
                    "ends_on",
                    "before_start",
                    "The end cannot be before the start.",
                ));
            }
            changes.version = Some(current.version + 1);
            let mut fields: Vec<&'static str> = Vec::new();
            for (field, set) in [
                ("organisation_contact", changes.organisation_contact.is_some()),
                ("workplace", changes.workplace.is_some()),
                ("workplace_contact", changes.workplace_contact.is_some()),
                ("tasks", changes.tasks.is_some()),
                ("schedule", changes.schedule.is_some()),
                ("place", changes.place.is_some()),
                ("insurance_note", changes.insurance_note.is_some()),
                ("starts_on", changes.starts_on.is_some()),
                ("ends_on", changes.ends_on.is_some()),
                ("signed_on", changes.signed_on.is_some()),
                ("state", changes.state.is_some()),
                ("ended_on", changes.ended_on.is_some()),
                ("end_reason", changes.end_reason.is_some()),
            ] {
                if set {
                    fields.push(field);
                }
            }
            let row = store::agreements::update(conn, agreement, &changes).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Update,
                RESOURCE,
                vec![client.id],
                vec![agreement],
            )
            .fields(fields)
            .with(json!({ "state": row.state.as_str() }));
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

/// The agreement as a printable page (A4) in the client's language of service.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(
        ("period_id" = Uuid, Path, description = "Period id"),
        ("agreement_id" = Uuid, Path, description = "Agreement id"),
        PrintParams,
    ),
    responses(
        (status = 200, description = "The page", body = String, content_type = "text/html"),
        NotLoggedIn,
        NotForClientsUnit,
        (status = 404, description = "No such period or agreement", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/periods/{period_id}/agreements/{agreement_id}/print")]
pub async fn print_agreement(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<(PeriodId, Uuid)>,
    params: web::Query<PrintParams>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let (id, agreement) = path.into_inner();
    let lang = params.lang;
    let (row, period, client) = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (period, client, _) = store::readable(conn, &actor, id, None).await?;
            access::write(&actor, client.unit_id)?;
            let row = store::agreements::agreement_of(conn, id, agreement, false)
                .await?
                .ok_or(ApiError::NotFound)?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Print,
                RESOURCE,
                vec![client.id],
                vec![agreement],
            );
            audit::record(conn, &meta, event).await?;
            Ok((row, period, client))
        }
        .boxed()
    })
    .await?;
    let language = crate::domain::print::language(lang, client.language);
    let html = print::agreement(language, &client, &period, &response(row))?;
    Ok(page(html))
}
