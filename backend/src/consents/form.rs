//! The printable consent form, in Finnish, Swedish or English: what the client consents
//! to, to be signed on paper and scanned back.

use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::Helsinki;

use super::api::{ConsentKind, ConsentResponse, DataCategory};
use crate::domain::codes::Language;
use crate::domain::print::{self, pick};
use crate::error::ApiError;

struct Words {
    lang: &'static str,
    title: &'static str,
    intro: &'static str,
    client: &'static str,
    purpose: &'static str,
    recipient: &'static str,
    data: &'static str,
    validity: &'static str,
    until_withdrawn: &'static str,
    none: &'static str,
    withdraw: &'static str,
    place_date: &'static str,
    signature: &'static str,
    received: &'static str,
}

const FI: Words = Words {
    lang: "fi",
    title: "Suostumus asiakastietojen käsittelyyn ja luovuttamiseen",
    intro: "Annan suostumukseni alla lueteltuihin tarkoituksiin. Asiakastiedot ovat salassa pidettäviä, eikä niitä luovuteta ilman kirjallista suostumustani, ellei laki sitä edellytä.",
    client: "Asiakas",
    purpose: "Tarkoitus",
    recipient: "Vastaanottaja tai taho",
    data: "Tiedot",
    validity: "Voimassa",
    until_withdrawn: "toistaiseksi, kunnes peruutan suostumuksen",
    none: "Ei valittuja suostumuksia.",
    withdraw: "Voin peruuttaa suostumukseni milloin tahansa ilmoittamalla siitä ohjaajalleni suullisesti tai kirjallisesti. Peruutus on voimassa heti, eikä se vaikuta ennen sitä tehtyihin luovutuksiin.",
    place_date: "Paikka ja päivämäärä",
    signature: "Asiakkaan allekirjoitus ja nimenselvennys",
    received: "Suostumuksen vastaanottaja",
};

const SV: Words = Words {
    lang: "sv",
    title: "Samtycke till behandling och utlämnande av klientuppgifter",
    intro: "Jag ger mitt samtycke för de ändamål som anges nedan. Klientuppgifterna är sekretessbelagda och lämnas inte ut utan mitt skriftliga samtycke, om inte lagen kräver det.",
    client: "Klient",
    purpose: "Ändamål",
    recipient: "Mottagare eller part",
    data: "Uppgifter",
    validity: "Giltigt",
    until_withdrawn: "tills vidare, tills jag återkallar samtycket",
    none: "Inga valda samtycken.",
    withdraw: "Jag kan när som helst återkalla mitt samtycke genom att meddela min handledare muntligt eller skriftligt. Återkallelsen gäller genast och påverkar inte utlämnanden som gjorts innan dess.",
    place_date: "Ort och datum",
    signature: "Klientens underskrift och namnförtydligande",
    received: "Samtycket mottaget av",
};

const EN: Words = Words {
    lang: "en",
    title: "Consent to the processing and disclosure of client data",
    intro: "I give my consent for the purposes listed below. Client data is confidential and is not disclosed without my written consent unless the law requires it.",
    client: "Client",
    purpose: "Purpose",
    recipient: "Recipient or party",
    data: "Data",
    validity: "Valid",
    until_withdrawn: "until I withdraw my consent",
    none: "No consents chosen.",
    withdraw: "I may withdraw my consent at any time by telling my coach orally or in writing. The withdrawal takes effect at once and does not affect disclosures made before it.",
    place_date: "Place and date",
    signature: "Client's signature and name in block letters",
    received: "Consent received by",
};

fn words(language: Language) -> &'static Words {
    match language {
        Language::Sv => &SV,
        Language::En => &EN,
        Language::Fi | Language::Other => &FI,
    }
}

/// The purpose of a consent in words.
fn purpose(language: Language, consent: &ConsentResponse) -> String {
    let base = match consent.kind {
        ConsentKind::Processing => pick(
            language,
            "Tietojeni käsittely palvelun järjestämiseksi",
            "Behandling av mina uppgifter för att ordna tjänsten",
            "Processing my data to provide the service",
        ),
        ConsentKind::Disclosure => pick(
            language,
            "Tietojeni luovuttaminen",
            "Utlämnande av mina uppgifter",
            "Disclosing my data",
        ),
        ConsentKind::DataRequest => pick(
            language,
            "Tietojeni pyytäminen yhteistyötaholta",
            "Begäran om mina uppgifter från en samarbetspart",
            "Requesting my data from a partner",
        ),
        ConsentKind::Other => "",
    };
    match (&consent.purpose, base.is_empty()) {
        (Some(text), true) => text.clone(),
        (Some(text), false) => format!("{base}: {text}"),
        (None, _) => base.to_owned(),
    }
}

fn category(language: Language, category: DataCategory) -> &'static str {
    match category {
        DataCategory::ContactDetails => pick(language, "yhteystiedot", "kontaktuppgifter", "contact details"),
        DataCategory::Identity => pick(
            language,
            "henkilötunnus ja syntymäaika",
            "personbeteckning och födelsedatum",
            "identity code and date of birth",
        ),
        DataCategory::Background => pick(
            language,
            "koulutus- ja työhistoria",
            "utbildnings- och arbetshistoria",
            "education and work history",
        ),
        DataCategory::Health => pick(language, "terveystiedot", "hälsouppgifter", "health information"),
        DataCategory::SubstanceUse => pick(
            language,
            "päihdetiedot",
            "uppgifter om missbruk",
            "substance-use information",
        ),
        DataCategory::Periods => pick(
            language,
            "jaksot, tavoitteet ja suunnitelmat",
            "perioder, mål och planer",
            "periods, goals and plans",
        ),
        DataCategory::Attendance => pick(
            language,
            "läsnäolot ja korvaukset",
            "närvaro och ersättningar",
            "attendance and allowances",
        ),
        DataCategory::Statements => pick(
            language,
            "arvioinnit, väliraportit ja loppulausunnot",
            "bedömningar, mellanrapporter och slututlåtanden",
            "assessments, interim reports and final statements",
        ),
        DataCategory::Documents => pick(language, "asiakirjat", "dokument", "documents"),
    }
}

fn day(at: DateTime<Utc>) -> String {
    at.with_timezone(&Helsinki).format("%-d.%-m.%Y").to_string()
}

struct Item {
    purpose: String,
    recipient: String,
    data: String,
    validity: String,
}

#[derive(Template)]
#[template(path = "consent_form.html")]
struct Form<'a> {
    w: &'a Words,
    client_name: &'a str,
    items: Vec<Item>,
}

/// Renders the form (text is escaped by the template engine).
pub fn render(
    language: Language,
    client_name: &str,
    consents: &[ConsentResponse],
) -> Result<String, ApiError> {
    let w = words(language);
    let items = consents
        .iter()
        .map(|consent| Item {
            purpose: purpose(language, consent),
            recipient: consent.recipient.clone().unwrap_or_default(),
            data: consent
                .data_categories
                .iter()
                .map(|c| category(language, *c))
                .collect::<Vec<_>>()
                .join(", "),
            validity: match consent.valid_until {
                Some(until) => format!("{} – {}", day(consent.valid_from), day(until)),
                None => format!("{} – {}", day(consent.valid_from), w.until_withdrawn),
            },
        })
        .collect();
    print::render(
        &Form {
            w,
            client_name,
            items,
        },
        "rendering the consent form",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consents::api::{ConsentStatus, GivenHow};
    use uuid::Uuid;

    fn consent(kind: ConsentKind, recipient: Option<&str>) -> ConsentResponse {
        ConsentResponse {
            id: Uuid::now_v7(),
            client_id: Uuid::now_v7(),
            kind,
            purpose: None,
            recipient: recipient.map(str::to_owned),
            recipient_is_category: false,
            data_categories: vec![DataCategory::Attendance, DataCategory::Periods],
            given_at: Utc::now(),
            given_how: GivenHow::Written,
            witness: None,
            document_id: None,
            valid_from: Utc::now(),
            valid_until: None,
            note: None,
            replaces_id: None,
            recorded_by: None,
            recorded_at: Utc::now(),
            status: ConsentStatus::Active,
            withdrawal: None,
        }
    }

    #[test]
    fn the_form_is_in_the_language_asked_and_escapes_what_was_typed() {
        let consents = [
            consent(ConsentKind::Processing, None),
            consent(ConsentKind::Disclosure, Some("Kela <script>")),
        ];
        let sv = render(Language::Sv, "Åsa <b>Öberg</b>", &consents).unwrap_or_default();
        assert!(sv.contains("<html lang=\"sv\">"));
        assert!(sv.contains("Utlämnande av mina uppgifter"));
        assert!(sv.contains("närvaro och ersättningar"));
        assert!(!sv.contains("<script>") && !sv.contains("<b>Öberg"));
        let fi = render(Language::Fi, "Anna", &consents).unwrap_or_default();
        assert!(fi.contains("Tietojeni luovuttaminen"));
        assert!(fi.contains("Asiakkaan allekirjoitus"));
        let en = render(Language::En, "Anna", &[]).unwrap_or_default();
        assert!(en.contains("No consents chosen."));
    }
}
