//! Encryption at rest: a ciphertext is bound to its column, organisation and row.

use diesel::QueryableByName;
use diesel::sql_types::{Integer, Uuid as SqlUuid};
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use polku::permissions::Role;
use polku_tests::TestApp;
use polku_tests::caller::Caller;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

async fn client(caller: &Caller<'_>, unit: Uuid, code: &str) -> Uuid {
    let (status, body) = caller
        .post(
            "/api/v1/clients",
            &json!({"unit_id": unit, "first_names": "Testi", "last_name": "Asiakas",
                    "personal_identity_code": code, "iban": "FI4950009420028730"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().parse().unwrap()
}

async fn revealed(caller: &Caller<'_>, id: Uuid) -> (StatusCode, Value) {
    caller
        .get(&format!(
            "/api/v1/clients/{id}?reveal=personal_identity_code,iban"
        ))
        .await
}

/// Someone with write access to the database (a restored backup, the owner's
/// credentials) copies one client's encrypted identity code into another client's row, in
/// the same organisation or another. Reading that client's code then fails — an internal
/// error, logged — and never shows the copied value.
#[tokio::test]
async fn an_identity_code_copied_to_another_client_or_organisation_does_not_decrypt() {
    let app = TestApp::spawn().await;
    let a = app.organisation("Kunta A").await;
    let b = app.organisation("Kunta B").await;
    let a_coach = app.sign_in(&a, &[Role::Coach]).await;
    let b_coach = app.sign_in(&b, &[Role::Coach]).await;
    let source = client(&a_coach, a.unit_id, "131052-308T").await;
    let neighbour = client(&a_coach, a.unit_id, "020594X903P").await;
    let foreigner = client(&b_coach, b.unit_id, "010190-123M").await;

    let mut db = app.superuser().await;
    for target in [neighbour, foreigner] {
        db.batch_execute(&format!(
            "UPDATE clients SET identity_code_encrypted = s.identity_code_encrypted,
                                iban_encrypted = s.iban_encrypted
             FROM clients s WHERE s.id = '{source}' AND clients.id = '{target}'"
        ))
        .await
        .unwrap();
    }
    for (caller, target) in [(&a_coach, neighbour), (&b_coach, foreigner)] {
        let (status, body) = revealed(caller, target).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
        assert!(!body.to_string().contains("131052"), "{body}");
        // The masked view (no decryption) still answers.
        let (status, body) = caller.get(&format!("/api/v1/clients/{target}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = revealed(&a_coach, source).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["personal_identity_code"], "131052-308T");
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Integer)]
    version: i32,
}

/// A value written before ciphertexts were bound to their row (format 1: bound to the
/// column only) still reads, and `polku keys reencrypt` rewrites it in the current
/// format, after which a copy of it no longer decrypts in another row.
#[tokio::test]
async fn keys_reencrypt_binds_legacy_values_to_their_row() {
    let app = TestApp::spawn().await;
    let a = app.organisation("Kunta A").await;
    let coach = app.sign_in(&a, &[Role::Coach]).await;
    let legacy_client = client(&coach, a.unit_id, "131052-308T").await;
    let other = client(&coach, a.unit_id, "020594X903P").await;
    let cipher =
        polku::crypto::Cipher::with_keyring(&polku::keys::parse_keyring(&app.encryption_key).unwrap(), None);
    let legacy = cipher
        .encrypt_legacy(b"131052-308T", polku::clients::fields::IDENTITY_CODE)
        .unwrap();
    let mut db = app.superuser().await;
    diesel::sql_query("UPDATE clients SET identity_code_encrypted = $1 WHERE id = $2")
        .bind::<diesel::sql_types::Bytea, _>(&legacy)
        .bind::<SqlUuid, _>(legacy_client)
        .execute(&mut db)
        .await
        .unwrap();
    let (status, body) = revealed(&coach, legacy_client).await;
    assert_eq!(status, StatusCode::OK, "a legacy value still reads: {body}");
    assert_eq!(body["personal_identity_code"], "131052-308T");

    let mut app_conn = app.runtime_role().await;
    let mut owner = polku::db::connect_as_owner(&app.owner_url).await.unwrap();
    let rewritten = polku::clients::reencrypt::run(&mut app_conn, &mut owner, &cipher, &[a.id], &[], 10)
        .await
        .unwrap();
    assert_eq!(rewritten, 1, "only the legacy value is rewritten");
    let version: Version = diesel::sql_query(
        "SELECT get_byte(identity_code_encrypted, 0) AS version FROM clients WHERE id = $1",
    )
    .bind::<SqlUuid, _>(legacy_client)
    .get_result(&mut db)
    .await
    .unwrap();
    assert_eq!(version.version, 2);
    let (status, body) = revealed(&coach, legacy_client).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["personal_identity_code"], "131052-308T");

    db.batch_execute(&format!(
        "UPDATE clients SET identity_code_encrypted = s.identity_code_encrypted
         FROM clients s WHERE s.id = '{legacy_client}' AND clients.id = '{other}'"
    ))
    .await
    .unwrap();
    let (status, body) = revealed(&coach, other).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert!(!body.to_string().contains("131052"), "{body}");
    assert_eq!(
        polku::clients::reencrypt::run(&mut app_conn, &mut owner, &cipher, &[a.id], &[], 10)
            .await
            .unwrap(),
        0
    );
}

/// An insider who can write to the database but knows only their own second factor
/// copies their TOTP secret into a colleague's row: the colleague's second factor then
/// fails (an internal error, logged) instead of accepting the insider's codes.
#[tokio::test]
async fn a_totp_secret_copied_to_another_user_does_not_pass_their_second_factor() {
    let app = TestApp::spawn().await;
    let org = app.organisation("Kunta A").await;
    let insider = app.user(&org, &[Role::Coach]).await;
    let victim = app.user(&org, &[Role::Manager]).await;
    let (secret, _, _) = crate::mfa::enrol(&app, &insider).await;
    let mut db = app.superuser().await;
    db.batch_execute(&format!(
        "UPDATE users SET mfa_secret = s.mfa_secret, mfa_enabled_at = s.mfa_enabled_at
         FROM users s WHERE s.id = '{}' AND users.id = '{}'",
        insider.id, victim.id
    ))
    .await
    .unwrap();
    let ticket = crate::mfa::ticket(&app, &victim, "mfa_required").await;
    let code = polku::auth::mfa::current_code(&secret).unwrap();
    let response = app
        .request(reqwest::Method::POST, "/api/v1/auth/login/mfa")
        .json(&json!({"mfa_token": ticket, "code": code}))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert!(body.get("access_token").is_none(), "{body}");
}
