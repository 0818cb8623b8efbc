//! Realistic, deterministic demo and benchmark data: Finnish names with å/ä/ö, addresses in
//! real municipalities, identity codes only in the temporary range 900–999 (never a real
//! person's), valid IBANs and background history. `polku seed` writes it in bulk.

use chrono::{Days, NaiveDate};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::api::{EducationLevel, Gender, HistoryKind, Referrer};
use super::fields::{IBAN, Owner, Sealer};
use super::store::NewClient;
use crate::db;
use crate::domain::codes::Language;
use crate::domain::iban::Iban;
use crate::domain::identity_code::{PersonalIdentityCode, check_character};
use crate::error::ApiError;
use crate::schema::{client_history_entries, clients};

const FEMALE: &[&str] = &[
    "Aino",
    "Anna",
    "Anni",
    "Eeva",
    "Elina",
    "Emilia",
    "Helmi",
    "Hanna",
    "Iida",
    "Inkeri",
    "Johanna",
    "Kaisa",
    "Katariina",
    "Laura",
    "Leena",
    "Liisa",
    "Maija",
    "Marja",
    "Minna",
    "Noora",
    "Päivi",
    "Pirjo",
    "Riikka",
    "Sanna",
    "Satu",
    "Sofia",
    "Tiina",
    "Tuula",
    "Venla",
    "Åsa",
    "Linnéa",
    "Aada",
];
const MALE: &[&str] = &[
    "Antti", "Eero", "Elias", "Heikki", "Ilkka", "Jari", "Juha", "Jukka", "Jussi", "Kalle", "Kari", "Lauri",
    "Markku", "Matti", "Mikko", "Niko", "Olli", "Pekka", "Petri", "Sami", "Tapio", "Teemu", "Timo", "Tuomas",
    "Väinö", "Ville", "Åke", "Jöns", "Onni", "Aleksi", "Otto", "Ahmed",
];
const SURNAMES: &[&str] = &[
    "Korhonen",
    "Virtanen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
    "Savolainen",
    "Lahtinen",
    "Ahonen",
    "Hiltunen",
    "Väisänen",
    "Öhman",
    "Åberg",
    "Sjöberg",
    "Lindqvist",
    "Björklund",
    "Grönlund",
    "Pöyhönen",
    "Kärkkäinen",
    "Määttä",
    "Ylönen",
    "Tähtinen",
    "Räsänen",
    "Pääkkönen",
    "Hyvönen",
    "Kähkönen",
    "Östman",
    "Lindström",
    "Nurmi",
    "Kallio",
    "Peltonen",
    "Räty",
    "Söderholm",
    "Honkanen",
];
/// Municipality, its post office and a postal code there.
const PLACES: &[(&str, &str, &str)] = &[
    ("Helsinki", "Helsinki", "00100"),
    ("Espoo", "Espoo", "02100"),
    ("Vantaa", "Vantaa", "01300"),
    ("Tampere", "Tampere", "33100"),
    ("Turku", "Turku", "20100"),
    ("Oulu", "Oulu", "90100"),
    ("Jyväskylä", "Jyväskylä", "40100"),
    ("Kuopio", "Kuopio", "70100"),
    ("Lahti", "Lahti", "15100"),
    ("Pori", "Pori", "28100"),
    ("Joensuu", "Joensuu", "80100"),
    ("Lappeenranta", "Lappeenranta", "53100"),
    ("Hämeenlinna", "Hämeenlinna", "13100"),
    ("Vaasa", "Vaasa", "65100"),
    ("Seinäjoki", "Seinäjoki", "60100"),
    ("Rovaniemi", "Rovaniemi", "96100"),
    ("Mikkeli", "Mikkeli", "50100"),
    ("Kotka", "Kotka", "48100"),
    ("Salo", "Salo", "24100"),
    ("Porvoo", "Porvoo", "06100"),
    ("Kokkola", "Kokkola", "67100"),
    ("Pietarsaari", "Pietarsaari", "68600"),
    ("Mariehamn", "Mariehamn", "22100"),
    ("Raasepori", "Tammisaari", "10600"),
    ("Kemi", "Kemi", "94100"),
    ("Äänekoski", "Äänekoski", "44100"),
    ("Pieksämäki", "Pieksämäki", "76100"),
    ("Iisalmi", "Iisalmi", "74100"),
    ("Savonlinna", "Savonlinna", "57100"),
    ("Närpiö", "Närpiö", "64200"),
];
const STREETS: &[&str] = &[
    "Koulukatu",
    "Kirkkokatu",
    "Rantatie",
    "Myllytie",
    "Koivukuja",
    "Mäntytie",
    "Asemakatu",
    "Puistokatu",
    "Pajatie",
    "Kauppakatu",
    "Sepänkatu",
    "Haapatie",
    "Kotipolku",
    "Järvitie",
    "Pihlajakatu",
    "Länsiväylä",
    "Itäinen Pitkäkatu",
    "Storgatan",
    "Hämeenkatu",
    "Väinämöisenkatu",
];
const TONGUES: &[(&str, u32)] = &[
    ("fi", 80),
    ("sv", 6),
    ("ru", 3),
    ("et", 2),
    ("ar", 3),
    ("so", 2),
    ("en", 2),
    ("fa", 2),
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
    "Sähköasentaja",
];
const EDUCATION: &[EducationLevel] = &[
    EducationLevel::None,
    EducationLevel::Basic,
    EducationLevel::UpperSecondary,
    EducationLevel::Vocational,
    EducationLevel::Higher,
    EducationLevel::Unknown,
];
const REFERRERS: &[Referrer] = &[
    Referrer::EmploymentServices,
    Referrer::SocialServices,
    Referrer::HealthServices,
    Referrer::Kela,
    Referrer::Education,
    Referrer::SelfReferred,
    Referrer::Other,
    Referrer::Unknown,
];
const UNITS: &[&str] = &["Työpaja", "Kuntouttava työtoiminta", "Valmennus"];

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

fn weighted(rng: &mut ChaCha8Rng, items: &[(&'static str, u32)]) -> &'static str {
    let total: u32 = items.iter().map(|(_, weight)| weight).sum();
    let mut roll = rng.random_range(0..total);
    for (item, weight) in items {
        if roll < *weight {
            return item;
        }
        roll -= weight;
    }
    items[0].0
}

/// A Finnish IBAN for a bank account number (the 14-digit BBAN).
pub fn finnish_iban(bban: u64) -> String {
    crate::domain::iban::with_check_digits("FI", &format!("{bban:014}"))
}

/// The `index`th temporary identity code among births between 1950 and 2007: distinct
/// indexes give distinct codes (individual numbers 900–999 on each day).
pub fn temporary_identity_code(index: u64) -> Option<PersonalIdentityCode> {
    let first = NaiveDate::from_ymd_opt(1950, 1, 1)?;
    let day = first.checked_add_days(Days::new(index / 100))?;
    let individual = 900 + u16::try_from(index % 100).ok()?;
    let sign = match chrono::Datelike::year(&day) {
        ..=1999 => '-',
        _ => 'A',
    };
    let date_part: u32 = day.format("%d%m%y").to_string().parse().ok()?;
    let text = format!(
        "{}{sign}{individual:03}{}",
        day.format("%d%m%y"),
        check_character(date_part, individual)
    );
    text.parse().ok()
}

/// Number of temporary codes the generator draws from (1950–2007, 100 a day): the most
/// clients one organisation can get.
pub const CODE_SPACE: u64 = 21_184 * 100;

/// Which code the `index`th client gets: multiplying by a prime that does not divide the
/// code space is a bijection on it, so codes stay unique in the organisation and look
/// scattered.
fn code_index(seed: u64, index: u64) -> u64 {
    (index % CODE_SPACE * 1_000_003 + seed % 7919) % CODE_SPACE
}

/// A generated client and its background entries.
#[derive(Debug)]
pub struct Generated {
    /// The client row.
    pub client: NewClient,
    /// History entries: kind, start, description, education level, occupation.
    pub history: Vec<GeneratedEntry>,
}

/// A generated background entry.
#[derive(Debug, Insertable)]
#[diesel(table_name = client_history_entries)]
pub struct GeneratedEntry {
    id: Uuid,
    organisation_id: Uuid,
    client_id: Uuid,
    kind: HistoryKind,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    description: Option<String>,
    education_level: Option<EducationLevel>,
    occupation: Option<String>,
}

/// Generates the `index`th client of an organisation. The same seed, organisation number
/// and index always give the same person.
pub fn client(
    seed: u64,
    organisation: (usize, Uuid),
    units: &[Uuid],
    index: u64,
    sealer: Sealer<'_>,
) -> Result<Generated, ApiError> {
    let (organisation_number, organisation_id) = organisation;
    let mut rng = ChaCha8Rng::seed_from_u64(
        seed ^ (organisation_number as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ index.wrapping_mul(0xD6E8_FEB8_6659_FD93),
    );
    let code = temporary_identity_code(code_index(seed, index))
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("code space exhausted")))?;
    let female = code.sex() == crate::domain::identity_code::RegisteredSex::Female;
    let first = if female {
        pick(&mut rng, FEMALE)
    } else {
        pick(&mut rng, MALE)
    };
    let second = if female {
        pick(&mut rng, FEMALE)
    } else {
        pick(&mut rng, MALE)
    };
    let first_names = if rng.random_bool(0.7) && first != second {
        format!("{first} {second}")
    } else {
        first.to_owned()
    };
    let last_name = pick(&mut rng, SURNAMES).to_owned();
    let (municipality, post_office, postal_code) = PLACES[rng.random_range(0..PLACES.len())];
    let tongue = weighted(&mut rng, TONGUES);
    let language = match tongue {
        "fi" => Language::Fi,
        "sv" => Language::Sv,
        _ if rng.random_bool(0.5) => Language::Fi,
        _ => Language::Other,
    };
    let iban: Iban = finnish_iban(rng.random_range(10_000_000_000_000..99_999_999_999_999))
        .parse()
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("generated an invalid IBAN")))?;
    let id = uuid::Builder::from_unix_timestamp_millis(1_700_000_000_000 + index, &rng.random()).into_uuid();
    let owner = Owner {
        organisation: organisation_id,
        client: id,
    };
    let sealed = sealer.identity_code(&code, owner)?;
    let email_name: String = format!("{first}.{last_name}")
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'ä' | 'å' => 'a',
            'ö' => 'o',
            'é' => 'e',
            c => c,
        })
        .collect();
    let education_level = pick(&mut rng, EDUCATION);
    let client = NewClient {
        id,
        organisation_id,
        unit_id: units[rng.random_range(0..units.len())].into(),
        first_names,
        last_name,
        language,
        identity_code_encrypted: Some(sealed.encrypted),
        identity_code_hash: Some(sealed.hash),
        identity_code_prefix: Some(sealed.prefix),
        identity_code_temporary: Some(true),
        birth_date: Some(code.birth_date()),
        gender: if female { Gender::Female } else { Gender::Male },
        street_address: Some(format!(
            "{} {}",
            pick(&mut rng, STREETS),
            rng.random_range(1..120)
        )),
        postal_code: Some(postal_code.to_owned()),
        post_office: Some(post_office.to_owned()),
        home_municipality: Some(municipality.to_owned()),
        phone: Some(format!(
            "+3584{}{:07}",
            rng.random_range(0..6),
            rng.random_range(0..10_000_000)
        )),
        email: Some(format!("{email_name}{}@example.fi", index % 1000)),
        iban_encrypted: Some(sealer.encrypt(iban.as_str(), IBAN, owner)?),
        iban_masked: Some(iban.masked()),
        mother_tongue: tongue.to_owned(),
        nationality: if tongue == "fi" || tongue == "sv" {
            "FI"
        } else {
            "unknown"
        }
        .to_owned(),
        profession: rng
            .random_bool(0.6)
            .then(|| pick(&mut rng, PROFESSIONS).to_owned()),
        trade_union_encrypted: None,
        education_level,
        referrer: pick(&mut rng, REFERRERS),
        responsible_coach_id: None,
    };
    let born = code.birth_date();
    let school_end = born.checked_add_days(Days::new(16 * 365)).unwrap_or(born);
    let mut history = vec![GeneratedEntry {
        id: uuid::Builder::from_random_bytes(rng.random()).into_uuid(),
        organisation_id,
        client_id: id,
        kind: HistoryKind::Education,
        starts_on: born.checked_add_days(Days::new(7 * 365)),
        ends_on: Some(school_end),
        description: Some("Peruskoulu".to_owned()),
        education_level: Some(EducationLevel::Basic),
        occupation: None,
    }];
    if rng.random_bool(0.5) {
        history.push(GeneratedEntry {
            id: uuid::Builder::from_random_bytes(rng.random()).into_uuid(),
            organisation_id,
            client_id: id,
            kind: HistoryKind::Work,
            starts_on: school_end.checked_add_days(Days::new(rng.random_range(365..3650))),
            ends_on: None,
            description: Some("Määräaikainen työsuhde".to_owned()),
            education_level: None,
            occupation: Some(pick(&mut rng, PROFESSIONS).to_owned()),
        });
    }
    Ok(Generated { client, history })
}

/// What `polku seed` made.
#[derive(Debug, serde::Serialize)]
pub struct SeededOrganisation {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Its units.
    pub unit_ids: Vec<Uuid>,
    /// Clients made.
    pub clients: u64,
}

/// Rows per INSERT statement.
const BATCH: u64 = 1000;

/// Inserts clients `range` of one organisation, a batch per transaction.
pub async fn insert_clients(
    conn: &mut AsyncPgConnection,
    seed: u64,
    organisation: (usize, Uuid),
    units: &[Uuid],
    range: std::ops::Range<u64>,
    sealer: Sealer<'_>,
) -> anyhow::Result<()> {
    let mut start = range.start;
    while start < range.end {
        let end = (start + BATCH).min(range.end);
        let mut rows = Vec::with_capacity(BATCH as usize);
        let mut entries = Vec::with_capacity(BATCH as usize * 2);
        for index in start..end {
            let generated = client(seed, organisation, units, index, sealer)?;
            rows.push(generated.client);
            entries.extend(generated.history);
        }
        let organisation_id = organisation.1;
        conn.transaction(async |conn| {
            db::set_organisation(conn, organisation_id).await?;
            diesel::insert_into(clients::table)
                .values(&rows)
                .execute(conn)
                .await?;
            for chunk in entries.chunks(BATCH as usize) {
                diesel::insert_into(client_history_entries::table)
                    .values(chunk)
                    .execute(conn)
                    .await?;
            }
            QueryResult::Ok(())
        })
        .await?;
        start = end;
    }
    Ok(())
}

/// Unit names of a seeded organisation.
pub fn unit_names() -> &'static [&'static str] {
    UNITS
}

/// A municipality name for the `n`th seeded organisation.
pub fn organisation_name(n: usize) -> String {
    let (municipality, _, _) = PLACES[n % PLACES.len()];
    if n < PLACES.len() {
        format!("Työllisyyspalvelut, {municipality}")
    } else {
        format!("Työllisyyspalvelut, {municipality} {}", n / PLACES.len() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{Cipher, LookupKey};

    #[test]
    fn generated_codes_are_valid_temporary_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for index in 0..50_000_u64 {
            let code = temporary_identity_code(code_index(42, index)).unwrap();
            assert!(code.is_temporary());
            assert!(code.birth_date().format("%Y").to_string().as_str() <= "2007");
            assert!(seen.insert(code.as_str().to_owned()), "{code:?} twice");
        }
        assert!(temporary_identity_code(CODE_SPACE - 1).is_some());
    }

    #[test]
    fn generated_ibans_are_valid() {
        for bban in [0_u64, 12_345_600_000_785, 99_999_999_999_999] {
            let text = finnish_iban(bban);
            assert!(text.parse::<Iban>().is_ok(), "{text}");
        }
        assert_eq!(finnish_iban(12_345_600_000_785), "FI2112345600000785");
    }

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let cipher = Cipher::new(&[1u8; 32]);
        let lookup = LookupKey::new([2u8; 32]);
        let sealer = Sealer {
            cipher: &cipher,
            lookup: &lookup,
        };
        let units = [Uuid::nil()];
        let a = client(7, (0, Uuid::nil()), &units, 12, sealer).unwrap();
        let b = client(7, (0, Uuid::nil()), &units, 12, sealer).unwrap();
        let c = client(8, (0, Uuid::nil()), &units, 12, sealer).unwrap();
        assert_eq!(a.client.id, b.client.id);
        assert_eq!(
            (&a.client.first_names, &a.client.last_name, &a.client.phone),
            (&b.client.first_names, &b.client.last_name, &b.client.phone)
        );
        assert_eq!(a.client.identity_code_hash, b.client.identity_code_hash);
        assert_ne!(
            (&a.client.first_names, &a.client.phone),
            (&c.client.first_names, &c.client.phone)
        );
    }
}
