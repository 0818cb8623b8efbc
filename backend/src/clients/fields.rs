//! Client fields: validation of what comes in (collecting every field error), encryption
//! of identity codes, bank accounts and trade unions, and the masked or revealed response.

use serde_json::json;

use super::api::{
    ClientResponse, CreateClientRequest, EducationLevel, Gender, Language, Referrer, RevealField,
    UpdateClientRequest,
};
use super::store::{ClientChanges, ClientRow, NewClient};
use crate::crypto::{Cipher, LookupKey, Place};
use crate::domain::changes::Change;
use crate::domain::check::{Checker, MAX_TEXT, today};
use crate::domain::iban::Iban;
use crate::domain::identity_code::{self, PersonalIdentityCode, RegisteredSex};
use crate::error::ApiError;

/// Encryption contexts: a ciphertext only decrypts in its own column.
pub const IDENTITY_CODE: &[u8] = b"clients.identity_code";
/// Encryption context of bank accounts.
pub const IBAN: &[u8] = b"clients.iban";
/// Encryption context of trade unions.
pub const TRADE_UNION: &[u8] = b"clients.trade_union";
/// Lookup-hash context of identity codes.
pub const IDENTITY_CODE_LOOKUP: &str = "identity_code";

/// The client row a value is stored in: its ciphertext decrypts only there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    /// The client's organisation.
    pub organisation: uuid::Uuid,
    /// The client.
    pub client: uuid::Uuid,
}

impl Owner {
    /// The place of `column` of this client.
    pub fn at(self, column: &[u8]) -> Place<'_> {
        Place::new(column, self.organisation, self.client)
    }

    fn of(row: &ClientRow) -> Self {
        Self {
            organisation: row.organisation_id,
            client: row.id.into(),
        }
    }
}

/// The encrypted columns of an identity code.
#[derive(Debug, Clone)]
pub struct SealedIdentityCode {
    /// Ciphertext.
    pub encrypted: Vec<u8>,
    /// Keyed hash.
    pub hash: Vec<u8>,
    /// Visible part.
    pub prefix: String,
    /// Temporary code.
    pub temporary: bool,
}

/// Encrypts what needs it and derives the lookup hash.
#[derive(Debug, Clone, Copy)]
pub struct Sealer<'a> {
    /// Encryption.
    pub cipher: &'a Cipher,
    /// Lookup hashes.
    pub lookup: &'a LookupKey,
}

impl Sealer<'_> {
    /// Seals an identity code.
    pub fn identity_code(
        &self,
        code: &PersonalIdentityCode,
        owner: Owner,
    ) -> Result<SealedIdentityCode, ApiError> {
        Ok(SealedIdentityCode {
            encrypted: self.cipher.encrypt_str(code.as_str(), owner.at(IDENTITY_CODE))?,
            hash: self.identity_code_hash(code),
            prefix: code.as_str()[..7].to_owned(),
            temporary: code.is_temporary(),
        })
    }

    /// The keyed hash an identity code is found by.
    pub fn identity_code_hash(&self, code: &PersonalIdentityCode) -> Vec<u8> {
        self.lookup.hash(IDENTITY_CODE_LOOKUP, code.as_str())
    }

    /// Encrypts a value of `owner`'s `column`.
    pub fn encrypt(&self, value: &str, column: &[u8], owner: Owner) -> Result<Vec<u8>, ApiError> {
        Ok(self.cipher.encrypt_str(value, owner.at(column))?)
    }

    fn decrypt(
        &self,
        value: Option<&Vec<u8>>,
        column: &[u8],
        owner: Owner,
    ) -> Result<Option<String>, ApiError> {
        value
            .map(|data| decrypt(self.cipher, data, owner.at(column)))
            .transpose()
    }
}

fn decrypt(cipher: &Cipher, data: &[u8], place: Place<'_>) -> Result<String, ApiError> {
    Ok(cipher.decrypt_string(data, place)?)
}

fn gender_of(code: &PersonalIdentityCode) -> Gender {
    match code.sex() {
        RegisteredSex::Male => Gender::Male,
        RegisteredSex::Female => Gender::Female,
    }
}

/// A validated new client and the names of the fields it sets (for the access log).
#[derive(Debug)]
pub struct ValidNewClient {
    /// The row to insert.
    pub row: NewClient,
    /// Fields given.
    pub fields: Vec<&'static str>,
}

/// Validates a new client; every problem is reported at once.
pub fn new_client(
    body: CreateClientRequest,
    organisation_id: uuid::Uuid,
    sealer: Sealer<'_>,
    may_write_sensitive: bool,
) -> Result<ValidNewClient, ApiError> {
    let today = today();
    let mut check = Checker::default();
    let first_names = check.name("first_names", &body.first_names);
    let last_name = check.name("last_name", &body.last_name);
    let code = body
        .personal_identity_code
        .as_deref()
        .and_then(|value| check.identity_code(value, today));
    let given_birth_date = body.birth_date.map(|date| check.birth_date(date, today));
    let birth_date = match (&code, given_birth_date) {
        (Some(code), Some(given)) if code.birth_date() != given => {
            check.fail(
                "birth_date",
                "mismatch",
                "The date of birth differs from the one in the identity code.",
            );
            None
        }
        (Some(code), _) => Some(code.birth_date()),
        (None, given) => given,
    };
    if body.personal_identity_code.is_none() && birth_date.is_none() {
        check.fail(
            "birth_date",
            "required",
            "Give the personal identity code or, without one, the date of birth.",
        );
    }
    let iban = body.iban.as_deref().and_then(|value| check.iban(value));
    let phone = check.phone(body.phone.as_deref());
    let email = check.email(body.email.as_deref());
    let mother_tongue = body
        .mother_tongue
        .as_deref()
        .map_or_else(|| "unknown".to_owned(), |value| check.mother_tongue(value));
    let nationality = body
        .nationality
        .as_deref()
        .map_or_else(|| "unknown".to_owned(), |value| check.nationality(value));
    let street_address = check.text("street_address", body.street_address.as_deref(), MAX_TEXT);
    let postal_code = check.text("postal_code", body.postal_code.as_deref(), 20);
    let post_office = check.text("post_office", body.post_office.as_deref(), 100);
    let home_municipality = check.text("home_municipality", body.home_municipality.as_deref(), 100);
    let profession = check.text("profession", body.profession.as_deref(), MAX_TEXT);
    let trade_union = check.text("trade_union", body.trade_union.as_deref(), MAX_TEXT);
    if trade_union.is_some() && !may_write_sensitive {
        check.fail(
            "trade_union",
            "sensitive",
            "Trade union membership is special-category data: it needs the sensitive grant.",
        );
    }
    check.finish()?;

    let mut fields = vec!["unit_id", "first_names", "last_name"];
    for (field, given) in [
        ("personal_identity_code", code.is_some()),
        ("birth_date", birth_date.is_some()),
        ("gender", body.gender.is_some()),
        ("street_address", street_address.is_some()),
        ("postal_code", postal_code.is_some()),
        ("post_office", post_office.is_some()),
        ("home_municipality", home_municipality.is_some()),
        ("phone", phone.is_some()),
        ("email", email.is_some()),
        ("iban", iban.is_some()),
        ("language", body.language.is_some()),
        ("mother_tongue", body.mother_tongue.is_some()),
        ("nationality", body.nationality.is_some()),
        ("profession", profession.is_some()),
        ("trade_union", trade_union.is_some()),
        ("education_level", body.education_level.is_some()),
        ("referrer", body.referrer.is_some()),
        ("responsible_coach_id", body.responsible_coach_id.is_some()),
    ] {
        if given {
            fields.push(field);
        }
    }
    let owner = Owner {
        organisation: organisation_id,
        client: uuid::Uuid::now_v7(),
    };
    let sealed = code
        .as_ref()
        .map(|code| sealer.identity_code(code, owner))
        .transpose()?;
    let gender = body
        .gender
        .or_else(|| code.as_ref().map(gender_of))
        .unwrap_or(Gender::Unknown);
    let row = NewClient {
        id: owner.client,
        organisation_id,
        unit_id: body.unit_id.into(),
        first_names,
        last_name,
        language: body.language.unwrap_or(Language::Fi),
        identity_code_encrypted: sealed.as_ref().map(|s| s.encrypted.clone()),
        identity_code_hash: sealed.as_ref().map(|s| s.hash.clone()),
        identity_code_prefix: sealed.as_ref().map(|s| s.prefix.clone()),
        identity_code_temporary: sealed.as_ref().map(|s| s.temporary),
        birth_date,
        gender,
        street_address,
        postal_code,
        post_office,
        home_municipality,
        phone,
        email,
        iban_encrypted: iban
            .as_ref()
            .map(|iban| sealer.encrypt(iban.as_str(), IBAN, owner))
            .transpose()?,
        iban_masked: iban.as_ref().map(Iban::masked),
        mother_tongue,
        nationality,
        profession,
        trade_union_encrypted: trade_union
            .as_deref()
            .map(|union| sealer.encrypt(union, TRADE_UNION, owner))
            .transpose()?,
        education_level: body.education_level.unwrap_or(EducationLevel::Unknown),
        referrer: body.referrer.unwrap_or(Referrer::Unknown),
        responsible_coach_id: body.responsible_coach_id,
    };
    Ok(ValidNewClient { row, fields })
}

/// A validated change: the columns to set, the identity code's new keyed hash (to check
/// uniqueness) and what the rectification history records of it.
#[derive(Debug, Default)]
pub struct ValidChange {
    /// Columns to set.
    pub changes: ClientChanges,
    /// The identity code's new keyed hash, to check uniqueness.
    pub new_identity_code_hash: Option<Vec<u8>>,
    /// The fields that really change, their previous values and the reason.
    pub history: Change,
}

/// Validates changes against the current row; unchanged values are left out.
pub fn change(
    body: &UpdateClientRequest,
    current: &ClientRow,
    sealer: Sealer<'_>,
    may_write_sensitive: bool,
) -> Result<ValidChange, ApiError> {
    let owner = Owner::of(current);
    let today = today();
    let mut check = Checker::default();
    let mut out = ValidChange::default();

    // Parse first, so that every error is reported at once.
    let first_names = body.first_names.as_deref().map(|v| check.name("first_names", v));
    let last_name = body.last_name.as_deref().map(|v| check.name("last_name", v));
    let code = body
        .personal_identity_code
        .as_ref()
        .map(|value| value.as_deref().and_then(|v| check.identity_code(v, today)));
    let given_birth_date = body
        .birth_date
        .map(|value| value.map(|date| check.birth_date(date, today)));
    let iban = body
        .iban
        .as_ref()
        .map(|value| value.as_deref().and_then(|v| check.iban(v)));
    let phone = body.phone.as_ref().map(|v| check.phone(v.as_deref()));
    let email = body.email.as_ref().map(|v| check.email(v.as_deref()));
    let street_address = body
        .street_address
        .as_ref()
        .map(|v| check.text("street_address", v.as_deref(), MAX_TEXT));
    let postal_code = body
        .postal_code
        .as_ref()
        .map(|v| check.text("postal_code", v.as_deref(), 20));
    let post_office = body
        .post_office
        .as_ref()
        .map(|v| check.text("post_office", v.as_deref(), 100));
    let home_municipality = body
        .home_municipality
        .as_ref()
        .map(|v| check.text("home_municipality", v.as_deref(), 100));
    let profession = body
        .profession
        .as_ref()
        .map(|v| check.text("profession", v.as_deref(), MAX_TEXT));
    let trade_union = body
        .trade_union
        .as_ref()
        .map(|v| check.text("trade_union", v.as_deref(), MAX_TEXT));
    if trade_union.is_some() && !may_write_sensitive {
        check.fail(
            "trade_union",
            "sensitive",
            "Trade union membership is special-category data: it needs the sensitive grant.",
        );
    }
    let mother_tongue = body.mother_tongue.as_deref().map(|v| check.mother_tongue(v));
    let nationality = body.nationality.as_deref().map(|v| check.nationality(v));
    out.history.reason = check.text("reason", body.reason.as_deref(), 500);

    // The identity code decides the date of birth; without one it may be given.
    let has_code_after = match &code {
        Some(new) => new.is_some(),
        None => current.identity_code_encrypted.is_some(),
    };
    if let Some(Some(new)) = &code {
        if let Some(Some(given)) = given_birth_date
            && given != new.birth_date()
        {
            check.fail(
                "birth_date",
                "mismatch",
                "The date of birth differs from the one in the identity code.",
            );
        }
    } else if has_code_after && given_birth_date.is_some() {
        check.fail(
            "birth_date",
            "derived",
            "The date of birth comes from the identity code; change the code instead.",
        );
    }
    let birth_date_after = match (&code, given_birth_date) {
        (Some(Some(new)), _) => Some(new.birth_date()),
        (_, Some(given)) => given,
        _ => current.birth_date,
    };
    if birth_date_after.is_none() && !has_code_after {
        check.fail(
            "birth_date",
            "required",
            "Without an identity code the date of birth is needed.",
        );
    }
    check.finish()?;

    if let Some(unit) = body.unit_id
        && unit != current.unit_id
    {
        out.history.push("unit_id", json!(current.unit_id));
        out.changes.unit_id = Some(unit.into());
    }
    if let Some(value) = first_names
        && value != current.first_names
    {
        out.history.push("first_names", json!(current.first_names));
        out.changes.first_names = Some(value);
    }
    if let Some(value) = last_name
        && value != current.last_name
    {
        out.history.push("last_name", json!(current.last_name));
        out.changes.last_name = Some(value);
    }
    if let Some(new) = code {
        let old = sealer.decrypt(current.identity_code_encrypted.as_ref(), IDENTITY_CODE, owner)?;
        if new.as_ref().map(PersonalIdentityCode::as_str) != old.as_deref() {
            out.history.fields.push("personal_identity_code");
            out.history
                .previous_secret
                .insert("personal_identity_code".to_owned(), json!(old));
            let sealed = new
                .as_ref()
                .map(|code| sealer.identity_code(code, owner))
                .transpose()?;
            out.new_identity_code_hash = sealed.as_ref().map(|s| s.hash.clone());
            out.changes.identity_code_encrypted = Some(sealed.as_ref().map(|s| s.encrypted.clone()));
            out.changes.identity_code_hash = Some(sealed.as_ref().map(|s| s.hash.clone()));
            out.changes.identity_code_prefix = Some(sealed.as_ref().map(|s| s.prefix.clone()));
            out.changes.identity_code_temporary = Some(sealed.as_ref().map(|s| s.temporary));
        }
    }
    if birth_date_after != current.birth_date {
        out.history.push("birth_date", json!(current.birth_date));
        out.changes.birth_date = Some(birth_date_after);
    }
    if let Some(value) = body.gender
        && value != current.gender
    {
        out.history.push("gender", json!(current.gender.as_str()));
        out.changes.gender = Some(value);
    }
    for (field, new, old, slot) in [
        (
            "street_address",
            street_address,
            &current.street_address,
            &mut out.changes.street_address,
        ),
        (
            "postal_code",
            postal_code,
            &current.postal_code,
            &mut out.changes.postal_code,
        ),
        (
            "post_office",
            post_office,
            &current.post_office,
            &mut out.changes.post_office,
        ),
        (
            "home_municipality",
            home_municipality,
            &current.home_municipality,
            &mut out.changes.home_municipality,
        ),
        ("phone", phone, &current.phone, &mut out.changes.phone),
        ("email", email, &current.email, &mut out.changes.email),
        (
            "profession",
            profession,
            &current.profession,
            &mut out.changes.profession,
        ),
    ] {
        if let Some(new) = new
            && new != *old
        {
            out.history.fields.push(field);
            out.history.previous.insert(field.to_owned(), json!(old));
            *slot = Some(new);
        }
    }
    if let Some(new) = iban {
        let old = sealer.decrypt(current.iban_encrypted.as_ref(), IBAN, owner)?;
        if new.as_ref().map(Iban::as_str) != old.as_deref() {
            out.history.fields.push("iban");
            out.history.previous_secret.insert("iban".to_owned(), json!(old));
            out.changes.iban_encrypted = Some(
                new.as_ref()
                    .map(|iban| sealer.encrypt(iban.as_str(), IBAN, owner))
                    .transpose()?,
            );
            out.changes.iban_masked = Some(new.as_ref().map(Iban::masked));
        }
    }
    if let Some(new) = trade_union {
        let old = sealer.decrypt(current.trade_union_encrypted.as_ref(), TRADE_UNION, owner)?;
        if new != old {
            out.history.fields.push("trade_union");
            out.history
                .previous_secret
                .insert("trade_union".to_owned(), json!(old));
            out.history.sensitive = true;
            out.changes.trade_union_encrypted = Some(
                new.as_deref()
                    .map(|union| sealer.encrypt(union, TRADE_UNION, owner))
                    .transpose()?,
            );
        }
    }
    if let Some(value) = body.language
        && value != current.language
    {
        out.history.push("language", json!(current.language.as_str()));
        out.changes.language = Some(value);
    }
    if let Some(value) = mother_tongue
        && value != current.mother_tongue
    {
        out.history.push("mother_tongue", json!(current.mother_tongue));
        out.changes.mother_tongue = Some(value);
    }
    if let Some(value) = nationality
        && value != current.nationality
    {
        out.history.push("nationality", json!(current.nationality));
        out.changes.nationality = Some(value);
    }
    if let Some(value) = body.education_level
        && value != current.education_level
    {
        out.history
            .push("education_level", json!(current.education_level.as_str()));
        out.changes.education_level = Some(value);
    }
    if let Some(value) = body.referrer
        && value != current.referrer
    {
        out.history.push("referrer", json!(current.referrer.as_str()));
        out.changes.referrer = Some(value);
    }
    if let Some(value) = body.responsible_coach_id
        && value != current.responsible_coach_id
    {
        out.history
            .push("responsible_coach_id", json!(current.responsible_coach_id));
        out.changes.responsible_coach_id = Some(value);
    }
    Ok(out)
}

/// The response: masked values unless revealed, special-category fields only with the
/// grant.
pub fn response(
    row: ClientRow,
    cipher: &Cipher,
    reveal: &[RevealField],
    sensitive: bool,
) -> Result<ClientResponse, ApiError> {
    let owner = Owner::of(&row);
    let personal_identity_code = if reveal.contains(&RevealField::PersonalIdentityCode) {
        row.identity_code_encrypted
            .as_ref()
            .map(|data| decrypt(cipher, data, owner.at(IDENTITY_CODE)))
            .transpose()?
    } else {
        row.identity_code_prefix.as_deref().map(identity_code::mask)
    };
    let iban = if reveal.contains(&RevealField::Iban) {
        row.iban_encrypted
            .as_ref()
            .map(|data| decrypt(cipher, data, owner.at(IBAN)))
            .transpose()?
            .map(|electronic| electronic.parse::<Iban>().map_or(electronic, |iban| iban.print()))
    } else {
        row.iban_masked.clone()
    };
    let trade_union = if sensitive {
        row.trade_union_encrypted
            .as_ref()
            .map(|data| decrypt(cipher, data, owner.at(TRADE_UNION)))
            .transpose()?
    } else {
        None
    };
    Ok(ClientResponse {
        id: row.id.into(),
        unit_id: row.unit_id.into(),
        first_names: row.first_names,
        last_name: row.last_name,
        personal_identity_code,
        personal_identity_code_temporary: row.identity_code_temporary,
        birth_date: row.birth_date,
        gender: row.gender,
        street_address: row.street_address,
        postal_code: row.postal_code,
        post_office: row.post_office,
        home_municipality: row.home_municipality,
        phone: row.phone,
        email: row.email,
        iban,
        language: row.language,
        mother_tongue: row.mother_tongue,
        nationality: row.nationality,
        profession: row.profession,
        trade_union,
        education_level: row.education_level,
        referrer: row.referrer,
        responsible_coach_id: row.responsible_coach_id,
        status: row.status,
        closed_on: row.closed_on,
        close_reason: row.close_reason,
        created_at: row.created_at,
        updated_at: row.updated_at,
        version: row.version,
    })
}

/// Which values to reveal, from `?reveal=personal_identity_code,iban`.
pub fn reveal_fields(value: Option<&str>) -> Result<Vec<RevealField>, ApiError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let mut fields = Vec::new();
    for name in value.split(',').map(str::trim).filter(|name| !name.is_empty()) {
        let Some(field) = RevealField::parse(name) else {
            return Err(ApiError::invalid_field(
                "reveal",
                "unknown_field",
                "Reveal personal_identity_code or iban.",
            ));
        };
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reveal_names_only_known_fields() {
        assert_eq!(
            reveal_fields(Some("iban, personal_identity_code,iban")).unwrap(),
            vec![RevealField::Iban, RevealField::PersonalIdentityCode]
        );
        assert!(reveal_fields(Some("phone")).is_err());
        assert!(reveal_fields(None).unwrap().is_empty());
    }
}
