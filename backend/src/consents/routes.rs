//! Consent and disclosure endpoints. Every one of them writes the access log in the same
//! transaction as its work; a disclosure writes the disclosure log.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Duration, Utc};
use diesel_async::AsyncPgConnection;
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use super::api::{
    ClientWithoutConsent, ConsentEvent, ConsentEventKind, ConsentKind, ConsentResponse, DataCategory,
    DisclosureLogEntry, DisclosureRequest, DisclosureResponse, ExpiringConsent, ExpiringParams, FormParams,
    GiveConsentRequest, GivenHow, MissingParams, WithdrawConsentRequest,
};
use super::form;
use super::store::{self, Consent, NewConsent, NewWithdrawal};
use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::Actor;
use crate::db;
use crate::domain::access;
use crate::domain::access::ReadParams;
use crate::domain::check::Checker;
use crate::error::responses::{
    InvalidFields, InvalidParameters, NoSuchClient, NotAllowed, NotForClientsUnit, NotLoggedIn,
    ReasonRequired,
};
use crate::error::{ApiError, Problem};
use crate::http::RequestMeta;
use crate::ids::{ClientId, UnitId};
use crate::pagination::{Page, PageParams};
use crate::permissions::Permission;
use crate::state::AppState;

/// Resource type of consents in the access log.
pub const RESOURCE: &str = "consent";
/// Resource type of the client's disclosure log in the access log.
const DISCLOSURE_LOG_RESOURCE: &str = "disclosure";
/// Resource type of a disclosure of a client's data.
const DISCLOSED_RESOURCE: &str = "client";
/// Longest purpose, recipient.
const MAX_NAME: usize = 300;
/// Longest witness name.
const MAX_WITNESS: usize = 200;
/// Longest note.
const MAX_NOTE: usize = 2000;
/// How far ahead of the server's clock a given time may be (clocks differ a little).
const CLOCK_SKEW: Duration = Duration::minutes(2);

fn not_in_future(check: &mut Checker, field: &str, at: Option<DateTime<Utc>>) {
    if at.is_some_and(|at| at > Utc::now() + CLOCK_SKEW) {
        check.fail(field, "in_future", "Cannot be in the future.");
    }
}

/// Reads a client's consents for `actor` and logs the read of `resource_ids(consents)`.
async fn read_consents(
    conn: &mut AsyncPgConnection,
    meta: &RequestMeta,
    actor: &Actor,
    client: ClientId,
    reason: Option<String>,
    action: ClientAction,
) -> Result<Vec<Consent>, ApiError> {
    let (_, granted) = crate::clients::readable(conn, actor, client, reason).await?;
    let rows = store::of_client(conn, client).await?;
    let event = AuditEvent::client(
        actor.organisation_id,
        actor.audit(),
        action,
        RESOURCE,
        vec![client],
        rows.iter().map(|(row, _)| row.id).collect(),
    );
    audit::record(conn, meta, granted.mark(event)).await?;
    Ok(rows)
}

/// A client's consents, oldest first, each with its status and withdrawal.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), ReadParams),
    responses(
        (status = 200, description = "The consents", body = Vec<ConsentResponse>),
        NotLoggedIn,
        ReasonRequired,
        NoSuchClient,
    ),
)]
#[get("/clients/{id}/consents")]
pub async fn list_consents(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<Vec<ConsentResponse>>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let client = path.into_inner();
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move { read_consents(conn, &meta, &actor, client, reason, ClientAction::Read).await }.boxed()
    })
    .await?;
    let now = Utc::now();
    Ok(web::Json(
        rows.into_iter().map(|c| store::response(c, now)).collect(),
    ))
}

/// The history of a client's consents as a timeline: each given, coming into force,
/// withdrawn and expired, in time order.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), ReadParams),
    responses(
        (status = 200, description = "The timeline", body = Vec<ConsentEvent>),
        NotLoggedIn,
        ReasonRequired,
        NoSuchClient,
    ),
)]
#[get("/clients/{id}/consents/timeline")]
pub async fn consent_timeline(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<Vec<ConsentEvent>>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let client = path.into_inner();
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move { read_consents(conn, &meta, &actor, client, reason, ClientAction::Read).await }.boxed()
    })
    .await?;
    Ok(web::Json(timeline(rows, Utc::now())))
}

/// The events of some consents up to `now`, in time order.
pub fn timeline(rows: Vec<Consent>, now: DateTime<Utc>) -> Vec<ConsentEvent> {
    let mut events = Vec::new();
    for (row, withdrawal) in rows {
        let kind = row.kind;
        let event = |at, event, recorded_by| ConsentEvent {
            at,
            event,
            consent_id: row.id,
            kind,
            purpose: row.purpose.clone(),
            recipient: row.recipient.clone(),
            recorded_by,
            requested_how: None,
            requested_at: None,
        };
        events.push(event(
            row.given_at,
            ConsentEventKind::Given,
            row.recorded_by_user_id,
        ));
        let ended = withdrawal.as_ref().map(|w| w.withdrawn_at);
        if row.valid_from > row.given_at
            && row.valid_from <= now
            && ended.is_none_or(|end| row.valid_from < end)
        {
            events.push(event(row.valid_from, ConsentEventKind::Valid, None));
        }
        if let Some(until) = row.valid_until
            && until < now
            && ended.is_none_or(|end| until < end)
        {
            events.push(event(until, ConsentEventKind::Expired, None));
        }
        if let Some(w) = withdrawal {
            events.push(ConsentEvent {
                requested_how: Some(w.requested_how),
                requested_at: Some(w.requested_at),
                ..event(w.withdrawn_at, ConsentEventKind::Withdrawn, w.recorded_by_user_id)
            });
        }
    }
    events.sort_by(|a, b| a.at.cmp(&b.at).then(a.consent_id.cmp(&b.consent_id)));
    events
}

/// One consent of a client.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Client id"),
        ("consent_id" = Uuid, Path, description = "Consent id"),
        ReadParams,
    ),
    responses(
        (status = 200, description = "The consent", body = ConsentResponse),
        NotLoggedIn,
        ReasonRequired,
        (status = 404, description = "No such client or consent", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/clients/{id}/consents/{consent_id}")]
pub async fn get_consent(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<(ClientId, Uuid)>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<ConsentResponse>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let (client, id) = path.into_inner();
    let consent = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, granted) = crate::clients::readable(conn, &actor, client, reason).await?;
            let consent = store::find(conn, client, id).await?.ok_or(ApiError::NotFound)?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                RESOURCE,
                vec![client],
                vec![id],
            );
            audit::record(conn, &meta, granted.mark(event)).await?;
            Ok(consent)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(store::response(consent, Utc::now())))
}

/// Record a consent the client gives. A consent is never edited afterwards: to change
/// one, withdraw it and give a new one (`replaces_id` links them).
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id")),
    request_body = GiveConsentRequest,
    responses(
        (status = 201, description = "Recorded", body = ConsentResponse),
        NotLoggedIn,
        (status = 403, description = "Not allowed for this client's unit, or health or substance-use data without the sensitive grant", body = Problem, content_type = "application/problem+json"),
        NoSuchClient,
        (status = 409, description = "The same consent is already recorded, or the one to replace is not withdrawn or already replaced", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (including an unknown consent to replace)", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/clients/{id}/consents")]
pub async fn give_consent(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    body: web::Json<GiveConsentRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let purpose = check.text("purpose", body.purpose.as_deref(), MAX_NAME);
    let recipient = check.text("recipient", body.recipient.as_deref(), MAX_NAME);
    let witness = check.text("witness", body.witness.as_deref(), MAX_WITNESS);
    let note = check.long_text("note", body.note.as_deref(), MAX_NOTE);
    let needs_recipient = matches!(body.kind, ConsentKind::Disclosure | ConsentKind::DataRequest);
    if needs_recipient && recipient.is_none() {
        check.fail("recipient", "required", "Name the recipient or the party asked.");
    }
    if body.recipient_is_category && !needs_recipient {
        check.fail(
            "recipient_is_category",
            "not_allowed",
            "Only disclosures and data requests name recipients.",
        );
    }
    if !needs_recipient && recipient.is_some() {
        check.fail(
            "recipient",
            "not_allowed",
            "Only disclosures and data requests name a recipient.",
        );
    }
    if needs_recipient && body.data_categories.is_empty() {
        check.fail(
            "data_categories",
            "required",
            "Name at least one category of data.",
        );
    }
    if body.kind == ConsentKind::Other && purpose.is_none() {
        check.fail("purpose", "required", "Name the purpose.");
    }
    if body.given_how == GivenHow::Verbal && witness.is_none() {
        check.fail("witness", "required", "Name the witness of a verbal consent.");
    }
    not_in_future(&mut check, "given_at", body.given_at);
    check.moment("given_at", body.given_at);
    check.moment("valid_from", body.valid_from);
    check.moment("valid_until", body.valid_until);
    let valid_from = body.valid_from.or(body.given_at);
    if let Some(until) = body.valid_until
        && until <= valid_from.unwrap_or_else(Utc::now)
    {
        check.fail(
            "valid_until",
            "before_start",
            "The end must be after the start of validity.",
        );
    }
    check.finish()?;
    if body.data_categories.iter().any(|c| c.is_special()) {
        actor.require(Permission::SensitiveHistory)?;
    }
    let mut categories = body.data_categories;
    categories.sort_unstable_by_key(|c| c.as_str());
    categories.dedup();
    let client = path.into_inner();
    let organisation_id = actor.organisation_id;
    let new = NewConsent {
        id: Uuid::now_v7(),
        organisation_id,
        client_id: client,
        kind: body.kind,
        purpose,
        recipient,
        recipient_is_category: body.recipient_is_category,
        data_categories: categories,
        given_at: body.given_at,
        given_how: body.given_how,
        witness,
        valid_from: body.valid_from,
        valid_until: body.valid_until,
        note,
        replaces_id: body.replaces_id,
        recorded_by_user_id: actor.audit_ids().0,
    };
    let consent = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            crate::clients::writable(conn, &actor, client).await?;
            if let Some(replaced) = new.replaces_id {
                let (_, withdrawal) = store::find(conn, client, replaced).await?.ok_or_else(|| {
                    ApiError::invalid_field("replaces_id", "not_found", "No such consent of this client.")
                })?;
                if withdrawal.is_none() {
                    return Err(ApiError::Conflict(
                        "Withdraw the consent before giving one in its place.".to_owned(),
                    ));
                }
                let replaced_already = store::of_client(conn, client)
                    .await?
                    .iter()
                    .any(|(c, _)| c.replaces_id == Some(replaced));
                if replaced_already {
                    return Err(ApiError::Conflict(
                        "That consent has already been replaced.".to_owned(),
                    ));
                }
            }
            let mut fields = vec!["kind", "data_categories", "given_at", "given_how", "valid_from"];
            for (field, given) in [
                ("purpose", new.purpose.is_some()),
                ("recipient", new.recipient.is_some()),
                ("witness", new.witness.is_some()),
                ("valid_until", new.valid_until.is_some()),
                ("note", new.note.is_some()),
                ("replaces_id", new.replaces_id.is_some()),
            ] {
                if given {
                    fields.push(field);
                }
            }
            let id = new.id;
            store::insert(conn, &new).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Create,
                RESOURCE,
                vec![client],
                vec![id],
            )
            .fields(fields)
            .with(json!({ "kind": new.kind.as_str() }));
            audit::record(conn, &meta, event).await?;
            store::find(conn, client, id).await?.ok_or(ApiError::NotFound)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created().json(store::response(consent, Utc::now())))
}

/// Withdraw a consent, in one action: effective at once for every later disclosure.
/// The consent and the withdrawal both stay in the history.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Client id"),
        ("consent_id" = Uuid, Path, description = "Consent id"),
    ),
    request_body = WithdrawConsentRequest,
    responses(
        (status = 200, description = "Withdrawn", body = ConsentResponse),
        NotLoggedIn,
        NotForClientsUnit,
        (status = 404, description = "No such client or consent", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already withdrawn", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    ),
)]
#[post("/clients/{id}/consents/{consent_id}/withdraw")]
pub async fn withdraw_consent(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<(ClientId, Uuid)>,
    body: web::Json<WithdrawConsentRequest>,
) -> Result<web::Json<ConsentResponse>, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let note = check.long_text("note", body.note.as_deref(), MAX_NOTE);
    not_in_future(&mut check, "requested_at", body.requested_at);
    check.moment("requested_at", body.requested_at);
    check.finish()?;
    let (client, id) = path.into_inner();
    let organisation_id = actor.organisation_id;
    let withdrawal = NewWithdrawal {
        consent_id: id,
        organisation_id,
        requested_how: body.requested_how,
        requested_at: body.requested_at,
        note,
        recorded_by_user_id: actor.audit_ids().0,
    };
    let consent = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            crate::clients::writable(conn, &actor, client).await?;
            store::lock_client(conn, client, true).await?;
            let (consent, existing) = store::find(conn, client, id).await?.ok_or(ApiError::NotFound)?;
            if existing.is_some() {
                return Err(ApiError::Conflict("The consent is already withdrawn.".to_owned()));
            }
            if withdrawal.requested_at.is_some_and(|at| at < consent.given_at) {
                return Err(ApiError::invalid_field(
                    "requested_at",
                    "before_given",
                    "The client cannot have asked before giving the consent.",
                ));
            }
            store::withdraw(conn, &withdrawal).await?;
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Update,
                RESOURCE,
                vec![client],
                vec![id],
            )
            .fields(["withdrawal"])
            .with(json!({ "withdrawn": true, "requested_how": withdrawal.requested_how.as_str() }));
            audit::record(conn, &meta, event).await?;
            store::find(conn, client, id).await?.ok_or(ApiError::NotFound)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(store::response(consent, Utc::now())))
}

/// The printable consent form (HTML print view) in the client's language of service,
/// listing the purposes, recipients and data of the chosen consents, to be signed on
/// paper and scanned back. Printing is logged.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), FormParams),
    responses(
        (status = 200, description = "The form", body = String, content_type = "text/html"),
        NotLoggedIn,
        NotForClientsUnit,
        NoSuchClient,
        (status = 422, description = "Invalid ids", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/clients/{id}/consents/form")]
pub async fn consent_form(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    params: web::Query<FormParams>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let params = params.into_inner();
    let wanted: Option<Vec<Uuid>> = params
        .ids
        .as_deref()
        .map(|ids| {
            ids.split(',')
                .map(|id| id.trim().parse::<Uuid>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| {
                    ApiError::invalid_field("ids", "invalid", "Give consent ids separated by commas.")
                })
        })
        .transpose()?;
    let client = path.into_inner();
    let organisation_id = actor.organisation_id;
    let (row, consents) = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let row = crate::clients::writable(conn, &actor, client).await?;
            let now = Utc::now();
            let all = store::of_client(conn, client).await?;
            let chosen: Vec<Consent> = match &wanted {
                Some(ids) => {
                    if let Some(missing) = ids.iter().find(|id| !all.iter().any(|(c, _)| c.id == **id)) {
                        return Err(ApiError::invalid_field(
                            "ids",
                            "not_found",
                            format!("No consent {missing} of this client."),
                        ));
                    }
                    {
                        let chosen: Vec<Consent> =
                            all.into_iter().filter(|(c, _)| ids.contains(&c.id)).collect();
                        if let Some((c, _)) = chosen.iter().find(|consent| {
                            !matches!(
                                store::status(consent, now),
                                super::api::ConsentStatus::Active | super::api::ConsentStatus::Pending
                            )
                        }) {
                            return Err(ApiError::invalid_field(
                                "ids",
                                "not_in_force",
                                format!(
                                    "Consent {} is withdrawn or expired: it is not printed for signing.",
                                    c.id
                                ),
                            ));
                        }
                        chosen
                    }
                }
                None => all
                    .into_iter()
                    .filter(|consent| {
                        matches!(
                            store::status(consent, now),
                            super::api::ConsentStatus::Active | super::api::ConsentStatus::Pending
                        )
                    })
                    .collect(),
            };
            let event = AuditEvent::client(
                organisation_id,
                actor.audit(),
                ClientAction::Print,
                RESOURCE,
                vec![client],
                chosen.iter().map(|(c, _)| c.id).collect(),
            )
            .with(json!({ "document": "consent_form" }));
            audit::record(conn, &meta, event).await?;
            Ok((row, chosen))
        }
        .boxed()
    })
    .await?;
    let language = crate::domain::print::language(params.lang, row.language);
    let now = Utc::now();
    let html = form::render(
        language,
        &row.full_name(),
        &consents
            .into_iter()
            .map(|c| store::response(c, now))
            .collect::<Vec<_>>(),
    )?;
    Ok(crate::domain::print::page(html))
}

/// Disclose a client's data: allowed with a written disclosure consent in force that names
/// the recipient and covers the data (a verbal consent never; an electronic one where the
/// organisation counts electronic consents as written), or on a statutory basis (the law named) by someone
/// allowed to invoke one. Otherwise 409 and nothing is disclosed. Each disclosure is
/// written to the disclosure log with the consent or the law it relied on.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id")),
    request_body = DisclosureRequest,
    responses(
        (status = 201, description = "Disclosed and logged", body = DisclosureResponse),
        NotLoggedIn,
        (status = 403, description = "Not allowed for this client's unit, a statutory basis without the permission, or health or substance-use data without the sensitive grant", body = Problem, content_type = "application/problem+json"),
        NoSuchClient,
        (status = 409, description = "No written consent in force covers it and no legal basis was given; `errors[0].code` says why", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    ),
)]
#[post("/clients/{id}/disclosures")]
pub async fn record_disclosure(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    body: web::Json<DisclosureRequest>,
) -> Result<HttpResponse, ApiError> {
    access::require_write(&actor)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let recipient = check.text("recipient", Some(&body.recipient), MAX_NAME);
    if recipient.is_none() {
        check.fail("recipient", "required", "Name the recipient.");
    }
    let recipient_category = check.text("recipient_category", body.recipient_category.as_deref(), MAX_NAME);
    let legal_basis = check.text("legal_basis", body.legal_basis.as_deref(), 500);
    if body.legal_basis.is_some() && legal_basis.is_none() {
        check.fail(
            "legal_basis",
            "required",
            "Name the law and section, or leave the basis out.",
        );
    }
    if legal_basis
        .as_ref()
        .is_some_and(|basis| basis.chars().count() < 3)
    {
        check.fail("legal_basis", "too_short", "Name the law and section.");
    }
    if body.data_categories.is_empty() {
        check.fail(
            "data_categories",
            "required",
            "Name at least one category of data.",
        );
    }
    if legal_basis.is_some() && body.consent_id.is_some() {
        check.fail(
            "consent_id",
            "not_allowed",
            "Give either a consent or a legal basis, not both.",
        );
    }
    check.finish()?;
    let recipient = recipient.unwrap_or_default();
    let client = path.into_inner();
    let organisation_id = actor.organisation_id;
    let categories = body.data_categories;
    let event = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            crate::clients::writable(conn, &actor, client).await?;
            let intended = store::Intended {
                recipient: &recipient,
                recipient_category: recipient_category.as_deref(),
                categories: &categories,
                consent_id: body.consent_id,
                legal_basis,
            };
            let disclosure = store::authorise_disclosure(conn, &actor, client, intended).await?;
            let event = AuditEvent::disclosure(
                organisation_id,
                actor.audit(),
                vec![client],
                DISCLOSED_RESOURCE,
                vec![client],
                disclosure,
            )
            .with(json!({ "recipient_category": recipient_category }));
            Ok(audit::record_returning(conn, &meta, event).await?)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created().json(DisclosureResponse {
        id: event.id,
        occurred_at: event.occurred_at,
        client_id: client.into(),
        recipient: event.recipient.unwrap_or_default(),
        data_categories: event
            .data_categories
            .iter()
            .filter_map(|category| DataCategory::parse(category))
            .collect(),
        consent_id: event.consent_id,
        legal_basis: event.legal_basis,
    }))
}

/// The client's disclosure log: every disclosure of their data, newest first (at most
/// 500), with its recipient, data, basis and discloser. Reading it is logged.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), ReadParams),
    responses(
        (status = 200, description = "The disclosures", body = Vec<DisclosureLogEntry>),
        NotLoggedIn,
        ReasonRequired,
        NoSuchClient,
    ),
)]
#[get("/clients/{id}/disclosures")]
pub async fn list_disclosures(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<ClientId>,
    params: web::Query<ReadParams>,
) -> Result<web::Json<Vec<DisclosureLogEntry>>, ApiError> {
    access::require_read(&actor)?;
    let reason = access::read_reason(&params)?;
    let client = path.into_inner();
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let (_, granted) = crate::clients::readable(conn, &actor, client, reason).await?;
            let rows = store::disclosures_of(conn, client).await?;
            let event = AuditEvent::client(
                actor.organisation_id,
                actor.audit(),
                ClientAction::Read,
                DISCLOSURE_LOG_RESOURCE,
                vec![client],
                rows.iter().map(|row| row.id).collect(),
            );
            audit::record(conn, &meta, granted.mark(event)).await?;
            Ok(rows)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|row| DisclosureLogEntry {
                id: row.id,
                occurred_at: row.occurred_at,
                recipient: row.recipient.unwrap_or_default(),
                recipient_category: row.recipient_category,
                data_categories: row
                    .data_categories
                    .iter()
                    .filter_map(|category| DataCategory::parse(category))
                    .collect(),
                consent_id: row.consent_id,
                legal_basis: row.legal_basis,
                disclosed_by: row.disclosed_by,
            })
            .collect(),
    ))
}

/// Consents in force whose validity ends within `days` days, of clients the caller may
/// list (a coach: their units), to renew in time.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(ExpiringParams),
    responses(
        (status = 200, description = "One page, in consent id order", body = Page<ExpiringConsent>),
        NotLoggedIn,
        NotAllowed,
        InvalidParameters,
    ),
)]
#[get("/consents/expiring")]
pub async fn expiring_consents(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    params: web::Query<ExpiringParams>,
) -> Result<web::Json<Page<ExpiringConsent>>, ApiError> {
    let units = report_units(&actor, params.unit_id.map(UnitId::from))?;
    let days = params.days.unwrap_or(30);
    if !(1..=365).contains(&days) {
        return Err(ApiError::invalid_field("days", "out_of_range", "Use 1 to 365."));
    }
    let limit = PageParams {
        limit: params.limit,
        cursor: params.cursor,
    }
    .limit()?;
    let cursor = params.cursor;
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let rows = store::expiring(conn, days, units.as_deref(), cursor, limit + 1).await?;
            log_list(
                conn,
                &meta,
                &actor,
                RESOURCE,
                limit,
                rows.iter().map(|r| (r.client_id, r.consent_id)),
            )
            .await?;
            Ok(rows)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |r| r.consent_id,
        |r| ExpiringConsent {
            consent_id: r.consent_id,
            client_id: r.client_id.into(),
            client_name: format!("{} {}", r.first_names, r.last_name),
            unit_id: r.unit_id.into(),
            kind: r.kind,
            recipient: r.recipient,
            valid_until: r.valid_until,
        },
    )))
}

/// Active clients with no processing consent in force, of the units the caller may list
/// (the UI warns on them).
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(MissingParams),
    responses(
        (status = 200, description = "One page, in client id order", body = Page<ClientWithoutConsent>),
        NotLoggedIn,
        NotAllowed,
        InvalidParameters,
    ),
)]
#[get("/consents/missing-processing")]
pub async fn clients_without_processing_consent(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    params: web::Query<MissingParams>,
) -> Result<web::Json<Page<ClientWithoutConsent>>, ApiError> {
    let units = report_units(&actor, params.unit_id.map(UnitId::from))?;
    let limit = PageParams {
        limit: params.limit,
        cursor: params.cursor,
    }
    .limit()?;
    let cursor = params.cursor;
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let rows = store::without_processing_consent(conn, units.as_deref(), cursor, limit + 1).await?;
            log_list(
                conn,
                &meta,
                &actor,
                "client",
                limit,
                rows.iter().map(|r| (r.id, r.id.uuid())),
            )
            .await?;
            Ok(rows)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |r| r.id.into(),
        |r| ClientWithoutConsent {
            client_id: r.id.into(),
            client_name: format!("{} {}", r.first_names, r.last_name),
            unit_id: r.unit_id.into(),
        },
    )))
}

/// The units a report covers for `actor`: their listable units, narrowed to `unit`.
fn report_units(actor: &Actor, unit: Option<UnitId>) -> Result<Option<Vec<UnitId>>, ApiError> {
    let listable = access::listable_units(actor)?;
    Ok(match (listable, unit) {
        (None, None) => None,
        (None, Some(unit)) => Some(vec![unit]),
        (Some(units), None) => Some(units),
        (Some(units), Some(unit)) => Some(units.into_iter().filter(|u| *u == unit).collect()),
    })
}

/// Logs the read of a page that showed the first `limit` of these (client, record) pairs
/// (the page's extra row is not shown); nothing shown, nothing to log.
async fn log_list(
    conn: &mut AsyncPgConnection,
    meta: &RequestMeta,
    actor: &Actor,
    resource: &'static str,
    limit: i64,
    rows: impl Iterator<Item = (ClientId, Uuid)>,
) -> Result<(), ApiError> {
    let (mut clients, mut records): (Vec<ClientId>, Vec<Uuid>) =
        rows.take(usize::try_from(limit).unwrap_or(usize::MAX)).unzip();
    if clients.is_empty() {
        return Ok(());
    }
    clients.sort_unstable();
    clients.dedup();
    records.sort_unstable();
    records.dedup();
    let event = AuditEvent::client(
        actor.organisation_id,
        actor.audit(),
        ClientAction::Read,
        resource,
        clients,
        records,
    )
    .with(json!({ "list": true }));
    audit::record(conn, meta, event).await?;
    Ok(())
}
