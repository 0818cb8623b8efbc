//! Consents and disclosures: given and withdrawn as easily, never edited, enforced on every
//! disclosure.

use chrono::{SecondsFormat, Utc};
use diesel_async::{AsyncConnection, SimpleAsyncConnection};
use polku::permissions::Role;
use polku_tests::caller::Caller;
use polku_tests::fixtures::content_type;
use polku_tests::world::{Staff, World};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

async fn world() -> World {
    World::builder("Suostumuskunta")
        .with(&[Staff::Manager, Staff::OtherCoach])
        .client("Suostuja")
        .spawn()
        .await
}

fn kela_consent() -> Value {
    json!({"kind": "disclosure", "recipient": "Kela", "given_how": "written",
           "data_categories": ["attendance", "periods"]})
}

#[tokio::test]
async fn give_disclose_withdraw_and_disclose_on_a_law_only_with_the_permission() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let consent = coach.consent(client, &kela_consent()).await;
    let consent_id = consent["id"].as_str().unwrap().to_owned();
    assert_eq!(consent["status"], "active");
    assert_eq!(consent["withdrawal"], Value::Null);

    // Accepted on the consent (the recipient matched without case), logged with its id.
    let (status, disclosed) = coach
        .disclose(
            client,
            &json!({"recipient": " KELA ", "data_categories": ["attendance"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{disclosed}");
    assert_eq!(disclosed["consent_id"], consent_id.as_str());
    let logged = w.disclosures().await;
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0]["consent_id"], consent_id.as_str());
    assert_eq!(logged[0]["legal_basis"], Value::Null);
    assert_eq!(logged[0]["id"], disclosed["id"]);

    // Data the consent does not cover, or another recipient: refused, nothing logged.
    for body in [
        json!({"recipient": "Kela", "data_categories": ["attendance", "statements"]}),
        json!({"recipient": "Verottaja", "data_categories": ["attendance"]}),
        json!({"recipient": "Verottaja", "data_categories": ["attendance"], "consent_id": consent_id}),
    ] {
        let (status, problem) = coach.disclose(client, &body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}: {problem}");
        assert_eq!(problem["type"], "urn:polku:problem:consent-required");
    }
    assert_eq!(w.disclosures().await.len(), 1);

    // Withdrawn in one action: effective for the very next disclosure.
    let (status, withdrawn) = coach
        .withdraw_consent(
            client,
            &consent_id,
            &json!({"requested_how": "verbal", "note": "Soitti ja perui"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{withdrawn}");
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["withdrawal"]["requested_how"], "verbal");
    let (status, problem) = coach
        .disclose(
            client,
            &json!({"recipient": "Kela", "data_categories": ["attendance"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(w.disclosures().await.len(), 1, "nothing logged as disclosed");

    // A statutory basis: a manager may, logged with the law; a coach may not.
    let statutory = json!({"recipient": "Kela", "data_categories": ["attendance"],
                           "legal_basis": "Laki kuntouttavasta työtoiminnasta 189/2001 13 §"});
    let (status, disclosed) = w.manager().disclose(client, &statutory).await;
    assert_eq!(status, StatusCode::CREATED, "{disclosed}");
    assert_eq!(disclosed["consent_id"], Value::Null);
    let logged = w.disclosures().await;
    assert_eq!(logged.len(), 2);
    assert_eq!(
        logged[1]["legal_basis"],
        "Laki kuntouttavasta työtoiminnasta 189/2001 13 §"
    );
    let (status, _) = coach.disclose(client, &statutory).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(w.disclosures().await.len(), 2);

    // The history keeps both, as a timeline.
    let (status, timeline) = coach
        .get(&format!("/api/v1/clients/{client}/consents/timeline"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let events: Vec<(&str, &str)> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["event"].as_str().unwrap(), e["consent_id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        events,
        vec![("given", consent_id.as_str()), ("withdrawn", consent_id.as_str())]
    );

    // A new consent in place of the withdrawn one is in force again; the old one stays.
    let mut renewed = kela_consent();
    renewed["replaces_id"] = json!(consent_id);
    let renewed = coach.consent(client, &renewed).await;
    assert_eq!(renewed["replaces_id"], consent_id.as_str());
    let (status, _) = coach
        .disclose(
            client,
            &json!({"recipient": "Kela", "data_categories": ["periods"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let statuses: Vec<Value> = coach
        .consents(client)
        .await
        .iter()
        .map(|c| c["status"].clone())
        .collect();
    assert_eq!(statuses, vec![json!("withdrawn"), json!("active")]);
}

#[tokio::test]
async fn a_disclosure_one_second_after_the_consent_ends_is_refused() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let now = Utc::now();
    let at = |seconds: i64| {
        (now + chrono::Duration::seconds(seconds)).to_rfc3339_opts(SecondsFormat::Millis, true)
    };
    // Ended one second ago: refused. In force for another hour: accepted.
    let mut ended = kela_consent();
    ended["given_at"] = json!(at(-600));
    ended["valid_until"] = json!(at(-1));
    let ended = coach.consent(client, &ended).await;
    assert_eq!(ended["status"], "expired");
    let disclose = json!({"recipient": "Kela", "data_categories": ["attendance"]});
    let (status, problem) = coach.disclose(client, &disclose).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    let mut named = disclose.clone();
    named["consent_id"] = ended["id"].clone();
    let (status, _) = coach.disclose(client, &named).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "naming the ended consent does not help"
    );
    assert!(w.disclosures().await.is_empty());
    let mut current = kela_consent();
    current["valid_until"] = json!(at(3600));
    let current = coach.consent(client, &current).await;
    let (status, disclosed) = coach.disclose(client, &disclose).await;
    assert_eq!(status, StatusCode::CREATED, "{disclosed}");
    assert_eq!(disclosed["consent_id"], current["id"]);
    // Not yet valid: refused too.
    let mut pending = json!({"kind": "disclosure", "recipient": "Verottaja", "given_how": "written",
                             "data_categories": ["attendance"], "valid_from": at(3600)});
    pending["given_at"] = json!(at(-5));
    let pending = coach.consent(client, &pending).await;
    assert_eq!(pending["status"], "pending");
    let (status, _) = coach
        .disclose(
            client,
            &json!({"recipient": "Verottaja", "data_categories": ["attendance"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(w.disclosures().await.len(), 1);
}

#[tokio::test]
async fn special_categories_need_the_sensitive_grant_and_a_basis_is_never_blank() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let health = json!({"kind": "disclosure", "recipient": "Työterveys", "given_how": "written",
                        "data_categories": ["health"]});
    let (status, _) = coach.give_consent(client, &health).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let nurse = w.sign_in(&[Role::Coach, Role::Sensitive]).await;
    let (status, _) = nurse.give_consent(client, &health).await;
    assert_eq!(status, StatusCode::CREATED);
    let body = json!({"recipient": "Työterveys", "data_categories": ["health"]});
    let (status, _) = coach.disclose(client, &body).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "health data only by those with the grant"
    );
    let (status, _) = nurse.disclose(client, &body).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, problem) = w
        .manager()
        .disclose(
            client,
            &json!({"recipient": "Kela", "data_categories": ["attendance"], "legal_basis": "  "}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "legal_basis");
    assert_eq!(w.disclosures().await.len(), 1);
}

#[tokio::test]
async fn a_consent_can_be_neither_edited_deleted_reactivated_nor_copied() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let manager = w.manager();
    let consent = coach.consent(client, &kela_consent()).await;
    let id = consent["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/clients/{client}/consents");
    let (status, _) = coach
        .withdraw_consent(client, &id, &json!({"requested_how": "written"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    // One replacement is allowed; a second one is not.
    let mut renewed = kela_consent();
    renewed["replaces_id"] = json!(id);
    renewed["given_at"] = json!((Utc::now() - chrono::Duration::seconds(30)).to_rfc3339());
    let replacement = coach.consent(client, &renewed).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = coach
        .give_consent(
            client,
            &json!({"kind": "disclosure", "recipient": "Kela", "given_how": "written",
                                       "data_categories": ["attendance"], "replaces_id": id}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "replaced once");
    let (status, problem) = coach
        .withdraw_consent(
            client,
            &replacement,
            &json!({"requested_how": "written", "requested_at": "2020-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "asked before it was given: {problem}"
    );
    let before = coach.consents(client).await;

    // Through every endpoint: no method edits or deletes, a second withdrawal is refused,
    // a body cannot set what the server records, the same giving cannot be recorded twice.
    for method in [Method::PATCH, Method::PUT, Method::DELETE] {
        for path in [
            format!("{base}/{id}"),
            format!("{base}/{id}/withdraw"),
            base.clone(),
        ] {
            let (status, _) = manager
                .send(method.clone(), &path, &json!({"recipient": "Verottaja"}))
                .await;
            assert!(!status.is_success(), "{method} {path}: {status}");
        }
    }
    let (status, _) = manager
        .withdraw_consent(client, &id, &json!({"requested_how": "written"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "withdrawn once");
    for extra in [
        json!({"id": id}),
        json!({"status": "active"}),
        json!({"withdrawal": null}),
        json!({"recorded_at": "2020-01-01T00:00:00Z"}),
    ] {
        let mut body = kela_consent();
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let (status, problem) = coach.give_consent(client, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{extra}: {problem}");
    }
    let mut copy = kela_consent();
    copy["given_at"] = consent["given_at"].clone();
    let (status, problem) = coach.give_consent(client, &copy).await;
    assert_eq!(status, StatusCode::CONFLICT, "the same giving again: {problem}");
    assert_eq!(coach.consents(client).await, before);

    // Directly as the runtime database role.
    let mut conn = w.app.runtime_role().await;
    let update = |sql: String| (sql, "permission denied");
    let attempts = [
        update(format!("UPDATE consents SET recipient = 'Verottaja' WHERE id = '{id}'")),
        update(format!("UPDATE consents SET valid_until = now() WHERE id = '{id}'")),
        update(format!("DELETE FROM consents WHERE id = '{id}'")),
        update(format!("DELETE FROM consent_withdrawals WHERE consent_id = '{id}'")),
        update(format!(
            "UPDATE consent_withdrawals SET withdrawn_at = now() + interval '1 year' WHERE consent_id = '{id}'"
        )),
        update("TRUNCATE consent_withdrawals".to_owned()),
        // The same row again.
        (
            format!(
                "INSERT INTO consents (id, organisation_id, client_id, kind, recipient, data_categories, given_at,
                                       given_how, valid_from)
                 SELECT id, organisation_id, client_id, kind, recipient, data_categories,
                        given_at - interval '1 day', given_how, valid_from - interval '1 day'
                 FROM consents WHERE id = '{id}'"
            ),
            "consents_pkey",
        ),
        // A copy that keeps the original's recording time (the trigger refuses it).
        (
            format!(
                "INSERT INTO consents (id, organisation_id, client_id, kind, recipient, data_categories, given_at,
                                       given_how, valid_from, recorded_at)
                 SELECT '{}', organisation_id, client_id, kind, recipient, data_categories,
                        given_at - interval '1 day', given_how, valid_from - interval '1 day', recorded_at
                 FROM consents WHERE id = '{id}'",
                Uuid::now_v7()
            ),
            "recorded at the time it is written",
        ),
        // A copy of the same giving, recorded now (the same giving is recorded once).
        (
            format!(
                "INSERT INTO consents (id, organisation_id, client_id, kind, recipient, data_categories, given_at,
                                       given_how, valid_from)
                 SELECT '{}', organisation_id, client_id, kind, recipient, data_categories, given_at, given_how,
                        valid_from FROM consents WHERE id = '{id}'",
                Uuid::now_v7()
            ),
            "consents_once",
        ),
        // A second replacement of the withdrawn consent.
        (
            format!(
                "INSERT INTO consents (id, organisation_id, client_id, kind, recipient, data_categories, given_at,
                                       given_how, valid_from, replaces_id)
                 SELECT '{}', organisation_id, client_id, kind, recipient, data_categories,
                        given_at - interval '2 days', given_how, valid_from - interval '2 days', '{id}'
                 FROM consents WHERE id = '{id}'",
                Uuid::now_v7()
            ),
            "consents_replaced_once",
        ),
    ];
    for (statement, expected) in attempts {
        let result = conn
            .transaction(async |conn| {
                polku::db::set_organisation(conn, w.org.id).await?;
                conn.batch_execute(&statement).await
            })
            .await;
        let error = result.expect_err(&format!("the runtime role did: {statement}"));
        assert!(error.to_string().contains(expected), "{statement}: {error}");
    }
    assert_eq!(coach.consents(client).await, before, "nothing changed");
    let (status, _) = coach
        .disclose(
            client,
            &json!({"recipient": "Kela", "data_categories": ["attendance"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "the replacement is in force");
    let logged = w.disclosures().await;
    assert_eq!(
        logged[0]["consent_id"],
        replacement.as_str(),
        "never on the withdrawn one"
    );
}

#[tokio::test]
async fn bad_consents_are_422_with_field_codes_and_store_nothing() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let future = (Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    for (body, field, code) in [
        (
            json!({"kind": "disclosure", "given_how": "written", "data_categories": ["attendance"]}),
            "recipient",
            "required",
        ),
        (
            json!({"kind": "disclosure", "recipient": "Kela", "given_how": "written"}),
            "data_categories",
            "required",
        ),
        (
            json!({"kind": "processing", "given_how": "verbal"}),
            "witness",
            "required",
        ),
        (
            json!({"kind": "other", "given_how": "written"}),
            "purpose",
            "required",
        ),
        (
            json!({"kind": "processing", "given_how": "written", "given_at": future}),
            "given_at",
            "in_future",
        ),
        (
            json!({"kind": "processing", "given_how": "written", "given_at": "1850-01-01T00:00:00Z"}),
            "given_at",
            "out_of_range",
        ),
        (
            json!({"kind": "processing", "given_how": "written", "valid_from": "2026-05-01T00:00:00Z",
                   "valid_until": "2026-04-01T00:00:00Z"}),
            "valid_until",
            "before_start",
        ),
        (
            json!({"kind": "processing", "given_how": "written", "note": "x".repeat(2001)}),
            "note",
            "too_long",
        ),
        (
            json!({"kind": "processing", "given_how": "written", "recipient": "Kela"}),
            "recipient",
            "not_allowed",
        ),
    ] {
        let (status, problem) = coach.give_consent(client, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {problem}");
        let codes: Vec<(&str, &str)> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
            .collect();
        assert!(codes.contains(&(field, code)), "{body}: {codes:?}");
    }
    for body in [
        json!({"kind": "sharing", "given_how": "written"}),
        json!({"kind": "disclosure", "recipient": "Kela", "given_how": "written", "data_categories": ["gossip"]}),
    ] {
        let (status, _) = coach.give_consent(client, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let (status, _) = coach
        .give_consent(
            client,
            &json!({"kind": "processing", "given_how": "written",
                                        "replaces_id": Uuid::now_v7()}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(coach.consents(client).await.is_empty(), "nothing stored");
    // Another unit's coach may not give one.
    let (status, _) = w
        .other_coach()
        .give_consent(client, &json!({"kind": "processing", "given_how": "written"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(coach.consents(client).await.is_empty());
}

#[tokio::test]
async fn reports_show_expiring_consents_and_clients_without_a_processing_consent() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let other_coach = w.other_coach();
    let other = other_coach.client(w.org.other_unit_id, "Toinen").await;
    let missing = async |who: Caller<'_>| {
        let (status, page) = who.get("/api/v1/consents/missing-processing?limit=200").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["client_id"].as_str().unwrap().parse::<Uuid>().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(missing(coach.clone()).await, vec![client]);
    let mut both = vec![client, other];
    both.sort();
    assert_eq!(missing(w.manager()).await, both);

    let soon = (Utc::now() + chrono::Duration::days(10)).to_rfc3339();
    let later = (Utc::now() + chrono::Duration::days(100)).to_rfc3339();
    let processing = coach
        .consent(
            client,
            &json!({"kind": "processing", "given_how": "electronic", "valid_until": soon}),
        )
        .await;
    let mut kela = kela_consent();
    kela["valid_until"] = json!(later);
    coach.consent(client, &kela).await;
    assert!(missing(coach.clone()).await.is_empty());

    let (status, page) = coach.get("/api/v1/consents/expiring?days=30").await;
    assert_eq!(status, StatusCode::OK);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    assert_eq!(items[0]["consent_id"], processing["id"]);
    assert_eq!(items[0]["client_name"], "Asiakas Suostuja");
    let (_, page) = coach.get("/api/v1/consents/expiring?days=120").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let (_, page) = other_coach.get("/api/v1/consents/expiring?days=120").await;
    assert_eq!(page["items"], json!([]), "another unit's consents are not shown");
    let (status, _) = coach.get("/api/v1/consents/expiring?days=0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Another organisation sees none of it.
    let foreign = w.app.organisation("Vieraskunta").await;
    let their = w.app.session(&w.app.user(&foreign, &[Role::Manager]).await).await;
    let their = w.app.by(&their);
    assert!(missing(their.clone()).await.is_empty());
    let (_, page) = their.get("/api/v1/consents/expiring?days=365").await;
    assert_eq!(page["items"], json!([]));
}

#[tokio::test]
async fn the_consent_form_prints_in_the_clients_language() {
    let w = world().await;
    let coach = w.coach();
    let (status, swede) = coach
        .create_client(
            &json!({"unit_id": w.org.unit_id, "first_names": "Åsa", "last_name": "Öberg",
                    "birth_date": "1990-01-01", "language": "sv"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{swede}");
    let client = swede["id"].as_str().unwrap();
    let consent = coach.consent(client, &kela_consent()).await;
    let path = format!("/api/v1/clients/{client}/consents/form");
    let fetch = |lang: &'static str| {
        let (coach, path) = (coach.clone(), path.clone());
        async move {
            let response = coach
                .request(Method::GET, &format!("{path}{lang}"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert!(content_type(&response).starts_with("text/html"));
            response.text().await.unwrap()
        }
    };
    let html = fetch("").await;
    assert!(html.contains("<html lang=\"sv\">"), "{html}");
    assert!(html.contains("Samtycke") && html.contains("Kela") && html.contains("närvaro"));
    let html = fetch("?lang=fi").await;
    assert!(html.contains("Suostumus") && html.contains("Asiakkaan allekirjoitus"));
    let (status, _) = coach.get(&format!("{path}?ids=nonsense")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = coach
        .get(&format!(
            "{path}?ids={},{}",
            consent["id"].as_str().unwrap(),
            Uuid::now_v7()
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = coach
        .withdraw_consent(
            client,
            consent["id"].as_str().unwrap(),
            &json!({"requested_how": "written"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = coach
        .get(&format!("{path}?ids={}", consent["id"].as_str().unwrap()))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a withdrawn consent is not printed for signing"
    );
    assert_eq!(problem["errors"][0]["code"], "not_in_force");
    let printed = w
        .app
        .events_where(w.org.id, "action = 'print' AND resource_type = 'consent'")
        .await;
    assert_eq!(printed.len(), 2, "each print is logged, refused ones are not");
}

#[tokio::test]
async fn a_consent_for_a_category_of_recipients_covers_its_members_named_with_it() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let consent = coach
        .consent(
            client,
            &json!({"kind": "disclosure", "recipient": "Oppilaitokset", "recipient_is_category": true,
                      "given_how": "written", "data_categories": ["background", "statements"]}),
        )
        .await;
    assert_eq!(consent["recipient_is_category"], true);
    let named = json!({"recipient": "Stadin ammattiopisto", "data_categories": ["statements"]});
    let (status, _) = coach.disclose(client, &named).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a named recipient alone does not match a category"
    );
    let mut in_category = named.clone();
    in_category["recipient_category"] = json!("oppilaitokset");
    let (status, disclosed) = coach.disclose(client, &in_category).await;
    assert_eq!(status, StatusCode::CREATED, "{disclosed}");
    assert_eq!(disclosed["consent_id"], consent["id"]);
    assert_eq!(disclosed["recipient"], "Stadin ammattiopisto");
    let logged = w.disclosures().await;
    assert_eq!(logged[0]["recipient"], "Stadin ammattiopisto");
    assert_eq!(logged[0]["details"]["recipient_category"], "oppilaitokset");
    // A named consent is not a category: "Kela" does not cover "Kela Helsinki".
    coach.consent(client, &kela_consent()).await;
    let (status, _) = coach
        .disclose(
            client,
            &json!({"recipient": "Kela Helsinki", "recipient_category": "Kela",
                                    "data_categories": ["attendance"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

/// A refused disclosure: 409, `consent-required`, and why as the code of its one error.
#[track_caller]
fn refused_because((status, problem): (StatusCode, Value), code: &str) {
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["type"], "urn:polku:problem:consent-required", "{problem}");
    assert_eq!(problem["errors"][0]["field"], "consent_id", "{problem}");
    assert_eq!(problem["errors"][0]["code"], code, "{problem}");
}

#[tokio::test]
async fn a_verbal_consent_never_authorises_a_disclosure() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let verbal = coach
        .consent(
            client,
            &json!({"kind": "disclosure", "recipient": "Kela", "given_how": "verbal",
                    "witness": "Ohjaaja Virtanen", "data_categories": ["attendance"]}),
        )
        .await;
    assert_eq!(
        verbal["status"], "active",
        "a verbal consent is recorded as given"
    );
    let disclose = json!({"recipient": "Kela", "data_categories": ["attendance"]});
    refused_because(coach.disclose(client, &disclose).await, "verbal_consent");
    let mut named = disclose.clone();
    named["consent_id"] = verbal["id"].clone();
    refused_because(coach.disclose(client, &named).await, "verbal_consent");
    // Not even where electronic consents count as written.
    let admin = w.sign_in(&[Role::Admin]).await;
    let (status, settings) = admin
        .update_organisation(&json!({"electronic_consent_is_written": true}))
        .await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    refused_because(coach.disclose(client, &disclose).await, "verbal_consent");
    assert!(
        w.disclosures().await.is_empty(),
        "nothing disclosed on a verbal consent"
    );
    // Without any consent for the recipient the reason is that there is none.
    refused_because(
        coach
            .disclose(
                client,
                &json!({"recipient": "Verottaja", "data_categories": ["attendance"]}),
            )
            .await,
        "no_consent",
    );

    // The client signs the consent: the disclosure goes through on the written one.
    let written = coach
        .consent(
            client,
            &json!({"kind": "disclosure", "recipient": "Kela", "given_how": "written",
                    "data_categories": ["attendance"]}),
        )
        .await;
    let (status, disclosed) = coach.disclose(client, &disclose).await;
    assert_eq!(status, StatusCode::CREATED, "{disclosed}");
    assert_eq!(disclosed["consent_id"], written["id"]);
    // Naming the verbal one still does not do.
    refused_because(coach.disclose(client, &named).await, "verbal_consent");
    assert_eq!(w.disclosures().await.len(), 1);
}

#[tokio::test]
async fn an_electronic_consent_authorises_a_disclosure_only_where_the_organisation_counts_it_as_written() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let admin = w.sign_in(&[Role::Admin]).await;
    let (status, settings) = admin.get("/api/v1/admin/organisation").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["electronic_consent_is_written"], false, "off by default");
    let electronic = coach
        .consent(
            client,
            &json!({"kind": "disclosure", "recipient": "Kela", "given_how": "electronic",
                    "data_categories": ["attendance", "periods"]}),
        )
        .await;
    let disclose = json!({"recipient": "Kela", "data_categories": ["periods"]});
    refused_because(
        coach.disclose(client, &disclose).await,
        "electronic_consent_not_written",
    );
    assert!(w.disclosures().await.is_empty());

    let (status, settings) = admin
        .update_organisation(&json!({"electronic_consent_is_written": true}))
        .await;
    assert_eq!(
        (status, settings["electronic_consent_is_written"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{settings}"
    );
    let (status, disclosed) = coach.disclose(client, &disclose).await;
    assert_eq!(status, StatusCode::CREATED, "{disclosed}");
    assert_eq!(disclosed["consent_id"], electronic["id"]);
    assert_eq!(w.disclosures().await.len(), 1);
    let changed = w
        .app
        .events_where(w.org.id, "action = 'organisation_settings_changed'")
        .await;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["details"]["electronic_consent_is_written"], true);

    // Turned off again: the next disclosure is refused.
    let (status, _) = admin
        .update_organisation(&json!({"electronic_consent_is_written": false}))
        .await;
    assert_eq!(status, StatusCode::OK);
    refused_because(
        coach.disclose(client, &disclose).await,
        "electronic_consent_not_written",
    );
    assert_eq!(w.disclosures().await.len(), 1);
}

#[tokio::test]
async fn the_clients_disclosure_log_lists_each_disclosure_and_its_basis_newest_first() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let (status, log) = coach.get(&format!("/api/v1/clients/{client}/disclosures")).await;
    assert_eq!((status, log.clone()), (StatusCode::OK, json!([])));
    let consent = coach.consent(client, &kela_consent()).await;
    let (status, _) = coach
        .disclose(
            client,
            &json!({"recipient": "Kela", "data_categories": ["attendance"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let statutory = json!({"recipient": "Aluehallintovirasto", "data_categories": ["periods"],
                           "legal_basis": "Laki kuntouttavasta työtoiminnasta 189/2001 13 §"});
    let (status, _) = w.manager().disclose(client, &statutory).await;
    assert_eq!(status, StatusCode::CREATED);
    // A refused one is not in the log.
    let (status, _) = coach
        .disclose(
            client,
            &json!({"recipient": "Verottaja", "data_categories": ["identity"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, log) = coach.get(&format!("/api/v1/clients/{client}/disclosures")).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0]["recipient"], "Aluehallintovirasto");
    assert_eq!(log[0]["consent_id"], Value::Null);
    assert_eq!(
        log[0]["legal_basis"],
        "Laki kuntouttavasta työtoiminnasta 189/2001 13 §"
    );
    assert_eq!(log[0]["data_categories"], json!(["periods"]));
    assert!(log[0]["disclosed_by"].is_string(), "{:?}", log[0]);
    assert_eq!(log[1]["recipient"], "Kela");
    assert_eq!(log[1]["consent_id"], consent["id"]);
    assert_eq!(log[1]["legal_basis"], Value::Null);
    assert_eq!(log[1]["data_categories"], json!(["attendance"]));

    // Another unit's coach reads it only with a reason, which is logged.
    let other = w.other_coach();
    let (status, problem) = other.get(&format!("/api/v1/clients/{client}/disclosures")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["type"], "urn:polku:problem:access-reason-required");
    let (status, log) = other
        .get(&format!(
            "/api/v1/clients/{client}/disclosures?access_reason=Sijaisuus%20viikolla%2049"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(log.as_array().unwrap().len(), 2);
    let reads = w
        .app
        .events_where(w.org.id, "action = 'read' AND resource_type = 'disclosure'")
        .await;
    assert_eq!(reads.len(), 3, "{reads:?}");
    assert!(
        reads.iter().any(|e| e["reason"] == "Sijaisuus viikolla 49"),
        "{reads:?}"
    );
}
