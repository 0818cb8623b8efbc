//! The client's access report as a printable page, in Finnish, Swedish or English.

use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::Helsinki;

use super::api::{AccessReport, ReportActor};
use crate::domain::codes::Language;
use crate::error::ApiError;

/// Words of the page in one language.
struct Words {
    lang: &'static str,
    title: &'static str,
    intro: &'static str,
    client: &'static str,
    period: &'static str,
    generated: &'static str,
    processing: &'static str,
    disclosures: &'static str,
    when: &'static str,
    who: &'static str,
    what: &'static str,
    reason: &'static str,
    recipient: &'static str,
    basis: &'static str,
    consent: &'static str,
    categories: &'static str,
    none: &'static str,
    system: &'static str,
    integration: &'static str,
}

const FI: Words = Words {
    lang: "fi",
    title: "Asiakastietojen käsittely- ja luovutusselvitys",
    intro: "Selvitys siitä, kuka on käsitellyt asiakkaan tietoja ja kenelle tietoja on luovutettu (laki sosiaali- ja terveydenhuollon asiakastietojen käsittelystä 703/2023).",
    client: "Asiakas",
    period: "Ajanjakso",
    generated: "Laadittu",
    processing: "Tietojen käsittely",
    disclosures: "Tietojen luovutukset",
    when: "Aika",
    who: "Käsittelijä",
    what: "Toimenpide",
    reason: "Peruste",
    recipient: "Vastaanottaja",
    basis: "Oikeusperuste",
    consent: "Asiakkaan suostumus",
    categories: "Tiedot",
    none: "Ei merkintöjä.",
    system: "Järjestelmä",
    integration: "Rajapintaintegraatio",
};

const SV: Words = Words {
    lang: "sv",
    title: "Utredning om behandling och utlämnande av klientuppgifter",
    intro: "Utredning om vem som har behandlat klientens uppgifter och till vem uppgifterna har lämnats ut (lagen om behandling av klientuppgifter inom social- och hälsovården 703/2023).",
    client: "Klient",
    period: "Period",
    generated: "Upprättad",
    processing: "Behandling av uppgifter",
    disclosures: "Utlämnande av uppgifter",
    when: "Tid",
    who: "Behandlare",
    what: "Åtgärd",
    reason: "Grund",
    recipient: "Mottagare",
    basis: "Rättslig grund",
    consent: "Klientens samtycke",
    categories: "Uppgifter",
    none: "Inga anteckningar.",
    system: "Systemet",
    integration: "Gränssnittsintegration",
};

const EN: Words = Words {
    lang: "en",
    title: "Report on the processing and disclosure of client data",
    intro: "Who has processed the client's data and to whom it has been disclosed (Act on the Processing of Client Data in Healthcare and Social Welfare 703/2023).",
    client: "Client",
    period: "Period",
    generated: "Prepared",
    processing: "Processing of data",
    disclosures: "Disclosures of data",
    when: "Time",
    who: "Processed by",
    what: "Action",
    reason: "Reason",
    recipient: "Recipient",
    basis: "Legal basis",
    consent: "The client's consent",
    categories: "Data",
    none: "No entries.",
    system: "The system",
    integration: "Integration",
};

fn words(language: Language) -> &'static Words {
    match language {
        Language::Sv => &SV,
        Language::En => &EN,
        Language::Fi | Language::Other => &FI,
    }
}

/// An action in words.
fn action(language: Language, category: &str, action: &str) -> String {
    let (fi, sv, en) = match (category, action) {
        ("client", "read") => ("Tietojen katselu", "Visning av uppgifter", "Viewed"),
        ("client", "create") => ("Tietojen tallennus", "Registrering av uppgifter", "Recorded"),
        ("client", "update") => ("Tietojen muutos", "Ändring av uppgifter", "Changed"),
        ("client", "delete") => ("Tietojen poisto", "Radering av uppgifter", "Deleted"),
        ("client", "export") => ("Tietojen vienti", "Export av uppgifter", "Exported"),
        ("client", "print") => ("Tietojen tulostus", "Utskrift av uppgifter", "Printed"),
        ("client", "reveal") => (
            "Henkilötunnuksen tai tilinumeron näyttäminen",
            "Visning av personbeteckning eller kontonummer",
            "Identity code or account number shown",
        ),
        ("client", "lookup") => (
            "Haku henkilötunnuksella",
            "Sökning med personbeteckning",
            "Searched by identity code",
        ),
        ("audit", "access_report") => (
            "Käsittelyselvityksen laatiminen",
            "Upprättande av utredning",
            "Access report prepared",
        ),
        _ => return format!("{category}: {action}"),
    };
    match language {
        Language::Sv => sv,
        Language::En => en,
        Language::Fi | Language::Other => fi,
    }
    .to_owned()
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Helsinki).format("%d.%m.%Y %H.%M").to_string()
}

fn who(words: &Words, actor: &ReportActor) -> String {
    match actor.kind.as_str() {
        "user" => actor.name.clone().unwrap_or_else(|| words.who.to_owned()),
        "api_client" => format!("{} {}", words.integration, actor.name.clone().unwrap_or_default()),
        _ => words.system.to_owned(),
    }
}

struct Row {
    when: String,
    who: String,
    what: String,
    reason: String,
}

struct DisclosureRow {
    when: String,
    recipient: String,
    basis: String,
    categories: String,
    who: String,
}

#[derive(Template)]
#[template(path = "access_report.html")]
struct Page<'a> {
    w: &'a Words,
    client_name: &'a str,
    period: String,
    generated: String,
    rows: Vec<Row>,
    disclosures: Vec<DisclosureRow>,
}

/// Renders the report (text is escaped by the template engine).
pub fn render(report: &AccessReport) -> Result<String, ApiError> {
    let w = words(report.language);
    let page = Page {
        w,
        client_name: &report.client_name,
        period: format!(
            "{} – {}",
            report.from.format("%d.%m.%Y"),
            report.to.format("%d.%m.%Y")
        ),
        generated: local(report.generated_at),
        rows: report
            .processing
            .iter()
            .map(|entry| Row {
                when: local(entry.occurred_at),
                who: who(w, &entry.actor),
                what: action(report.language, &entry.category, &entry.action),
                reason: entry.reason.clone().unwrap_or_default(),
            })
            .collect(),
        disclosures: report
            .disclosures
            .iter()
            .map(|d| DisclosureRow {
                when: local(d.occurred_at),
                recipient: d.recipient.clone(),
                basis: match (&d.legal_basis, d.consent_id) {
                    (Some(basis), _) => basis.clone(),
                    (None, _) => w.consent.to_owned(),
                },
                categories: d.data_categories.join(", "),
                who: who(w, &d.disclosed_by),
            })
            .collect(),
    };
    crate::domain::print::render(&page, "rendering the access report")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::api::{ReportDisclosure, ReportEntry};
    use chrono::NaiveDate;
    use uuid::Uuid;

    fn report(language: Language, name: &str) -> AccessReport {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default();
        AccessReport {
            client_id: Uuid::now_v7(),
            client_name: name.to_owned(),
            language,
            from: day,
            to: day,
            generated_at: Utc::now(),
            processing: vec![ReportEntry {
                occurred_at: Utc::now(),
                actor: ReportActor {
                    kind: "user".to_owned(),
                    id: Some(Uuid::now_v7()),
                    name: Some("Ohjaaja <Olli>".to_owned()),
                },
                category: "client".to_owned(),
                action: "read".to_owned(),
                resource_type: Some("client".to_owned()),
                fields: Vec::new(),
                reason: Some("Sijaisuus".to_owned()),
            }],
            disclosures: vec![ReportDisclosure {
                occurred_at: Utc::now(),
                recipient: "Kela".to_owned(),
                legal_basis: Some("Laki 189/2001 13 §".to_owned()),
                consent_id: None,
                data_categories: vec!["attendance".to_owned()],
                resource_ids: Vec::new(),
                disclosed_by: ReportActor {
                    kind: "system".to_owned(),
                    id: None,
                    name: None,
                },
            }],
        }
    }

    #[test]
    fn the_page_is_in_the_clients_language_and_escapes_names() {
        let html = render(&report(Language::Sv, "Anna <script>alert(1)</script>")).unwrap_or_default();
        assert!(html.contains("<html lang=\"sv\">"));
        assert!(html.contains("Visning av uppgifter"));
        assert!(html.contains("Kela"));
        assert!(!html.contains("<script>alert(1)</script>"));
        let escaped = |text: &str| text.replace('<', "&#60;").replace('>', "&#62;");
        assert!(html.contains(&escaped("Anna <script>")), "{html}");
        assert!(html.contains(&escaped("Ohjaaja <Olli>")));
        let fi = render(&report(Language::Fi, "Anna")).unwrap_or_default();
        assert!(fi.contains("Tietojen luovutukset"));
    }
}
