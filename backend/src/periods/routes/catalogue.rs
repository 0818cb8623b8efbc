//! The organisation's configurable code lists (service types, referrers, outcome
//! sub-codes) and assessment instruments. Every organisation starts with the national
//! values (seeded by the database when the organisation is created); the admin adds the
//! organisation's own and retires those it does not use.

use actix_web::{HttpResponse, get, patch, post, web};
use diesel_async::AsyncPgConnection;
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, AuditEvent, Category};
use crate::auth::actor::Actor;
use crate::db;
use crate::domain::check::Checker;
use crate::error::responses::{InvalidFields, NotAdmin, NotAllowed, NotLoggedIn};
use crate::error::{ApiError, Problem};
use crate::http::RequestMeta;
use crate::periods::api::{
    CodeList, CodeValueResponse, CreateCodeValueRequest, CreateInstrumentRequest, CriterionResponse,
    InstrumentResponse, ScaleStep, UpdateCodeValueRequest,
};
use crate::periods::store;
use crate::periods::store::catalogue::{CodeRow, CriterionRow, InstrumentRow};
use crate::permissions::Permission;
use crate::state::AppState;

fn code_response(row: CodeRow) -> CodeValueResponse {
    CodeValueResponse {
        list: row.list,
        code: row.code,
        parent_code: row.parent_code,
        name_fi: row.name_fi,
        name_sv: row.name_sv,
        name_en: row.name_en,
        ktt_rules: row.ktt_rules,
        national: row.national,
        active: row.active,
        position: row.position,
    }
}

/// The value `code` of `list`, or a 422 on `field`. Only active values are accepted for
/// new records (`active_only`); a record keeps a value that has been retired since.
pub async fn require_code(
    conn: &mut AsyncPgConnection,
    list: CodeList,
    code: &str,
    field: &str,
    active_only: bool,
) -> Result<CodeRow, ApiError> {
    match store::catalogue::find_code(conn, list, code).await? {
        Some(row) if row.active || !active_only => Ok(row),
        _ => Err(ApiError::invalid_field(
            field,
            "unknown_code",
            format!("Not a value of the organisation's {} list.", list.as_str()),
        )),
    }
}

fn require_catalogue_reader(actor: &Actor) -> Result<(), ApiError> {
    actor.require(Permission::UnitsRead)
}

fn parse_list(list: &str) -> Result<CodeList, ApiError> {
    CodeList::parse(list).ok_or(ApiError::NotFound)
}

fn check_code(check: &mut Checker, code: &str) {
    let valid = code.len() <= 64
        && code.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        check.fail(
            "code",
            "invalid",
            "Use lower-case letters, digits and _, starting with a letter (at most 64).",
        );
    }
}

/// The values of a code list (`service_type`, `referrer`, `outcome`), in order.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = []), ("oauth2" = ["units:read"])),
    params(("list" = CodeList, Path, description = "The list")),
    responses(
        (status = 200, description = "The values", body = Vec<CodeValueResponse>),
        NotLoggedIn,
        NotAllowed,
        (status = 404, description = "No such list", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/code-lists/{list}")]
pub async fn list_code_values(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
) -> Result<web::Json<Vec<CodeValueResponse>>, ApiError> {
    require_catalogue_reader(&actor)?;
    let list = parse_list(&path)?;
    let rows = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move { Ok(store::catalogue::codes_of(conn, list).await?) }.boxed()
    })
    .await?;
    Ok(web::Json(rows.into_iter().map(code_response).collect()))
}

/// Add the organisation's own value to a code list (admin).
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("list" = CodeList, Path, description = "The list")),
    request_body = CreateCodeValueRequest,
    responses(
        (status = 201, description = "Added", body = CodeValueResponse),
        NotLoggedIn,
        NotAdmin,
        (status = 404, description = "No such list", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code exists", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    ),
)]
#[post("/code-lists/{list}")]
pub async fn create_code_value(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<String>,
    body: web::Json<CreateCodeValueRequest>,
) -> Result<HttpResponse, ApiError> {
    actor.require(Permission::OrganisationManage)?;
    let list = parse_list(&path)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    check_code(&mut check, &body.code);
    let name_fi = check.name("name_fi", &body.name_fi);
    let name_sv = check.name("name_sv", &body.name_sv);
    let name_en = check.name("name_en", &body.name_en);
    match (list, body.parent_code) {
        (CodeList::Outcome, None) => check.fail("parent_code", "required", "Name the outcome class."),
        (CodeList::Outcome, Some(_)) | (_, None) => {}
        (_, Some(_)) => check.fail(
            "parent_code",
            "not_allowed",
            "Only outcome sub-codes have a class.",
        ),
    }
    if body.ktt_rules && list != CodeList::ServiceType {
        check.fail(
            "ktt_rules",
            "not_allowed",
            "Only service types follow the KTT rules.",
        );
    }
    check.finish()?;
    let organisation_id = actor.organisation_id;
    let row = CodeRow {
        organisation_id,
        list,
        code: body.code,
        parent_code: body.parent_code,
        name_fi,
        name_sv,
        name_en,
        ktt_rules: body.ktt_rules,
        national: false,
        active: true,
        position: body.position.unwrap_or(1000),
    };
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let row = store::catalogue::insert_code(conn, &row).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "code_value_created",
                actor.audit(),
            )
            .with(json!({ "list": row.list.as_str(), "code": row.code }));
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created().json(code_response(row)))
}

/// Rename, reorder or retire a code value (admin). Values are never deleted: records
/// keep the values they were given.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(
        ("list" = CodeList, Path, description = "The list"),
        ("code" = String, Path, description = "The code"),
    ),
    request_body = UpdateCodeValueRequest,
    responses(
        (status = 200, description = "Changed", body = CodeValueResponse),
        NotLoggedIn,
        NotAdmin,
        (status = 404, description = "No such list or code", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    ),
)]
#[patch("/code-lists/{list}/{code}")]
pub async fn update_code_value(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    path: web::Path<(String, String)>,
    body: web::Json<UpdateCodeValueRequest>,
) -> Result<web::Json<CodeValueResponse>, ApiError> {
    actor.require(Permission::OrganisationManage)?;
    let (list, code) = path.into_inner();
    let list = parse_list(&list)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    let name_fi = body.name_fi.as_deref().map(|n| check.name("name_fi", n));
    let name_sv = body.name_sv.as_deref().map(|n| check.name("name_sv", n));
    let name_en = body.name_en.as_deref().map(|n| check.name("name_en", n));
    check.finish()?;
    let organisation_id = actor.organisation_id;
    let row = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            let mut row = store::catalogue::find_code_for_update(conn, list, &code)
                .await?
                .ok_or(ApiError::NotFound)?;
            if let Some(name) = name_fi {
                row.name_fi = name;
            }
            if let Some(name) = name_sv {
                row.name_sv = name;
            }
            if let Some(name) = name_en {
                row.name_en = name;
            }
            if let Some(active) = body.active {
                row.active = active;
            }
            if let Some(position) = body.position {
                row.position = position;
            }
            let row = store::catalogue::update_code(conn, list, &code, &row).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "code_value_updated",
                actor.audit(),
            )
            .with(json!({ "list": row.list.as_str(), "code": row.code, "active": row.active }));
            audit::record(conn, &meta, event).await?;
            Ok(row)
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(code_response(row)))
}

fn criterion_response(row: CriterionRow) -> CriterionResponse {
    CriterionResponse {
        id: row.id,
        position: row.position,
        name_fi: row.name_fi,
        name_sv: row.name_sv,
        name_en: row.name_en,
        scale_min: row.scale_min,
        scale_max: row.scale_max,
        steps: serde_json::from_value(row.steps).unwrap_or_default(),
    }
}

/// The organisation's assessment instruments with their criteria.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = []), ("oauth2" = ["units:read"])),
    responses(
        (status = 200, description = "The instruments", body = Vec<InstrumentResponse>),
        NotLoggedIn,
        NotAllowed,
    ),
)]
#[get("/assessment-instruments")]
pub async fn list_instruments(
    state: web::Data<AppState>,
    actor: Actor,
) -> Result<web::Json<Vec<InstrumentResponse>>, ApiError> {
    require_catalogue_reader(&actor)?;
    let (rows, all_criteria) = db::transaction(&state.pool, Some(actor.organisation_id), move |conn| {
        async move {
            let rows = store::catalogue::instruments(conn).await?;
            let all = store::catalogue::all_criteria(conn).await?;
            Ok((rows, all))
        }
        .boxed()
    })
    .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|row| InstrumentResponse {
                criteria: all_criteria
                    .iter()
                    .filter(|c| c.instrument_id == row.id)
                    .cloned()
                    .map(criterion_response)
                    .collect(),
                id: row.id,
                code: row.code,
                name_fi: row.name_fi,
                name_sv: row.name_sv,
                name_en: row.name_en,
                active: row.active,
            })
            .collect(),
    ))
}

/// Add an assessment instrument (admin): a named set of criteria, each on a numeric scale
/// with labelled steps.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    request_body = CreateInstrumentRequest,
    responses(
        (status = 201, description = "Added", body = InstrumentResponse),
        NotLoggedIn,
        NotAdmin,
        (status = 409, description = "The code exists", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    ),
)]
#[post("/assessment-instruments")]
pub async fn create_instrument(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    body: web::Json<CreateInstrumentRequest>,
) -> Result<HttpResponse, ApiError> {
    actor.require(Permission::OrganisationManage)?;
    let body = body.into_inner();
    let mut check = Checker::default();
    check_code(&mut check, &body.code);
    let name_fi = check.name("name_fi", &body.name_fi);
    let name_sv = check.name("name_sv", &body.name_sv);
    let name_en = check.name("name_en", &body.name_en);
    if body.criteria.is_empty() || body.criteria.len() > 30 {
        check.fail("criteria", "count", "Give 1–30 criteria.");
    }
    let organisation_id = actor.organisation_id;
    let instrument = InstrumentRow {
        id: Uuid::now_v7(),
        organisation_id,
        code: body.code.clone(),
        name_fi,
        name_sv,
        name_en,
        active: true,
    };
    let mut rows = Vec::new();
    for (index, criterion) in body.criteria.into_iter().enumerate() {
        let field = |name: &str| format!("criteria[{index}].{name}");
        let name_fi = check.name(&field("name_fi"), &criterion.name_fi);
        let name_sv = check.name(&field("name_sv"), &criterion.name_sv);
        let name_en = check.name(&field("name_en"), &criterion.name_en);
        let (low, high) = (i32::from(criterion.scale_min), i32::from(criterion.scale_max));
        if !(-1000..=1000).contains(&low)
            || !(-1000..=1000).contains(&high)
            || low >= high
            || high - low > 100
        {
            check.fail(
                &field("scale_max"),
                "invalid",
                "The scale runs low to high within -1000…1000, 2–101 steps.",
            );
        }
        let steps: Vec<ScaleStep> = criterion.steps;
        if steps
            .iter()
            .any(|s| s.value < criterion.scale_min || s.value > criterion.scale_max)
        {
            check.fail(
                &field("steps"),
                "out_of_scale",
                "Every labelled step must be on the scale.",
            );
        }
        rows.push(CriterionRow {
            id: Uuid::now_v7(),
            organisation_id,
            instrument_id: instrument.id,
            position: i32::try_from(index).unwrap_or(i32::MAX) + 1,
            name_fi,
            name_sv,
            name_en,
            scale_min: criterion.scale_min,
            scale_max: criterion.scale_max,
            steps: serde_json::to_value(&steps).unwrap_or_default(),
        });
    }
    check.finish()?;
    let id = instrument.id;
    let (instrument, criteria_rows) = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            store::catalogue::insert_instrument(conn, &instrument, &rows).await?;
            let event = AuditEvent::new(
                Some(organisation_id),
                Category::Admin,
                "assessment_instrument_created",
                actor.audit(),
            )
            .about(id)
            .with(json!({ "code": instrument.code }));
            audit::record(conn, &meta, event).await?;
            Ok((instrument, rows))
        }
        .boxed()
    })
    .await?;
    Ok(HttpResponse::Created().json(InstrumentResponse {
        id: instrument.id,
        code: instrument.code,
        name_fi: instrument.name_fi,
        name_sv: instrument.name_sv,
        name_en: instrument.name_en,
        active: instrument.active,
        criteria: criteria_rows.into_iter().map(criterion_response).collect(),
    }))
}
