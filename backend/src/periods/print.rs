//! Printable agreements and reports (HTML that a browser prints to a clean A4 page), in
//! Finnish, Swedish or English.

use askama::Template;

use super::api::{AgreementKind, AgreementResponse, AgreementState, ReportKind, ReportResponse, ReportState};
use super::store::PeriodRow;
use crate::clients::api::Language;
use crate::clients::store::ClientRow;
use crate::error::ApiError;

fn pick(language: Language, fi: &'static str, sv: &'static str, en: &'static str) -> &'static str {
    match language {
        Language::Sv => sv,
        Language::En => en,
        Language::Fi | Language::Other => fi,
    }
}

struct Section {
    heading: &'static str,
    paragraphs: Vec<String>,
}

#[derive(Template)]
#[template(path = "period_document.html")]
struct Document<'a> {
    lang: &'static str,
    title: String,
    facts: Vec<(&'static str, String)>,
    sections: Vec<Section>,
    signatures: Vec<&'static str>,
    footer: &'a str,
}

fn lang_code(language: Language) -> &'static str {
    match language {
        Language::Sv => "sv",
        Language::En => "en",
        Language::Fi | Language::Other => "fi",
    }
}

fn date(value: Option<chrono::NaiveDate>) -> String {
    value
        .map(|d| d.format("%-d.%-m.%Y").to_string())
        .unwrap_or_default()
}

fn section(heading: &'static str, text: Option<&str>) -> Option<Section> {
    let text = text?.trim();
    (!text.is_empty()).then(|| Section {
        heading,
        paragraphs: text.split("\n\n").map(str::to_owned).collect(),
    })
}

fn render(document: Document<'_>) -> Result<String, ApiError> {
    document.render().map_err(|error| {
        ApiError::Internal(anyhow::Error::new(error).context("rendering a printable document"))
    })
}

fn client_name(client: &ClientRow) -> String {
    format!("{} {}", client.first_names, client.last_name)
}

/// A work or activity agreement.
pub fn agreement(
    language: Language,
    client: &ClientRow,
    period: &PeriodRow,
    agreement: &AgreementResponse,
) -> Result<String, ApiError> {
    let l = |fi, sv, en| pick(language, fi, sv, en);
    let title = match agreement.kind {
        AgreementKind::Work => l("Työsopimus", "Arbetsavtal", "Work agreement"),
        AgreementKind::Activity => l("Toimintasopimus", "Verksamhetsavtal", "Activity agreement"),
    };
    let facts = vec![
        (l("Asiakas", "Klient", "Client"), client_name(client)),
        (
            l("Voimassa", "Giltigt", "Valid"),
            format!("{} – {}", date(agreement.starts_on), date(agreement.ends_on)),
        ),
        (
            l("Työpaikka", "Arbetsplats", "Workplace"),
            agreement.workplace.clone().unwrap_or_default(),
        ),
        (
            l(
                "Työpaikan yhteyshenkilö",
                "Arbetsplatsens kontaktperson",
                "Workplace contact",
            ),
            agreement.workplace_contact.clone().unwrap_or_default(),
        ),
        (
            l(
                "Järjestäjän yhteyshenkilö",
                "Anordnarens kontaktperson",
                "Organiser's contact",
            ),
            agreement.organisation_contact.clone().unwrap_or_default(),
        ),
        (
            l("Paikka", "Plats", "Place"),
            agreement.place.clone().unwrap_or_default(),
        ),
        (
            l("Jakso alkaa", "Perioden börjar", "Period starts"),
            date(Some(period.starts_on)),
        ),
        (
            l("Allekirjoitettu", "Undertecknat", "Signed"),
            match agreement.state {
                AgreementState::Draft => l(
                    "luonnos, ei allekirjoitettu",
                    "utkast, ej undertecknat",
                    "draft, not signed",
                )
                .to_owned(),
                AgreementState::Signed | AgreementState::Ended => date(agreement.signed_on),
            },
        ),
    ];
    let sections = [
        section(l("Tehtävät", "Uppgifter", "Tasks"), agreement.tasks.as_deref()),
        section(
            l("Työaika", "Arbetstid", "Schedule"),
            agreement.schedule.as_deref(),
        ),
        section(
            l("Vakuutukset", "Försäkringar", "Insurance"),
            agreement.insurance_note.as_deref(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    render(Document {
        lang: lang_code(language),
        title: title.to_owned(),
        facts,
        sections,
        signatures: vec![
            l("Asiakas", "Klient", "Client"),
            l("Järjestäjä", "Anordnare", "Organiser"),
            l("Työpaikka", "Arbetsplats", "Workplace"),
        ],
        footer: l(
            "Allekirjoitettu sopimus tallennetaan asiakkaan asiakirjoihin.",
            "Det undertecknade avtalet sparas bland klientens handlingar.",
            "The signed agreement is filed with the client's documents.",
        ),
    })
}

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
        (l("Asiakas", "Klient", "Client"), client_name(client)),
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
    render(Document {
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
    })
}
