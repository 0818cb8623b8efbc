//! The rectification history: its one writer, and the timeline as it is shown (previous
//! values of encrypted fields decrypted, identity codes and bank accounts masked).

use diesel_async::AsyncPgConnection;
use serde_json::Value;
use uuid::Uuid;

use super::api::ChangeResponse;
use super::fields::{PREVIOUS, ValidChange};
use super::iban::Iban;
use super::store::{self, ChangeRow, NewChange};
use crate::auth::actor::Actor;
use crate::crypto::Cipher;
use crate::error::ApiError;

/// Records a change of `record_type` record `record_id` of `client`: who, the fields, the
/// previous values (the secret ones encrypted) and the reason.
pub async fn record(
    conn: &mut AsyncPgConnection,
    cipher: &Cipher,
    actor: &Actor,
    client: Uuid,
    (record_type, record_id): (&'static str, Uuid),
    change: &ValidChange,
) -> Result<(), ApiError> {
    let (user, api_client) = actor.audit_ids();
    let previous_encrypted = if change.previous_secret.is_empty() {
        None
    } else {
        let secret = Value::Object(change.previous_secret.clone()).to_string();
        Some(cipher.encrypt_str(&secret, PREVIOUS)?)
    };
    store::insert_change(
        conn,
        &NewChange {
            id: Uuid::now_v7(),
            organisation_id: actor.organisation_id,
            client_id: client,
            record_type,
            record_id,
            sensitive: change.sensitive,
            changed_by_user_id: user,
            changed_by_api_client_id: api_client,
            fields: change.fields.iter().map(|field| (*field).to_owned()).collect(),
            previous: Value::Object(change.previous.clone()),
            previous_encrypted,
            reason: change.reason.clone(),
        },
    )
    .await?;
    Ok(())
}

/// Masks a previous identity code or bank account; other values pass unchanged.
fn masked(field: &str, value: Value) -> Value {
    let Value::String(text) = &value else {
        return value;
    };
    match field {
        "personal_identity_code" => {
            Value::String(format!("{}****", text.chars().take(7).collect::<String>()))
        }
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
        let secret: serde_json::Map<String, Value> =
            serde_json::from_str(&cipher.decrypt_string(data, PREVIOUS)?)
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
            Value::String("FI21 **** **** **07 85".into())
        );
        assert_eq!(masked("iban", Value::Null), Value::Null);
        assert_eq!(
            masked("last_name", Value::String("Virtanen".into())),
            Value::String("Virtanen".into())
        );
    }
}
