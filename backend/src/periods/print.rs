//! The printable agreement (through the kernel's print helper).

use super::api::{AgreementKind, AgreementResponse, AgreementState};
use super::store::PeriodRow;
use crate::clients::ClientRow;
use crate::domain::codes::Language;
use crate::domain::print::{Document, date, lang_code, pick, render, section};
use crate::error::ApiError;

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
        (l("Asiakas", "Klient", "Client"), client.full_name()),
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
    let document = Document {
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
    };
    render(&document, "rendering an agreement")
}
