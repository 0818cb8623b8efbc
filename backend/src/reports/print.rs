//! The printable interim report and final statement.

use super::api::{ReportKind, ReportResponse, ReportState};
use crate::clients::ClientRow;
use crate::domain::codes::Language;
use crate::domain::print::{Document, date, lang_code, pick, render, section};
use crate::error::ApiError;
use crate::periods::PeriodRow;

/// An interim report or a final statement.
pub fn report(
    language: Language,
    client: &ClientRow,
    period: &PeriodRow,
    report: &ReportResponse,
) -> Result<String, ApiError> {
    let l = |fi, sv, en| pick(language, fi, sv, en);
    let kind = match report.kind {
        ReportKind::Interim => l("Väliraportti", "Mellanrapport", "Interim report"),
        ReportKind::Final => l("Loppulausunto", "Slututlåtande", "Final statement"),
    };
    let title = match report.state {
        ReportState::Final => kind.to_owned(),
        ReportState::Draft => format!("{kind} ({})", l("luonnos", "utkast", "draft")),
    };
    let facts = vec![
        (l("Asiakas", "Klient", "Client"), client.full_name()),
        (
            l("Jakso", "Period", "Period"),
            format!(
                "{} – {}",
                date(Some(period.starts_on)),
                date(period.ends_on.or(period.planned_end_on))
            ),
        ),
        (l("Versio", "Version", "Version"), report.version_no.to_string()),
        (
            l("Vahvistettu", "Fastställd", "Finalised"),
            report
                .finalised_at
                .map(|at| {
                    at.with_timezone(&chrono_tz::Europe::Helsinki)
                        .format("%-d.%-m.%Y")
                        .to_string()
                })
                .unwrap_or_default(),
        ),
    ];
    let s = &report.sections;
    let sections = [
        section(
            l("Tilanne alussa", "Situationen i början", "Situation at the start"),
            s.situation_at_start.as_deref(),
        ),
        section(
            l(
                "Tavoitteet ja niiden toteutuminen",
                "Mål och hur de nåtts",
                "Goals and their achievement",
            ),
            s.goals_summary.as_deref(),
        ),
        section(
            l("Läsnäolo", "Närvaro", "Attendance"),
            s.attendance_summary.as_deref(),
        ),
        section(
            l("Arvioinnit", "Bedömningar", "Assessments"),
            s.assessment_summary.as_deref(),
        ),
        section(
            l(
                "Suositukset ja jatkosuunnitelma",
                "Rekommendationer och fortsatt plan",
                "Recommendation and next steps",
            ),
            s.recommendation.as_deref(),
        ),
        section(
            l("Jatkosijoittuminen", "Fortsatt placering", "Outcome"),
            s.outcome_summary.as_deref(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let document = Document {
        lang: lang_code(language),
        title,
        facts,
        sections,
        signatures: vec![l("Ohjaaja", "Handledare", "Coach")],
        footer: l(
            "Asiakirja on salassa pidettävä (laki sosiaalihuollon asiakkaan asemasta ja oikeuksista 812/2000).",
            "Handlingen är sekretessbelagd (lagen om klientens ställning och rättigheter inom socialvården 812/2000).",
            "This document is confidential (Act on the Status and Rights of Social Welfare Clients 812/2000).",
        ),
    };
    render(&document, "rendering a report")
}
