//! The rectification timeline as it is shown: previous values of encrypted fields
//! decrypted, identity codes and bank accounts masked.

use serde_json::Value;

use super::api::ChangeResponse;
use super::store::ChangeRow;
use crate::crypto::{Cipher, Place};
use crate::domain::changes::PREVIOUS;
use crate::domain::iban::Iban;
use crate::domain::identity_code;
use crate::error::ApiError;

/// Masks a previous identity code or bank account; other values pass unchanged.
fn masked(field: &str, value: Value) -> Value {
    let Value::String(text) = &value else {
        return value;
    };
    match field {
        "personal_identity_code" => Value::String(identity_code::mask(text)),
        "iban" => text
            .parse::<Iban>()
            .map_or(Value::String("****".to_owned()), |iban| {
                Value::String(iban.masked())
            }),
        _ => value,
    }
}

/// One change for the timeline.
pub fn response(
    row: ChangeRow,
    changed_by_name: Option<String>,
    cipher: &Cipher,
) -> Result<ChangeResponse, ApiError> {
    let mut previous = match row.previous {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    if let Some(data) = &row.previous_encrypted {
        let secret: serde_json::Map<String, Value> = serde_json::from_str(
            &cipher.decrypt_string(data, Place::new(PREVIOUS, row.organisation_id, row.id))?,
        )
        .map_err(|error| ApiError::Internal(error.into()))?;
        for (field, value) in secret {
            let value = masked(&field, value);
            previous.insert(field, value);
        }
    }
    Ok(ChangeResponse {
        id: row.id,
        record_type: row.record_type,
        record_id: row.record_id,
        changed_at: row.changed_at,
        changed_by_user_id: row.changed_by_user_id,
        changed_by_api_client_id: row.changed_by_api_client_id,
        changed_by_name,
        fields: row.fields,
        previous: Value::Object(previous),
        reason: row.reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_codes_and_accounts_are_masked() {
        assert_eq!(
            masked("personal_identity_code", Value::String("131052-308T".into())),
            Value::String("131052-****".into())
        );
        assert_eq!(
            masked("iban", Value::String("FI2112345600000785".into())),
            Value::String("FI** **** **** **** 85".into())
        );
        assert_eq!(masked("iban", Value::Null), Value::Null);
        assert_eq!(
            masked("last_name", Value::String("Virtanen".into())),
            Value::String("Virtanen".into())
        );
    }
}
