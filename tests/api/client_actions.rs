//! Actions a coach takes on a period from the web app that the API gained for it: ending a
//! signed agreement on a date, for a reason; marking and unmarking a diary entry as
//! sensitive (with the grant only, its text moving to encrypted storage and back).

use chrono::{Days, Utc};
use chrono_tz::Europe::Helsinki;
use diesel::sql_types::{Bool, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use polku_tests::fixtures::field_codes;
use polku_tests::world::{Staff, World};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&Helsinki).date_naive()
}

#[tokio::test]
async fn a_signed_agreement_ends_on_a_date_for_a_reason_and_nothing_else_ends_it() {
    let w = World::builder("Sopimuskunta").client("Sopija").spawn().await;
    let coach = w.coach();
    let start = today() - Days::new(30);
    let period = coach
        .period(
            w.client(),
            &json!({"service_type": "coaching", "starts_on": start, "unit_id": w.org.unit_id}),
        )
        .await;
    let base = format!("/api/v1/periods/{}/agreements", period["id"].as_str().unwrap());
    let (status, agreement) = coach
        .post(&base, &json!({"kind": "work", "workplace": "Kirjasto"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{agreement}");
    let path = format!("{base}/{}", agreement["id"].as_str().unwrap());
    let signed_on = today() - Days::new(10);

    // A draft has no end to name.
    let (status, problem) = coach
        .send(
            Method::PATCH,
            &path,
            &json!({"ended_on": today(), "end_reason": "Muutto"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        field_codes(&problem),
        vec![
            ("ended_on".to_owned(), "not_allowed".to_owned()),
            ("end_reason".to_owned(), "not_allowed".to_owned())
        ]
    );
    let (status, signed) = coach
        .send(
            Method::PATCH,
            &path,
            &json!({"state": "signed", "signed_on": signed_on}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    assert_eq!(
        (signed["ended_on"].clone(), signed["end_reason"].clone()),
        (Value::Null, Value::Null)
    );

    // Ending needs the date and the reason; the date not before the signing.
    let (status, problem) = coach.send(Method::PATCH, &path, &json!({"state": "ended"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        field_codes(&problem),
        vec![
            ("ended_on".to_owned(), "required".to_owned()),
            ("end_reason".to_owned(), "required".to_owned())
        ]
    );
    let (status, problem) = coach
        .send(
            Method::PATCH,
            &path,
            &json!({"state": "ended", "ended_on": signed_on - Days::new(1), "end_reason": "Muutto"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        field_codes(&problem),
        vec![("ended_on".to_owned(), "before_signed".to_owned())]
    );
    let (_, list) = coach.get(&base).await;
    assert_eq!(list[0]["state"], "signed", "nothing changed: {list}");

    let (status, ended) = coach
        .send(
            Method::PATCH,
            &path,
            &json!({"state": "ended", "ended_on": today(), "end_reason": "Asiakas muutti toiselle paikkakunnalle"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!(ended["state"], "ended");
    assert_eq!(ended["ended_on"], json!(today()));
    assert_eq!(ended["end_reason"], "Asiakas muutti toiselle paikkakunnalle");
    assert_eq!(ended["signed_on"], json!(signed_on));
    let (_, list) = coach.get(&base).await;
    assert_eq!(list[0]["end_reason"], "Asiakas muutti toiselle paikkakunnalle");
    let logged = w
        .app
        .events_where(w.org.id, "action = 'update' AND resource_type = 'agreement'")
        .await;
    let last = logged.last().unwrap();
    assert_eq!(
        last["fields"],
        json!(["state", "ended_on", "end_reason"]),
        "{last}"
    );
    // An ended agreement stays ended.
    let (status, _) = coach
        .send(
            Method::PATCH,
            &path,
            &json!({"state": "signed", "signed_on": signed_on}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[derive(diesel::QueryableByName)]
struct Stored {
    #[diesel(sql_type = Bool)]
    plain: bool,
    #[diesel(sql_type = Bool)]
    encrypted: bool,
}

/// Whether entry `id`'s text is stored plain and whether encrypted.
async fn stored(w: &World, id: &str) -> (bool, bool) {
    let mut conn = w.app.superuser().await;
    let row: Stored = diesel::sql_query(
        "SELECT body IS NOT NULL AS plain, body_encrypted IS NOT NULL AS encrypted FROM diary_entries WHERE id = $1",
    )
    .bind::<SqlUuid, _>(uuid::Uuid::parse_str(id).unwrap())
    .get_result(&mut conn)
    .await
    .unwrap();
    (row.plain, row.encrypted)
}

#[tokio::test]
async fn a_diary_entry_is_marked_and_unmarked_sensitive_only_with_the_grant() {
    let w = World::builder("Arkakunta")
        .with(&[Staff::SensitiveCoach, Staff::Colleague])
        .client("Arkala")
        .spawn()
        .await;
    let (sensitive, plain) = (w.sensitive_coach(), w.colleague());
    let period = plain
        .period(
            w.client(),
            &json!({"service_type": "coaching", "starts_on": today() - Days::new(5), "unit_id": w.org.unit_id}),
        )
        .await;
    let base = format!("/api/v1/periods/{}/diary", period["id"].as_str().unwrap());
    let (status, entry) = sensitive
        .post(&base, &json!({"body": "Kertoi lääkityksen muutoksesta."}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    let id = entry["id"].as_str().unwrap().to_owned();
    let path = format!("{base}/{id}");
    assert_eq!(stored(&w, &id).await, (true, false));

    // Without the grant: refused, nothing changes.
    let (status, problem) = plain
        .send(
            Method::PATCH,
            &path,
            &json!({"sensitive": true, "reason": "Terveystieto"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["permission"], "sensitive_history");
    assert_eq!(stored(&w, &id).await, (true, false));

    // The author, with the grant, within the window: marked; the text only encrypted, the
    // colleague no longer sees it.
    let (status, marked) = sensitive
        .send(Method::PATCH, &path, &json!({"sensitive": true}))
        .await;
    assert_eq!(status, StatusCode::OK, "{marked}");
    assert_eq!(marked["sensitive"], true);
    assert_eq!(marked["body"], "Kertoi lääkityksen muutoksesta.");
    assert_eq!(stored(&w, &id).await, (false, true));
    let (_, seen) = plain.get(&base).await;
    assert!(
        seen["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["id"] != id.as_str()),
        "{seen}"
    );
    let logged = w
        .app
        .events_where(w.org.id, "action = 'update' AND resource_type = 'diary_entry'")
        .await;
    assert_eq!(logged.last().unwrap()["fields"], json!(["sensitive"]));

    // Unmarked with a corrected text: plain again, visible to the colleague.
    let (status, unmarked) = sensitive
        .send(
            Method::PATCH,
            &path,
            &json!({"sensitive": false, "body": "Kertoi voivansa hyvin."}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{unmarked}");
    assert_eq!(
        (unmarked["sensitive"].as_bool(), unmarked["body"].as_str()),
        (Some(false), Some("Kertoi voivansa hyvin."))
    );
    assert_eq!(stored(&w, &id).await, (true, false));
    let (_, seen) = plain.get(&base).await;
    assert!(
        seen["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == id.as_str()),
        "{seen}"
    );
}
