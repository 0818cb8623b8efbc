//! The demo organisation's working day: about sixty clients in two units with periods in
//! every state and what a coach documents in them — goals with follow-ups, a month of
//! diary, agreements, assessments over time, interim reports and final statements,
//! consents (some expiring soon, one withdrawn) and three attendance groups with the last
//! six weeks marked — so every screen of the demo has something to show.
//!
//! Reproducible: one seeded generator decides everything, and every date is relative to
//! `today`, so the same day gives the same people and records. The rows are made as the
//! API makes them (the client through the API's own validation and encryption, sensitive
//! diary entries encrypted in their place) and written through the areas' stores in one
//! transaction, with the access-log events of what was created.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use diesel_async::AsyncPgConnection;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::attendance::api::{AbsenceReason, AttendanceStatus};
use crate::attendance::store::NewAttendance;
use crate::attendance::store::groups::NewGroup;
use crate::audit::{self, AuditActor, AuditEvent, ClientAction};
use crate::auth::actor::{Actor, Principal};
use crate::clients::api::{CreateClientRequest, EducationLevel, Gender, HistoryKind, Referrer};
use crate::clients::fields::{self, Sealer};
use crate::clients::generate::finnish_iban;
use crate::consents::api::{ConsentKind, DataCategory, GivenHow};
use crate::consents::store::{NewConsent, NewWithdrawal};
use crate::crypto::Place;
use crate::domain::codes::Language;
use crate::domain::identity_code::check_character;
use crate::error::ApiError;
use crate::http::RequestMeta;
use crate::ids::{ClientId, PeriodId, UnitId};
use crate::periods::DIARY_BODY;
use crate::periods::api::{AgreementKind, AgreementState, Assessor, GoalStatus, Outcome, PeriodMode};
use crate::periods::store::agreements::{AgreementChanges, NewAgreement};
use crate::periods::store::assessments::{AssessmentRow, ScoreRow};
use crate::periods::store::catalogue::{CriterionRow, InstrumentRow};
use crate::periods::store::diary::NewEntry as NewDiaryEntry;
use crate::periods::store::goals::{NewFollowUp, NewGoal};
use crate::periods::store::{NewPeriod, PeriodChanges};
use crate::permissions::Role;
use crate::reports::api::{ReportKind, ReportState};
use crate::reports::store::{NewReport, ReportChanges};

/// Seed of the demo's generator: the same seed and day give the same demo.
pub const SEED: u64 = 18;

/// Clients in the employment services and in the integration services.
const EMPLOYMENT_CLIENTS: usize = 40;
const INTEGRATION_CLIENTS: usize = 20;

/// The demo's people and places: who works where.
#[derive(Debug, Clone, Copy)]
pub struct Staff {
    /// The demo organisation.
    pub organisation_id: Uuid,
    /// Employment services (työllisyyspalvelut).
    pub employment: Uuid,
    /// Integration services (kotoutumispalvelut).
    pub integration: Uuid,
    /// The coach of the employment services.
    pub coach: Uuid,
    /// The coach of the integration services.
    pub integration_coach: Uuid,
    /// The manager (signs the final statements).
    pub manager: Uuid,
}

/// What the demo made, per kind.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Clients.
    pub clients: usize,
    /// Background history entries.
    pub history_entries: usize,
    /// Periods.
    pub periods: usize,
    /// Goals.
    pub goals: usize,
    /// Goal follow-ups.
    pub follow_ups: usize,
    /// Diary entries.
    pub diary_entries: usize,
    /// Agreements.
    pub agreements: usize,
    /// Assessments.
    pub assessments: usize,
    /// Reports (interim and final).
    pub reports: usize,
    /// Consents.
    pub consents: usize,
    /// Consents withdrawn.
    pub withdrawn_consents: usize,
    /// Attendance groups.
    pub groups: usize,
    /// Attendance records.
    pub attendance: usize,
}

// ---- names and places ---------------------------------------------------------------------

const FINNISH_WOMEN: &[&str] = &[
    "Aino",
    "Anna-Liisa",
    "Elina",
    "Hanna",
    "Heidi",
    "Jenni",
    "Johanna",
    "Katja",
    "Laura",
    "Marjo",
    "Minna",
    "Niina",
    "Noora",
    "Päivi",
    "Riikka",
    "Sanna",
    "Suvi",
    "Tiina",
    "Veera",
    "Emmi",
    "Pirjo",
    "Satu",
];
const FINNISH_MEN: &[&str] = &[
    "Antti",
    "Eetu",
    "Janne",
    "Jari",
    "Joonas",
    "Juho",
    "Jukka",
    "Kalle",
    "Markus",
    "Mikko",
    "Olli",
    "Petri",
    "Sami",
    "Teemu",
    "Timo",
    "Tuomas",
    "Ville",
    "Jere",
    "Aleksi",
    "Juha-Pekka",
    "Väinö",
    "Toni",
];
const FINNISH_SURNAMES: &[&str] = &[
    "Korhonen",
    "Virtanen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Kinnunen",
    "Turunen",
    "Salo",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Savolainen",
    "Väisänen",
    "Pöllänen",
    "Kärkkäinen",
    "Räsänen",
    "Hyvönen",
    "Ylönen",
    "Tähtinen",
    "Kettunen",
    "Lähteenmäki",
    "Peltonen",
];
const SWEDISH_WOMEN: &[&str] = &["Ebba", "Linnéa", "Sara", "Matilda", "Ida"];
const SWEDISH_MEN: &[&str] = &["Henrik", "Johan", "Mikael", "Oskar", "Jonas"];
const SWEDISH_SURNAMES: &[&str] = &[
    "Lindqvist",
    "Björklund",
    "Sjöberg",
    "Åberg",
    "Grönroos",
    "Holmström",
    "Nyström",
    "Söderholm",
];
/// First names, last name, mother tongue, nationality, female.
const NEWCOMERS: &[(&str, &str, &str, &str, bool)] = &[
    ("Amina", "Abdi", "so", "SO", true),
    ("Hodan", "Mohamed", "so", "SO", true),
    ("Abdirahman", "Warsame", "so", "SO", false),
    ("Fatima", "Al-Hassan", "ar", "SY", true),
    ("Omar", "Haddad", "ar", "SY", false),
    ("Yusuf", "Karimi", "fa", "AF", false),
    ("Zahra", "Ahmadi", "fa", "AF", true),
    ("Olena", "Kovalenko", "uk", "UA", true),
    ("Dmytro", "Shevchenko", "uk", "UA", false),
    ("Oksana", "Bondarenko", "uk", "UA", true),
    ("Irina", "Smirnova", "ru", "RU", true),
    ("Sergei", "Ivanov", "ru", "RU", false),
    ("Kadri", "Tamm", "et", "EE", true),
    ("Rasmus", "Kask", "et", "EE", false),
    ("Hawre", "Rashid", "ku", "IQ", false),
    ("Shilan", "Aziz", "ku", "IQ", true),
    ("Thi Lan", "Nguyen", "vi", "VN", true),
    ("Minh", "Tran", "vi", "VN", false),
    ("Semhar", "Tesfay", "ti", "ER", true),
    ("Yonas", "Gebremedhin", "ti", "ER", false),
    ("Ali", "Hussaini", "fa", "AF", false),
    ("Mariam", "Osman", "ar", "SD", true),
    ("Ahmed", "Hassan", "ar", "IQ", false),
    ("Nadia", "Rahimi", "fa", "AF", true),
    ("Mehmet", "Yilmaz", "tr", "TR", false),
];
/// Municipality and a postal code there (the demo's region).
const PLACES: &[(&str, &str)] = &[
    ("Tampere", "33100"),
    ("Tampere", "33200"),
    ("Tampere", "33720"),
    ("Tampere", "33580"),
    ("Nokia", "37100"),
    ("Ylöjärvi", "33470"),
    ("Kangasala", "36200"),
    ("Pirkkala", "33960"),
    ("Lempäälä", "37500"),
];
const STREETS: &[&str] = &[
    "Hämeenkatu",
    "Insinöörinkatu",
    "Pispalan valtatie",
    "Sammonkatu",
    "Kauppakatu",
    "Koivukuja",
    "Myllytie",
    "Rantatie",
    "Sorinkatu",
    "Pajatie",
    "Hervannan valtaväylä",
    "Teiskontie",
];
const PROFESSIONS: &[&str] = &[
    "Kokki",
    "Lähihoitaja",
    "Varastotyöntekijä",
    "Siivooja",
    "Myyjä",
    "Rakennustyöntekijä",
    "Autonkuljettaja",
    "Kiinteistönhoitaja",
    "Merkonomi",
    "Puuseppä",
];
const WORKPLACES: &[&str] = &[
    "Tampereen Kierrätyskeskus",
    "Kahvila Kohtaamo",
    "K-Market Hervanta",
    "Pirkanmaan Ruokapankki",
    "Nokian Puutyöpaja",
    "Hervannan kirjasto",
    "Lempäälän kunnan varikko",
    "Palvelutalo Koivula",
];

// ---- what a coach writes --------------------------------------------------------------------

const DIARY: &[&str] = &[
    "{n} saapui ajoissa ja työskenteli koko päivän.",
    "{n} harjoitteli kassatyötä kahvilassa. Asiakaspalvelu sujui hyvin.",
    "{n} kertoi olevansa väsynyt ja lähti puoli tuntia aikaisemmin.",
    "{n} valmisti puutyöpajalla linnunpöntön ja opasti uutta ryhmäläistä.",
    "{n} harjoitteli työhakemuksen kirjoittamista. Hakemus lähtee ensi viikolla.",
    "Käytiin yhdessä läpi viikon tavoitteet. {n} on motivoitunut.",
    "{n} osallistui aamupalaveriin ja jakoi päivän tehtävät ryhmälle.",
    "{n} asioi kaupassa ryhmän puolesta; rahankäyttö sujui itsenäisesti.",
    "{n} tutustui työkokeilupaikkaan yhdessä ohjaajan kanssa.",
    "{n} lajitteli lahjoitustavaraa ja hinnoitteli tuotteita myymälään.",
];
const DIARY_INTEGRATION: &[&str] = &[
    "{n} harjoitteli suomen kieltä työtehtävien sanastolla.",
    "{n} kävi ryhmän kanssa tutustumassa kirjastoon ja teki kirjastokortin.",
    "{n} harjoitteli puhelimella asiointia (ajanvaraus terveysasemalle).",
    "{n} osallistui Suomi-tietouden tunnille: työelämän pelisäännöt.",
];
const DIARY_ENDINGS: &[&str] = &[
    "Jatketaan ensi viikolla.",
    "Seuraava tapaaminen sovittu.",
    "Ei erityistä huomioitavaa.",
    "Tavoitteet etenevät.",
    "Tarvitsee tukea aamuihin.",
];
const SENSITIVE_DIARY: &str =
    "{n} kertoi univaikeuksista ja lääkityksen muutoksesta. Ohjattu työterveyshoitajalle, sovittu seuranta.";
const GOALS: &[&str] = &[
    "Säännöllinen päivärytmi",
    "Työtaitojen vahvistaminen",
    "Jatkosuunnitelma koulutukseen",
    "Arjenhallinta ja talous",
    "Työnhakutaidot ja CV",
    "Ryhmässä toimiminen",
];
const GOALS_INTEGRATION: &[&str] = &[
    "Suomen kielen taidon kehittäminen",
    "Suomalaisen työelämän tuntemus",
    "Asiointi palveluissa itsenäisesti",
];
const FOLLOW_UPS: &[&str] = &[
    "Edistynyt hyvin, saapuu lähes aina ajoissa.",
    "Vielä tuen tarvetta; sovittiin välitavoite kuukaudeksi.",
    "Tavoite toteutui. Kirjattiin onnistumiset yhdessä.",
    "Keskusteltiin keinoista, kokeillaan viikkosuunnitelmaa.",
];

// ---- the plan ---------------------------------------------------------------------------------

/// The state a period is in today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Upcoming,
    Ongoing,
    EndingSoon,
    /// Past its planned end but not closed (its final statement is missing).
    Overdue,
    Closed,
    /// A KTT period nearing 24 months (its activation plan is due for review).
    LongKtt,
}

const STATES: [State; 5] = [
    State::Upcoming,
    State::Ongoing,
    State::EndingSoon,
    State::Overdue,
    State::Closed,
];
/// The four service types shown in every state.
const MAIN_TYPES: [&str; 4] = ["ktt", "work_trial", "coaching", "workshop"];
const OUTCOMES: [(Outcome, &str); 11] = [
    (Outcome::Education, "vocational_education"),
    (Outcome::Work, "open_labour_market"),
    (Outcome::OtherActivity, "rehabilitation"),
    (Outcome::Negative, "interrupted"),
    (Outcome::Unknown, "not_known"),
    (Outcome::Education, "general_education"),
    (Outcome::Work, "subsidised_work"),
    (Outcome::OtherActivity, "other_service"),
    (Outcome::Negative, "no_placement"),
    (Outcome::Work, "entrepreneur"),
    (Outcome::Education, "higher_education"),
];

/// The instruments and criteria of the organisation, as assessments need them.
#[derive(Debug)]
pub struct Catalogue {
    /// Instruments.
    pub instruments: Vec<InstrumentRow>,
    /// Their criteria.
    pub criteria: Vec<CriterionRow>,
}

/// A period to write, with what is documented in it.
#[derive(Debug)]
struct PlannedPeriod {
    row: NewPeriod,
    close: Option<PeriodChanges>,
    goals: Vec<NewGoal>,
    follow_ups: Vec<NewFollowUp>,
    diary: Vec<NewDiaryEntry>,
    agreements: Vec<(NewAgreement, Option<AgreementChanges>)>,
    assessments: Vec<(AssessmentRow, Vec<ScoreRow>)>,
    reports: Vec<(NewReport, Option<ReportChanges>)>,
}

/// A client to write, with everything of theirs.
#[derive(Debug)]
struct PlannedClient {
    row: crate::clients::store::NewClient,
    fields: Vec<&'static str>,
    history: Vec<crate::clients::store::history::NewEntry>,
    periods: Vec<PlannedPeriod>,
    consents: Vec<NewConsent>,
    withdrawals: Vec<NewWithdrawal>,
}

/// Everything the demo writes.
#[derive(Debug)]
pub struct Plan {
    staff: Staff,
    clients: Vec<PlannedClient>,
    groups: Vec<(NewGroup, Vec<Uuid>)>,
    attendance: Vec<NewAttendance>,
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn days_before(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(days)).unwrap_or(day)
}

fn days_after(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_add_days(Days::new(days)).unwrap_or(day)
}

/// A moment on `day` (noon in Helsinki, roughly), for the timestamps of consents.
fn moment(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default()))
}

/// A temporary identity code (individual number 950–999, never a real person's; the
/// browser tests use lower ones) for a birth date.
fn identity_code(born: NaiveDate, individual: u16) -> String {
    let date: u32 = born.format("%d%m%y").to_string().parse().unwrap_or_default();
    let sign = if born.year() >= 2000 { 'A' } else { '-' };
    format!(
        "{}{sign}{individual:03}{}",
        born.format("%d%m%y"),
        check_character(date, individual)
    )
}

/// Who the `index`th client is: name, mother tongue, nationality, sex.
struct Person {
    first_names: String,
    last_name: String,
    mother_tongue: &'static str,
    nationality: &'static str,
    female: bool,
    language: Language,
}

fn people(rng: &mut ChaCha8Rng) -> Vec<Person> {
    let mut newcomers: Vec<_> = NEWCOMERS.to_vec();
    newcomers.shuffle(rng);
    let mut taken = std::collections::HashSet::new();
    let mut people = Vec::new();
    let mut newcomer = newcomers.into_iter();
    for index in 0..EMPLOYMENT_CLIENTS + INTEGRATION_CLIENTS {
        // The employment services: 30 Finnish, 5 Swedish-speaking and 5 newcomers; the
        // integration services: newcomers.
        let kind = match index {
            0..30 => 0,
            30..35 => 1,
            _ => 2,
        };
        let person = match kind {
            2 => match newcomer.next() {
                Some((first, last, tongue, nationality, female)) => Person {
                    first_names: first.to_owned(),
                    last_name: last.to_owned(),
                    mother_tongue: tongue,
                    nationality,
                    female,
                    language: if rng.random_bool(0.6) {
                        Language::Fi
                    } else {
                        Language::Other
                    },
                },
                None => continue,
            },
            _ => loop {
                let female = rng.random_bool(0.5);
                let (women, men, surnames) = if kind == 0 {
                    (FINNISH_WOMEN, FINNISH_MEN, FINNISH_SURNAMES)
                } else {
                    (SWEDISH_WOMEN, SWEDISH_MEN, SWEDISH_SURNAMES)
                };
                let first = *pick(rng, if female { women } else { men });
                let second = *pick(rng, if female { women } else { men });
                let first_names = if second != first && rng.random_bool(0.5) {
                    format!("{first} {second}")
                } else {
                    first.to_owned()
                };
                let last_name = (*pick(rng, surnames)).to_owned();
                if taken.insert((first.to_owned(), last_name.clone())) {
                    break Person {
                        first_names,
                        last_name,
                        mother_tongue: if kind == 0 { "fi" } else { "sv" },
                        nationality: "FI",
                        female,
                        language: if kind == 0 { Language::Fi } else { Language::Sv },
                    };
                }
            },
        };
        people.push(person);
    }
    people
}

/// The (service type, state) of the current period of the `index`th client: the first 20
/// of the employment services show every main service type in every state, one KTT
/// period nears 24 months, and the rest are mostly ongoing.
fn scenario(rng: &mut ChaCha8Rng, index: usize) -> (&'static str, State) {
    if index < 20 {
        return (MAIN_TYPES[index / 5], STATES[index % 5]);
    }
    if index == 20 {
        return ("ktt", State::LongKtt);
    }
    let state = match rng.random_range(0..10) {
        0 => State::EndingSoon,
        1 => State::Closed,
        2 => State::Upcoming,
        _ => State::Ongoing,
    };
    let kind = if index < EMPLOYMENT_CLIENTS {
        *pick(
            rng,
            &[
                "ktt",
                "ktt",
                "ktt",
                "workshop",
                "work_trial",
                "coaching",
                "wage_subsidy",
            ],
        )
    } else {
        *pick(
            rng,
            &[
                "integration_training",
                "integration_training",
                "ktt",
                "coaching",
                "work_trial",
            ],
        )
    };
    (kind, state)
}

/// Plans the whole demo. `catalogue` names the instruments assessments use; `sealer`
/// encrypts as the API does.
pub fn plan(
    staff: Staff,
    catalogue: &Catalogue,
    sealer: Sealer<'_>,
    today: NaiveDate,
) -> Result<Plan, ApiError> {
    let org = staff.organisation_id;
    let mut clients = Vec::new();
    let mut used_codes = std::collections::HashSet::new();
    let mut outcome_turn = 0;
    let mut sensitive_left = 3;
    let mut withdrawn_left = 1;
    let mut expiring_left = 6;
    for (index, person) in people(&mut ChaCha8Rng::seed_from_u64(SEED))
        .into_iter()
        .enumerate()
    {
        // A generator per client: the same people whatever the day, though their records
        // follow the date.
        let mut rng =
            ChaCha8Rng::seed_from_u64(SEED ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let integration = index >= EMPLOYMENT_CLIENTS;
        let (unit, coach) = if integration {
            (staff.integration, staff.integration_coach)
        } else {
            (staff.employment, staff.coach)
        };
        let age = rng.random_range(19..62);
        let born = NaiveDate::from_ymd_opt(
            today.year() - age,
            rng.random_range(1..=12),
            rng.random_range(1..=28),
        )
        .unwrap_or(today);
        // Newcomers in the integration services often have no identity code yet.
        let code = if integration && rng.random_bool(0.4) {
            None
        } else {
            loop {
                // Even individual numbers are women's, odd men's.
                let individual = 950 + 2 * rng.random_range(0..25) + u16::from(!person.female);
                let code = identity_code(born, individual);
                if used_codes.insert(code.clone()) {
                    break Some(code);
                }
            }
        };
        let (municipality, postal_code) = *pick(&mut rng, PLACES);
        let (kind, state) = scenario(&mut rng, index);
        let ktt_like = matches!(kind, "ktt" | "workshop");
        let iban = (ktt_like || rng.random_bool(0.15))
            .then(|| finnish_iban(rng.random_range(10_000_000_000_000..99_999_999_999_999)));
        let ascii_name: String = format!("{}.{}", person.first_names, person.last_name)
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                'ä' | 'å' => Some('a'),
                'ö' => Some('o'),
                'é' => Some('e'),
                ' ' | '-' => None,
                c => Some(c),
            })
            .collect();
        let request = CreateClientRequest {
            unit_id: unit,
            first_names: person.first_names.clone(),
            last_name: person.last_name.clone(),
            personal_identity_code: code.clone(),
            birth_date: code.is_none().then_some(born),
            gender: code.is_none().then_some(if person.female {
                Gender::Female
            } else {
                Gender::Male
            }),
            street_address: Some(format!("{} {}", pick(&mut rng, STREETS), rng.random_range(1..60))),
            postal_code: Some(postal_code.to_owned()),
            post_office: Some(municipality.to_owned()),
            home_municipality: Some(municipality.to_owned()),
            phone: Some(format!(
                "04{} {:03} {:04}",
                rng.random_range(0..6),
                rng.random_range(100..1000),
                rng.random_range(0..10_000)
            )),
            email: rng.random_bool(0.7).then(|| format!("{ascii_name}@example.fi")),
            iban,
            language: Some(person.language),
            mother_tongue: Some(person.mother_tongue.to_owned()),
            nationality: Some(person.nationality.to_owned()),
            profession: rng
                .random_bool(0.5)
                .then(|| (*pick(&mut rng, PROFESSIONS)).to_owned()),
            trade_union: None,
            education_level: Some(*pick(
                &mut rng,
                &[
                    EducationLevel::Basic,
                    EducationLevel::Basic,
                    EducationLevel::Vocational,
                    EducationLevel::Vocational,
                    EducationLevel::UpperSecondary,
                    EducationLevel::Higher,
                    EducationLevel::None,
                    EducationLevel::Unknown,
                ],
            )),
            referrer: Some(*pick(
                &mut rng,
                &[
                    Referrer::EmploymentServices,
                    Referrer::EmploymentServices,
                    Referrer::SocialServices,
                    Referrer::HealthServices,
                    Referrer::Kela,
                    Referrer::SelfReferred,
                ],
            )),
            responsible_coach_id: Some(coach),
        };
        let valid = fields::new_client(request, org, sealer, true)?;
        let client = ClientId::from(valid.row.id);
        let name = person
            .first_names
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_owned();

        let mut history = vec![crate::clients::store::history::NewEntry {
            id: Uuid::now_v7(),
            organisation_id: org,
            client_id: client,
            kind: HistoryKind::Education,
            starts_on: NaiveDate::from_ymd_opt(born.year() + 7, 8, 15),
            ends_on: NaiveDate::from_ymd_opt(born.year() + 16, 6, 1),
            description: Some(if integration && code.is_none() {
                "Peruskoulutus kotimaassa".to_owned()
            } else {
                "Peruskoulu".to_owned()
            }),
            description_encrypted: None,
            education_level: Some(EducationLevel::Basic),
            occupation: None,
            created_by: Some(coach),
        }];
        if rng.random_bool(0.6) {
            let from = NaiveDate::from_ymd_opt(born.year() + rng.random_range(18..24), 3, 1);
            history.push(crate::clients::store::history::NewEntry {
                id: Uuid::now_v7(),
                organisation_id: org,
                client_id: client,
                kind: HistoryKind::Work,
                starts_on: from,
                ends_on: from.map(|from| days_after(from, rng.random_range(120..900))),
                description: Some("Määräaikainen työsuhde".to_owned()),
                description_encrypted: None,
                education_level: None,
                occupation: Some((*pick(&mut rng, PROFESSIONS)).to_owned()),
                created_by: Some(coach),
            });
        }

        // The current period, and for some an earlier one that ended.
        let mut specs = Vec::new();
        let current = current_dates(&mut rng, state, kind, today);
        if rng.random_bool(0.3) && state != State::LongKtt {
            let ended = days_before(current.0, rng.random_range(20..120));
            let started = days_before(ended, rng.random_range(90..200));
            specs.push((
                *pick(&mut rng, &MAIN_TYPES),
                State::Closed,
                (started, days_after(started, 180), Some(ended)),
            ));
        }
        specs.push((kind, state, current));
        let mut periods = Vec::new();
        for (kind, state, (starts_on, planned_end_on, ends_on)) in specs {
            let outcome = ends_on.map(|_| {
                outcome_turn += 1;
                OUTCOMES[(outcome_turn - 1) % OUTCOMES.len()]
            });
            let text = Texts {
                name: &name,
                integration,
                sensitive: sensitive_left > 0 && state == State::Ongoing && !integration,
            };
            if text.sensitive {
                sensitive_left -= 1;
            }
            let dates = Dates {
                starts_on,
                planned_end_on,
                ends_on,
                today,
            };
            periods.push(plan_period(
                &mut rng,
                (org, client, unit.into(), coach, staff.manager),
                (kind, state, outcome),
                dates,
                text,
                catalogue,
                sealer,
            )?);
        }

        // Consents: most have a written processing consent; some also allow disclosing
        // to Kela or the TE services.
        let first_start = periods.first().map_or(today, |p| p.row.starts_on);
        let given = days_before(first_start.min(today), rng.random_range(2..10));
        let mut consents = Vec::new();
        let mut withdrawals = Vec::new();
        if index % 10 != 7 {
            let expiring = expiring_left > 0 && index % 9 == 4;
            if expiring {
                expiring_left -= 1;
            }
            let verbal = index == 12;
            consents.push(NewConsent {
                id: Uuid::now_v7(),
                organisation_id: org,
                client_id: client,
                kind: ConsentKind::Processing,
                purpose: None,
                recipient: None,
                recipient_is_category: false,
                data_categories: Vec::new(),
                given_at: Some(moment(given)),
                given_how: if verbal {
                    GivenHow::Verbal
                } else {
                    GivenHow::Written
                },
                witness: verbal.then(|| "Demo Vastuuhenkilö".to_owned()),
                valid_from: None,
                valid_until: expiring.then(|| moment(days_after(today, rng.random_range(3..28)))),
                note: None,
                replaces_id: None,
                recorded_by_user_id: Some(coach),
            });
        }
        if rng.random_bool(0.35) || index == 3 {
            let recipient = *pick(
                &mut rng,
                &["Kela", "Pirkanmaan TE-palvelut", "Tampereen aikuissosiaalityö"],
            );
            let id = Uuid::now_v7();
            let expiring = expiring_left > 0 && index % 4 == 1;
            if expiring {
                expiring_left -= 1;
            }
            consents.push(NewConsent {
                id,
                organisation_id: org,
                client_id: client,
                kind: ConsentKind::Disclosure,
                purpose: Some("Etuuden käsittely ja palvelun suunnittelu".to_owned()),
                recipient: Some(recipient.to_owned()),
                recipient_is_category: false,
                data_categories: vec![
                    DataCategory::Attendance,
                    DataCategory::Periods,
                    DataCategory::Statements,
                ],
                given_at: Some(moment(given)),
                given_how: if rng.random_bool(0.5) {
                    GivenHow::Written
                } else {
                    GivenHow::Electronic
                },
                witness: None,
                valid_from: None,
                valid_until: Some(if expiring {
                    moment(days_after(today, rng.random_range(3..28)))
                } else {
                    moment(days_after(given, 365).max(days_after(today, 60)))
                }),
                note: None,
                replaces_id: None,
                recorded_by_user_id: Some(coach),
            });
            if withdrawn_left > 0 && index >= 3 {
                withdrawn_left -= 1;
                withdrawals.push(NewWithdrawal {
                    consent_id: id,
                    organisation_id: org,
                    requested_how: GivenHow::Written,
                    requested_at: Some(moment(days_before(today, 6))),
                    note: Some("Asiakas perui suostumuksen kirjallisesti.".to_owned()),
                    recorded_by_user_id: Some(coach),
                });
            }
        }
        clients.push(PlannedClient {
            row: valid.row,
            fields: valid.fields,
            history,
            periods,
            consents,
            withdrawals,
        });
    }
    let (groups, attendance) = attendance_groups(
        &mut ChaCha8Rng::seed_from_u64(SEED.wrapping_add(1)),
        &staff,
        &clients,
        today,
    );
    Ok(Plan {
        staff,
        clients,
        groups,
        attendance,
    })
}

/// Start, planned end and end of a current period in `state`.
fn current_dates(
    rng: &mut ChaCha8Rng,
    state: State,
    kind: &str,
    today: NaiveDate,
) -> (NaiveDate, NaiveDate, Option<NaiveDate>) {
    let length = if kind == "ktt" {
        rng.random_range(180..365)
    } else {
        rng.random_range(90..200)
    };
    match state {
        State::Upcoming => {
            let start = days_after(today, rng.random_range(3..21));
            (start, days_after(start, length), None)
        }
        State::Ongoing => {
            let start = days_before(today, rng.random_range(45..170));
            (start, days_after(today, rng.random_range(30..200)), None)
        }
        State::EndingSoon => {
            let end = days_after(today, rng.random_range(1..14));
            (days_before(end, length), end, None)
        }
        State::Overdue => {
            let end = days_before(today, rng.random_range(2..20));
            (days_before(end, length), end, None)
        }
        State::Closed => {
            let end = days_before(today, rng.random_range(5..80));
            (days_before(end, length), end, Some(end))
        }
        State::LongKtt => {
            // Its 24 months are up within three weeks.
            let start = days_before(today, 710);
            (start, days_after(today, 60), None)
        }
    }
}

struct Texts<'a> {
    name: &'a str,
    integration: bool,
    sensitive: bool,
}

struct Dates {
    starts_on: NaiveDate,
    planned_end_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    today: NaiveDate,
}

impl Dates {
    /// The last day documented so far: the end, or yesterday.
    fn last(&self) -> NaiveDate {
        self.ends_on.unwrap_or(days_before(self.today, 1))
    }
}

fn plan_period(
    rng: &mut ChaCha8Rng,
    (org, client, unit, coach, manager): (Uuid, ClientId, UnitId, Uuid, Uuid),
    (kind, state, outcome): (&'static str, State, Option<(Outcome, &'static str)>),
    dates: Dates,
    text: Texts<'_>,
    catalogue: &Catalogue,
    sealer: Sealer<'_>,
) -> Result<PlannedPeriod, ApiError> {
    let id = PeriodId::new();
    let group = matches!(kind, "ktt" | "workshop" | "integration_training");
    let (days_per_week, hours_per_day, weekdays): (i16, f64, Vec<i16>) = match kind {
        "ktt" => match rng.random_range(0..4) {
            0 => (3, 4.0, vec![1, 3, 5]),
            1 => (4, 5.0, vec![1, 2, 3, 4]),
            2 => (4, 6.0, vec![1, 2, 4, 5]),
            // A schedule breaking the KTT rules, so the warning shows.
            _ => (5, 6.0, vec![1, 2, 3, 4, 5]),
        },
        "workshop" | "wage_subsidy" | "work_trial" => (5, 6.0, vec![1, 2, 3, 4, 5]),
        "integration_training" => (4, 5.0, vec![1, 2, 3, 4]),
        _ => (2, 3.0, vec![2, 4]),
    };
    let workplace = matches!(kind, "work_trial" | "wage_subsidy" | "workshop" | "ktt")
        .then(|| (*pick(rng, WORKPLACES)).to_owned());
    let row = NewPeriod {
        id,
        organisation_id: org,
        client_id: client,
        service_type: kind.to_owned(),
        notified_on: Some(days_before(dates.starts_on, rng.random_range(7..30)).min(dates.today)),
        starts_on: dates.starts_on,
        planned_end_on: Some(dates.planned_end_on),
        referrer: Some((*pick(rng, &["employment_services", "social_services", "kela", "self"])).to_owned()),
        unit_id: unit,
        workplace: workplace.clone(),
        coach_id: Some(coach),
        mode: if group {
            PeriodMode::Group
        } else {
            PeriodMode::Individual
        },
        days_per_week: Some(days_per_week),
        hours_per_day: Some(hours_per_day),
        weekdays: weekdays.clone(),
        created_by: Some(coach),
    };
    let close = match (dates.ends_on, outcome) {
        (Some(end), Some((outcome, code))) => Some(PeriodChanges {
            ends_on: Some(Some(end)),
            outcome: Some(Some(outcome)),
            outcome_code: Some(Some(code.to_owned())),
            closing_note: Some(Some(
                match outcome {
                    Outcome::Education => "Hakeutui ammatilliseen koulutukseen, opinnot alkavat syksyllä.",
                    Outcome::Work => "Työllistyi jakson jälkeen.",
                    Outcome::OtherActivity => "Jatkaa muussa ohjatussa toiminnassa.",
                    Outcome::Negative => "Jakso keskeytyi; asiakas ei saapunut sovitusti.",
                    Outcome::Unknown => "Jatkosijoittuminen ei ole tiedossa.",
                }
                .to_owned(),
            )),
            version: Some(2),
            ..PeriodChanges::default()
        }),
        _ => None,
    };
    let started = state != State::Upcoming;
    let closed = dates.ends_on.is_some();
    let last = dates.last();

    // Goals, with follow-ups on those in progress or achieved.
    let titles = if text.integration {
        GOALS_INTEGRATION
    } else {
        GOALS
    };
    let mut goals = Vec::new();
    let mut follow_ups = Vec::new();
    let count = if started { rng.random_range(2..4) } else { 1 };
    let mut order: Vec<usize> = (0..titles.len()).collect();
    order.shuffle(rng);
    for (position, &title) in order.iter().take(count).enumerate() {
        let status = match (started, closed, rng.random_range(0..4)) {
            (false, _, _) => GoalStatus::Open,
            (_, true, 0) => GoalStatus::Dropped,
            (_, true, _) | (_, false, 0) => GoalStatus::Achieved,
            (_, false, 1) => GoalStatus::Open,
            _ => GoalStatus::InProgress,
        };
        let goal = Uuid::now_v7();
        if matches!(status, GoalStatus::InProgress | GoalStatus::Achieved) {
            let span = (last - dates.starts_on).num_days().max(1).unsigned_abs();
            for _ in 0..rng.random_range(1..3) {
                follow_ups.push(NewFollowUp {
                    id: Uuid::now_v7(),
                    organisation_id: org,
                    client_id: client,
                    goal_id: goal,
                    noted_on: days_after(dates.starts_on, rng.random_range(0..span)),
                    note: (*pick(rng, FOLLOW_UPS)).to_owned(),
                    author_id: Some(coach),
                });
            }
        }
        goals.push(NewGoal {
            id: goal,
            organisation_id: org,
            client_id: client,
            period_id: id,
            position: i32::try_from(position + 1).unwrap_or(1),
            title: titles[title].to_owned(),
            description: None,
            status,
            created_by: Some(coach),
        });
    }

    // A month of diary (a few entries for a closed period), on planned days.
    let mut diary = Vec::new();
    if started {
        let from = if closed {
            days_before(last, 60)
        } else {
            days_before(dates.today, 30)
        }
        .max(dates.starts_on);
        let chance = if closed { 0.15 } else { 0.45 };
        let mut day = from;
        let mut sensitive_done = !text.sensitive;
        while day <= last {
            let weekday = i16::try_from(day.weekday().number_from_monday()).unwrap_or(1);
            if weekdays.contains(&weekday) && rng.random_bool(chance) {
                let templates = if text.integration && rng.random_bool(0.6) {
                    DIARY_INTEGRATION
                } else {
                    DIARY
                };
                let entry = Uuid::now_v7();
                let (body, encrypted, sensitive) = if !sensitive_done && day >= days_before(dates.today, 10) {
                    sensitive_done = true;
                    let body = SENSITIVE_DIARY.replace("{n}", text.name);
                    let sealed = sealer
                        .cipher
                        .encrypt_str(&body, Place::new(DIARY_BODY, org, entry))?;
                    (None, Some(sealed), true)
                } else {
                    let body = format!(
                        "{} {}",
                        pick(rng, templates).replace("{n}", text.name),
                        pick(rng, DIARY_ENDINGS)
                    );
                    (Some(body), None, false)
                };
                diary.push(NewDiaryEntry {
                    id: entry,
                    organisation_id: org,
                    client_id: client,
                    period_id: id,
                    entry_date: day,
                    body,
                    body_encrypted: encrypted,
                    sensitive,
                    author_id: Some(coach),
                });
            }
            day = days_after(day, 1);
        }
    }

    // The agreement of a work trial, KTT or workshop: a draft before the start, signed
    // while it runs, ended with the period.
    let mut agreements = Vec::new();
    if let Some(workplace) = workplace.filter(|_| kind != "wage_subsidy") {
        let signed_on = days_before(dates.starts_on, 2).min(dates.today);
        let changes = if !started {
            None
        } else {
            Some(AgreementChanges {
                signed_on: Some(Some(signed_on)),
                state: Some(if closed {
                    AgreementState::Ended
                } else {
                    AgreementState::Signed
                }),
                version: Some(2),
                ..AgreementChanges::default()
            })
        };
        agreements.push((
            NewAgreement {
                id: Uuid::now_v7(),
                organisation_id: org,
                client_id: client,
                period_id: id,
                kind: if kind == "work_trial" {
                    AgreementKind::Work
                } else {
                    AgreementKind::Activity
                },
                organisation_contact: Some("Demo Ohjaaja, puh. 040 000 0000".to_owned()),
                workplace: Some(workplace.clone()),
                workplace_contact: Some("Työnohjaaja Maija Esimerkki".to_owned()),
                tasks: Some(match kind {
                    "work_trial" => "Myymälä- ja varastotyö työnohjaajan opastuksella.".to_owned(),
                    "workshop" => "Puu- ja metallityöt sekä kierrätystuotteiden kunnostus.".to_owned(),
                    _ => "Lajittelu, kunnostus ja asiakaspalvelu ryhmässä.".to_owned(),
                }),
                schedule: Some(format!(
                    "{days_per_week} päivää viikossa, {hours_per_day} tuntia päivässä"
                )),
                place: Some(workplace),
                insurance_note: Some("Tapaturmavakuutus järjestäjän puolesta.".to_owned()),
                starts_on: Some(dates.starts_on),
                ends_on: Some(dates.ends_on.unwrap_or(dates.planned_end_on)),
                created_by: Some(coach),
            },
            changes,
        ));
    }

    // Assessments every four weeks or so, improving with noise (the charts have lines).
    let mut assessments = Vec::new();
    let instrument_code = if text.integration {
        "integration"
    } else {
        match kind {
            "ktt" | "workshop" => "coping_at_work",
            "work_trial" | "wage_subsidy" => "learning_at_work",
            _ => "effectiveness",
        }
    };
    if let Some(instrument) = catalogue.instruments.iter().find(|i| i.code == instrument_code) {
        let criteria: Vec<&CriterionRow> = catalogue
            .criteria
            .iter()
            .filter(|c| c.instrument_id == instrument.id)
            .collect();
        let mut levels: Vec<f64> = criteria.iter().map(|_| rng.random_range(1.0..2.6)).collect();
        let mut day = days_after(dates.starts_on, 10);
        let mut turn = 0;
        while started && day <= last {
            let assessment = Uuid::now_v7();
            let scores = criteria
                .iter()
                .zip(levels.iter_mut())
                .map(|(criterion, level)| {
                    *level = (*level + rng.random_range(-0.3..0.9)).clamp(1.0, 5.0);
                    let score = (level.round() as i16).clamp(criterion.scale_min, criterion.scale_max);
                    ScoreRow {
                        organisation_id: org,
                        assessment_id: assessment,
                        criterion_id: criterion.id,
                        score,
                    }
                })
                .collect();
            assessments.push((
                AssessmentRow {
                    id: assessment,
                    organisation_id: org,
                    client_id: client,
                    period_id: id,
                    instrument_id: instrument.id,
                    assessed_on: day,
                    assessor: if turn % 2 == 0 {
                        Assessor::Coach
                    } else {
                        Assessor::Client
                    },
                    notes: (turn == 0).then(|| "Lähtötilanteen arvio yhdessä asiakkaan kanssa.".to_owned()),
                    created_by: Some(coach),
                },
                scores,
            ));
            turn += 1;
            day = days_after(day, rng.random_range(24..36));
        }
    }

    // An interim report for a period running three months; the final statement of most
    // closed periods (some are still missing, for the attention list).
    let mut reports = Vec::new();
    let mut report = |kind: ReportKind, finalised: Option<NaiveDate>| {
        let report = Uuid::now_v7();
        reports.push((
            NewReport {
                id: report,
                organisation_id: org,
                client_id: client,
                period_id: id,
                kind,
                series_id: report,
                version_no: 1,
                previous_id: None,
                situation_at_start: Some(format!(
                    "{} aloitti jakson {}. Tavoitteena säännöllinen arki ja jatkopolku.",
                    text.name,
                    dates.starts_on.format("%-d.%-m.%Y")
                )),
                goals_summary: Some(
                    "Tavoitteet ovat edenneet suunnitellusti; päivärytmi on vakiintunut.".to_owned(),
                ),
                attendance_summary: Some(
                    "Läsnäolo on ollut säännöllistä, muutama sairauspoissaolo.".to_owned(),
                ),
                assessment_summary: Some("Arvioinneissa näkyy selvää edistymistä.".to_owned()),
                recommendation: Some(match kind {
                    ReportKind::Interim => "Jatketaan jaksoa nykyisellä suunnitelmalla.".to_owned(),
                    ReportKind::Final => "Suositellaan hakeutumista ammatilliseen koulutukseen.".to_owned(),
                }),
                outcome_summary: (kind == ReportKind::Final)
                    .then(|| "Jakso päättyi suunnitellusti.".to_owned()),
                created_by: Some(coach),
            },
            finalised.map(|day| ReportChanges {
                state: Some(ReportState::Final),
                finalised_at: Some(Some(moment(day))),
                finalised_by: Some(Some(manager)),
                version: Some(2),
                ..ReportChanges::default()
            }),
        ));
    };
    if started && !closed && (dates.today - dates.starts_on).num_days() >= 90 {
        let finalised = rng.random_bool(0.6).then(|| days_after(dates.starts_on, 90));
        report(ReportKind::Interim, finalised);
    }
    if let Some(end) = dates.ends_on {
        match rng.random_range(0..6) {
            0 => {}
            1 => report(ReportKind::Final, None),
            _ => report(ReportKind::Final, Some(days_after(end, 3).min(dates.today))),
        }
    }

    Ok(PlannedPeriod {
        row,
        close,
        goals,
        follow_ups,
        diary,
        agreements,
        assessments,
        reports,
    })
}

/// Three groups of the running group-mode periods, and their marks for the last six weeks
/// (today is left for the coach to mark).
fn attendance_groups(
    rng: &mut ChaCha8Rng,
    staff: &Staff,
    clients: &[PlannedClient],
    today: NaiveDate,
) -> (Vec<(NewGroup, Vec<Uuid>)>, Vec<NewAttendance>) {
    let running: Vec<&PlannedPeriod> = clients
        .iter()
        .flat_map(|c| &c.periods)
        .filter(|p| p.row.mode == PeriodMode::Group && p.close.is_none() && p.row.starts_on < today)
        .collect();
    let in_unit = |unit: Uuid| running.iter().filter(move |p| p.row.unit_id == unit);
    let employment: Vec<&&PlannedPeriod> = in_unit(staff.employment).collect();
    let (workshop, recycling): (Vec<&&PlannedPeriod>, Vec<&&PlannedPeriod>) = employment
        .into_iter()
        .partition(|p| p.row.service_type == "workshop");
    let mut recycling = recycling;
    let mut workshop = workshop;
    // Balance the two employment groups: half of the KTT clients join the café.
    let half = recycling.len() / 2;
    if workshop.len() < half {
        workshop.extend(recycling.drain(..half - workshop.len()));
    }
    let integration: Vec<&&PlannedPeriod> = in_unit(staff.integration).collect();
    let plans = [
        ("Kierrätyspaja", staff.employment, staff.coach, recycling),
        ("Kahvila Kohtaamo", staff.employment, staff.coach, workshop),
        (
            "Arjen taidot -ryhmä",
            staff.integration,
            staff.integration_coach,
            integration,
        ),
    ];
    let first = days_before(today, 42);
    let mut groups = Vec::new();
    let mut attendance = Vec::new();
    for (name, unit, coach, members) in plans {
        groups.push((
            NewGroup {
                id: Uuid::now_v7(),
                organisation_id: staff.organisation_id,
                unit_id: unit.into(),
                name: name.to_owned(),
                created_by: Some(coach),
            },
            members.iter().map(|p| Uuid::from(p.row.id)).collect(),
        ));
        for period in members {
            let until = days_before(today, 1).min(period.row.planned_end_on.unwrap_or(today));
            let mut day = first.max(period.row.starts_on);
            while day <= until {
                let weekday = i16::try_from(day.weekday().number_from_monday()).unwrap_or(1);
                if period.row.weekdays.contains(&weekday) && crate::attendance::holidays::on(day).is_none() {
                    let roll = rng.random_range(0..100);
                    let (status, hours, reason) = match roll {
                        0..6 => (AttendanceStatus::Absent, None, Some(AbsenceReason::Sick)),
                        6..10 => (AttendanceStatus::Absent, None, Some(AbsenceReason::Authorised)),
                        10..13 => (AttendanceStatus::Absent, None, Some(AbsenceReason::Unauthorised)),
                        13..15 => (AttendanceStatus::Absent, None, Some(AbsenceReason::Holiday)),
                        15..19 => (
                            AttendanceStatus::Present,
                            period.row.hours_per_day.map(|h| h - 1.0),
                            None,
                        ),
                        _ => (AttendanceStatus::Present, period.row.hours_per_day, None),
                    };
                    attendance.push(NewAttendance {
                        id: Uuid::now_v7(),
                        organisation_id: staff.organisation_id,
                        client_id: period.row.client_id,
                        period_id: period.row.id,
                        on_date: day,
                        status,
                        hours,
                        starts_at: None,
                        ends_at: None,
                        absence_reason: reason,
                        note: None,
                        recorded_by_user_id: Some(coach),
                        recorded_by_api_client_id: None,
                        updated_by_user_id: Some(coach),
                        updated_by_api_client_id: None,
                    });
                }
                day = days_after(day, 1);
            }
        }
    }
    (groups, attendance)
}

/// The operator's command line as the source of the access-log events.
fn operator() -> RequestMeta {
    RequestMeta {
        request_id: None,
        source_address: Some("cli".to_owned()),
        user_agent: Some("polku serve --demo".to_owned()),
    }
}

/// One access-log event for everything of one kind the demo created.
async fn created(
    conn: &mut AsyncPgConnection,
    organisation: Uuid,
    resource: &'static str,
    client_ids: Vec<Uuid>,
    resource_ids: Vec<Uuid>,
) -> Result<(), ApiError> {
    if resource_ids.is_empty() {
        return Ok(());
    }
    let mut clients = client_ids;
    clients.sort_unstable();
    clients.dedup();
    let event = AuditEvent::client(
        organisation,
        AuditActor::System,
        ClientAction::Create,
        resource,
        clients,
        resource_ids,
    )
    .with(serde_json::json!({ "demo": true }));
    audit::record(conn, &operator(), event).await?;
    Ok(())
}

/// Writes the plan through the areas' stores (in the caller's transaction, with the
/// organisation set) and logs what was created.
pub async fn write(conn: &mut AsyncPgConnection, plan: Plan) -> Result<Summary, ApiError> {
    use crate::attendance::store as attendance;
    use crate::clients::store as clients;
    use crate::consents::store as consents;
    use crate::periods::store as periods;
    use crate::reports::store as reports;

    let org = plan.staff.organisation_id;
    let mut summary = Summary::default();
    // (client, resource) ids per kind, for the access log.
    let mut made: std::collections::BTreeMap<&'static str, (Vec<Uuid>, Vec<Uuid>)> = Default::default();
    let mut note = |kind: &'static str, client: Uuid, id: Uuid| {
        let entry = made.entry(kind).or_default();
        entry.0.push(client);
        entry.1.push(id);
    };
    for planned in plan.clients {
        let row = clients::insert(conn, &planned.row).await?;
        let client = row.id.uuid();
        // As the API records a new client: one event naming the fields given.
        let event = AuditEvent::client(
            org,
            AuditActor::System,
            ClientAction::Create,
            crate::clients::routes::RESOURCE,
            vec![client],
            vec![client],
        )
        .fields(planned.fields)
        .with(serde_json::json!({ "demo": true }));
        audit::record(conn, &operator(), event).await?;
        summary.clients += 1;
        for entry in &planned.history {
            clients::history::insert(conn, entry).await?;
            note(crate::clients::routes::history::RESOURCE, client, entry.id);
            summary.history_entries += 1;
        }
        for period in planned.periods {
            let id = period.row.id;
            periods::insert(conn, &period.row).await?;
            if let Some(close) = &period.close {
                periods::update(conn, id, close).await?;
            }
            note(crate::periods::routes::RESOURCE, client, id.into());
            summary.periods += 1;
            for goal in &period.goals {
                periods::goals::insert(conn, goal).await?;
                note(crate::periods::routes::goals::RESOURCE, client, goal.id);
                summary.goals += 1;
            }
            for follow_up in &period.follow_ups {
                periods::goals::insert_follow_up(conn, follow_up).await?;
                summary.follow_ups += 1;
            }
            for entry in &period.diary {
                periods::diary::insert(conn, entry).await?;
                note(crate::periods::routes::diary::RESOURCE, client, entry.id);
                summary.diary_entries += 1;
            }
            for (agreement, changes) in &period.agreements {
                periods::agreements::insert(conn, agreement).await?;
                if let Some(changes) = changes {
                    periods::agreements::update(conn, agreement.id, changes).await?;
                }
                note(crate::periods::routes::agreements::RESOURCE, client, agreement.id);
                summary.agreements += 1;
            }
            for (assessment, scores) in &period.assessments {
                periods::assessments::insert(conn, assessment, scores).await?;
                note(
                    crate::periods::routes::assessments::RESOURCE,
                    client,
                    assessment.id,
                );
                summary.assessments += 1;
            }
            for (report, changes) in &period.reports {
                reports::insert(conn, report).await?;
                if let Some(changes) = changes {
                    reports::update(conn, report.id, changes).await?;
                }
                note(crate::reports::routes::RESOURCE, client, report.id);
                summary.reports += 1;
            }
        }
        for consent in &planned.consents {
            consents::insert(conn, consent).await?;
            note(crate::consents::routes::RESOURCE, client, consent.id);
            summary.consents += 1;
        }
        for withdrawal in &planned.withdrawals {
            consents::withdraw(conn, withdrawal).await?;
            summary.withdrawn_consents += 1;
        }
    }
    for (group, members) in plan.groups {
        let coach = group.created_by.unwrap_or_default();
        let unit = group.unit_id;
        let row = attendance::groups::insert(conn, group).await?;
        // The store adds members as the acting user does: the group's coach.
        let actor = Actor {
            organisation_id: org,
            principal: Principal::User {
                id: coach,
                session_id: Uuid::nil(),
            },
            roles: vec![Role::Coach],
            scopes: Vec::new(),
            unit_ids: vec![unit],
            permissions: Vec::new(),
        };
        attendance::groups::add_members(conn, &actor, row.id, &members).await?;
        summary.groups += 1;
    }
    for chunk in plan.attendance.chunks(1000) {
        attendance::insert(conn, chunk).await?;
        for record in chunk {
            note(
                crate::attendance::routes::RESOURCE,
                record.client_id.uuid(),
                record.id,
            );
        }
        summary.attendance += chunk.len();
    }
    for (kind, (client_ids, resource_ids)) in made {
        created(conn, org, kind, client_ids, resource_ids).await?;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::identity_code::{PersonalIdentityCode, RegisteredSex};

    #[test]
    fn demo_identity_codes_are_valid_temporary_and_match_the_sex() {
        for (born, individual, sex) in [
            ("1990-03-15", 951, RegisteredSex::Male),
            ("2004-12-31", 998, RegisteredSex::Female),
            ("1965-02-28", 950, RegisteredSex::Female),
        ] {
            let born: NaiveDate = born.parse().unwrap();
            let code: PersonalIdentityCode = identity_code(born, individual).parse().unwrap();
            assert!(code.is_temporary());
            assert_eq!(code.birth_date(), born);
            assert_eq!(code.sex(), sex);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let names = |seed| -> Vec<String> {
            people(&mut ChaCha8Rng::seed_from_u64(seed))
                .into_iter()
                .map(|p| format!("{} {}", p.first_names, p.last_name))
                .collect()
        };
        assert_eq!(names(SEED).len(), EMPLOYMENT_CLIENTS + INTEGRATION_CLIENTS);
        assert_eq!(names(SEED), names(SEED));
        assert_ne!(names(SEED), names(SEED + 1));
    }
}
