//! The monthly expense allowance report (kulukorvaus / toimintaraha) of rehabilitative work
//! activity: per client and period, the days present in the month, the days payable (at
//! most five per ISO week per client, a day once however many periods it is marked in)
//! and the sum at the organisation's rate. Produced for an integrator (payroll), it is a
//! disclosure and goes through the disclosure check and log.

use actix_web::{HttpResponse, get, http::header, web};
use futures_util::FutureExt;
use serde_json::json;
use uuid::Uuid;

use crate::admin::{UnitState, unit_exists};
use crate::attendance::api::{AllowanceParams, AllowanceReport, ReportFormat};
use crate::attendance::regularity;
use crate::attendance::store::allowances as store;
use crate::audit::{self, AuditEvent, ClientAction};
use crate::auth::actor::{Actor, Principal};
use crate::consents::DataCategory;
use crate::db;
use crate::domain::access;
use crate::error::responses::{NotAllowed, NotLoggedIn};
use crate::error::{ApiError, Problem};
use crate::http::RequestMeta;
use crate::permissions::Permission;
use crate::state::AppState;

/// Resource type of the report in the access and disclosure logs.
pub const RESOURCE: &str = "allowance_report";
/// Euros with a decimal comma (`45,00`), as Finnish Excel reads them.
fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{},{:02}", cents / 100, cents % 100)
}

/// A text cell that a spreadsheet would not run as a formula.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The report as CSV for Excel in Finland: UTF-8 with a byte-order mark, `;` between
/// fields, decimal commas, formulas neutralised.
pub fn csv(report: &AllowanceReport) -> Result<Vec<u8>, ApiError> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let write = |out: &mut csv::Writer<Vec<u8>>, record: &[String]| {
        out.write_record(record)
            .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("writing the allowance CSV")))
    };
    write(
        &mut out,
        &[
            "Sukunimi",
            "Etunimet",
            "Asiakas",
            "Jakso",
            "Yksikkö",
            "Palvelu",
            "Osallistumispäivät",
            "Maksettavat päivät",
            "Päiväkorvaus (€)",
            "Yhteensä (€)",
        ]
        .map(str::to_owned),
    )?;
    for row in &report.rows {
        write(
            &mut out,
            &[
                cell(&row.last_name),
                cell(&row.first_names),
                row.client_id.to_string(),
                row.period_id.to_string(),
                row.unit_id.to_string(),
                cell(&row.service_type),
                row.participation_days.to_string(),
                row.payable_days.to_string(),
                euros(row.rate_cents),
                euros(row.total_cents),
            ],
        )?;
    }
    write(
        &mut out,
        &[
            "Yhteensä".to_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            report.participation_days.to_string(),
            report.payable_days.to_string(),
            String::new(),
            euros(report.total_cents),
        ],
    )?;
    out.into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("writing the allowance CSV: {e}")))
}

/// The monthly allowance report of KTT periods, for a unit or the whole organisation, as
/// JSON or CSV. Staff with the allowance permission read it (logged as a read, or an
/// export for CSV); an API client with `allowances:read` receives it as a disclosure on
/// the legal basis it names (`legal_basis`, required), recorded in the disclosure log.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = []), ("oauth2" = ["allowances:read"])),
    params(AllowanceParams),
    responses(
        (status = 200, description = "The report", content(
            (AllowanceReport = "application/json"),
            (String = "text/csv"),
        )),
        NotLoggedIn,
        NotAllowed,
        (status = 422, description = "Invalid month, unit or missing legal basis", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/allowances")]
pub async fn allowance_report(
    state: web::Data<AppState>,
    meta: RequestMeta,
    actor: Actor,
    params: web::Query<AllowanceParams>,
) -> Result<HttpResponse, ApiError> {
    actor.require(Permission::AllowancesRead)?;
    let params = params.into_inner();
    let range = regularity::month("month", &params.month)?;
    let is_integrator = matches!(actor.principal, Principal::ApiClient { .. });
    let legal_basis = match params.legal_basis.as_deref().map(str::trim) {
        Some(basis) if basis.chars().count() > 500 || basis.is_empty() => {
            return Err(ApiError::invalid_field(
                "legal_basis",
                "length",
                "Name the law in 1–500 characters.",
            ));
        }
        Some(basis) => Some(basis.to_owned()),
        None if is_integrator => {
            return Err(ApiError::invalid_field(
                "legal_basis",
                "required",
                "The report is disclosed to an integrator: name the law it is disclosed under.",
            ));
        }
        None => None,
    };
    if !is_integrator && legal_basis.is_some() {
        return Err(ApiError::invalid_field(
            "legal_basis",
            "unknown_field",
            "Staff read the report inside the organisation; a legal basis is for integrators.",
        ));
    }
    let format = params.format.unwrap_or(ReportFormat::Json);
    let unit = params.unit_id;
    let month = params.month.clone();
    let organisation_id = actor.organisation_id;
    let report = db::transaction(&state.pool, Some(organisation_id), move |conn| {
        async move {
            if let Some(unit) = unit {
                // A unit closed since still has the months it was open to pay.
                unit_exists(conn, "unit_id", unit.into(), UnitState::Any).await?;
                if !is_integrator {
                    access::read(&actor, unit.into(), None)?;
                }
            } else if !is_integrator {
                actor.require(Permission::ClientsReadAll)?;
            }
            let rate_cents = i64::from(store::rate_cents(conn, organisation_id).await?);
            let rows = store::compute(conn, range, unit, rate_cents).await?;
            let client_ids: Vec<Uuid> = rows.iter().map(|r| r.client_id).collect();
            let period_ids: Vec<Uuid> = rows.iter().map(|r| r.period_id).collect();
            let details = json!({ "month": month, "unit_id": unit, "format": format.as_str() });
            // A report without rows shows no client's data: nothing to log.
            if !client_ids.is_empty() {
                let event = match (&actor.principal, legal_basis) {
                    (Principal::ApiClient { id }, Some(basis)) => {
                        let recipient = store::api_client_name(conn, *id).await?;
                        let disclosure = crate::consents::statutory_disclosure(
                            &actor,
                            &recipient,
                            &[DataCategory::ContactDetails, DataCategory::Attendance],
                            basis,
                        )?;
                        AuditEvent::disclosure(
                            organisation_id,
                            actor.audit(),
                            client_ids,
                            RESOURCE,
                            period_ids,
                            disclosure,
                        )
                    }
                    _ => AuditEvent::client(
                        organisation_id,
                        actor.audit(),
                        match format {
                            ReportFormat::Csv => ClientAction::Export,
                            ReportFormat::Json => ClientAction::Read,
                        },
                        RESOURCE,
                        client_ids,
                        period_ids,
                    ),
                };
                audit::record(conn, &meta, event.with(details)).await?;
            }
            Ok(AllowanceReport {
                month,
                unit_id: unit,
                rate_cents,
                participation_days: rows.iter().map(|r| r.participation_days).sum(),
                payable_days: rows.iter().map(|r| r.payable_days).sum(),
                total_cents: rows.iter().map(|r| r.total_cents).sum(),
                rows,
            })
        }
        .boxed()
    })
    .await?;
    Ok(match format {
        ReportFormat::Json => HttpResponse::Ok().json(report),
        ReportFormat::Csv => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"kulukorvaukset-{}.csv\"", report.month),
            ))
            .body(csv(&report)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::api::AllowanceRow;

    #[test]
    fn euros_use_a_decimal_comma() {
        assert_eq!(euros(900), "9,00");
        assert_eq!(euros(4505), "45,05");
        assert_eq!(euros(0), "0,00");
        assert_eq!(euros(-150), "-1,50");
    }

    #[test]
    fn formulas_are_neutralised() {
        for dangerous in ["=HYPERLINK(\"x\")", "+1", "-1+2", "@SUM(A1)", "\tx"] {
            assert!(cell(dangerous).starts_with('\''), "{dangerous}");
        }
        assert_eq!(cell("Äijälä"), "Äijälä");
    }

    #[test]
    fn csv_starts_with_a_bom_and_uses_semicolons() {
        let report = AllowanceReport {
            month: "2026-11".into(),
            unit_id: None,
            rate_cents: 900,
            rows: vec![AllowanceRow {
                client_id: Uuid::nil(),
                last_name: "=Öhman".into(),
                first_names: "Åsa; Liisa".into(),
                period_id: Uuid::nil(),
                unit_id: Uuid::nil(),
                service_type: "ktt".into(),
                participation_days: 6,
                payable_days: 5,
                rate_cents: 900,
                total_cents: 4500,
            }],
            participation_days: 6,
            payable_days: 5,
            total_cents: 4500,
        };
        let bytes = csv(&report).unwrap_or_default();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("Sukunimi;Etunimet;"), "{text}");
        assert!(lines[1].starts_with("'=Öhman;\"Åsa; Liisa\";"), "{text}");
        assert!(lines[1].ends_with(";6;5;9,00;45,00"), "{text}");
        assert!(lines[2].ends_with(";6;5;;45,00"), "{text}");
    }
}
