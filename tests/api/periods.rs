//! Service periods: the whole lifecycle, rule warnings, bad input, the diary's edit
//! window and corrections, the attention list and the code lists.

use chrono::{Days, Months, Utc};
use chrono_tz::Europe::Helsinki;
use diesel_async::SimpleAsyncConnection;
use polku::permissions::Role;
use polku_tests::fixtures::{field_codes, warning_codes};
use polku_tests::world::{Staff, World};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

async fn world() -> World {
    World::builder("Jaksokunta")
        .with(&[Staff::Colleague, Staff::Manager])
        .client("Jaksolainen")
        .spawn()
        .await
}

fn today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&Helsinki).date_naive()
}

fn ktt_period(unit: Uuid) -> Value {
    let start = today() - Days::new(30);
    json!({"service_type": "ktt", "starts_on": start, "planned_end_on": start + Months::new(6),
           "unit_id": unit, "referrer": "social_services", "workplace": "Puutyöpaja",
           "days_per_week": 5, "hours_per_day": 6.0, "weekdays": [1, 2, 3, 4, 5]})
}

#[tokio::test]
async fn a_ktt_period_from_opening_to_final_statement_and_outcome() {
    let w = world().await;
    let coach = w.coach();
    // Five days a week is outside the Act: saved, with a warning.
    let period = coach.period(w.client(), &ktt_period(w.org.unit_id)).await;
    assert_eq!(warning_codes(&period), vec!["ktt_days_per_week"], "{period}");
    let id = period["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/periods/{id}");

    // Goals, one with a follow-up and a new status.
    for title in ["Säännöllinen päivärytmi", "Puutyötaitojen oppiminen"] {
        coach.goal(&id, &json!({"title": title})).await;
    }
    let (_, goals) = coach.get(&format!("{base}/goals")).await;
    let goal = goals[0].clone();
    assert_eq!(
        (goal["position"].as_i64(), goals[1]["position"].as_i64()),
        (Some(1), Some(2))
    );
    let (status, changed) = coach
        .request(
            Method::PATCH,
            &format!("{base}/goals/{}", goal["id"].as_str().unwrap()),
        )
        .header("If-Match", format!("\"{}\"", goal["version"]))
        .json(&json!({"status": "in_progress"}))
        .send()
        .await
        .map(|r| (r.status(), r))
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(changed.json::<Value>().await.unwrap()["status"], "in_progress");
    let (status, _) = coach
        .post(
            &format!("{base}/goals/{}/follow-ups", goal["id"].as_str().unwrap()),
            &json!({"note": "Tullut joka päivä ajoissa."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Diary entries.
    for (days_ago, text) in [
        (2, "Ensimmäinen päivä työpajalla sujui hyvin."),
        (1, "Hiottiin pöydän kansi."),
    ] {
        let entry = coach
            .diary_entry(
                &id,
                &json!({"entry_date": today() - Days::new(days_ago), "body": text}),
            )
            .await;
        assert_eq!(entry["author_name"], "Testi Käyttäjä", "{entry}");
    }
    let (_, found) = coach.get(&format!("{base}/diary?q=ty%C3%B6paja")).await;
    assert_eq!(
        found["items"].as_array().unwrap().len(),
        1,
        "Finnish stemming finds työpajalla: {found}"
    );
    assert_eq!(found["items"][0]["author_name"], "Testi Käyttäjä");
    let (_, page) = coach.get(&format!("{base}/page")).await;
    assert_eq!(page["diary"][0]["author_name"], "Testi Käyttäjä", "{page}");

    // An agreement, drafted and signed; its terms no longer change.
    let (status, agreement) = coach
        .post(
            &format!("{base}/agreements"),
            &json!({"kind": "activity", "workplace": "Puutyöpaja", "tasks": "Huonekalujen kunnostus",
                    "schedule": "ma–pe 8–14", "insurance_note": "Tapaturmavakuutus kunnan kautta"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{agreement}");
    let agreement_path = format!("{base}/agreements/{}", agreement["id"].as_str().unwrap());
    let (status, signed) = coach
        .send(
            Method::PATCH,
            &agreement_path,
            &json!({"state": "signed", "signed_on": today()}),
        )
        .await;
    assert_eq!(
        (status, signed["state"].as_str()),
        (StatusCode::OK, Some("signed")),
        "{signed}"
    );
    let (status, _) = coach
        .send(Method::PATCH, &agreement_path, &json!({"tasks": "Muuta"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Two assessments and their chart.
    let instrument = coach.instrument("learning_at_work").await;
    let criteria: Vec<String> = instrument["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    for (days_ago, score, assessor) in [(20, 2, "coach"), (1, 4, "client")] {
        let scores: Vec<Value> = criteria
            .iter()
            .map(|c| json!({"criterion_id": c, "score": score}))
            .collect();
        let (status, body) = coach
            .post(
                &format!("{base}/assessments"),
                &json!({"instrument_id": instrument["id"], "assessed_on": today() - Days::new(days_ago),
                        "assessor": assessor, "scores": scores, "notes": "Edistynyt"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, chart) = coach
        .get(&format!(
            "{base}/assessments/chart?instrument_id={}",
            instrument["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(chart["series"].as_array().unwrap().len(), criteria.len());
    let points: Vec<i64> = chart["series"][0]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["score"].as_i64().unwrap())
        .collect();
    assert_eq!(points, vec![2, 4]);

    // An interim report, finalised.
    let (status, interim) = coach
        .post(
            &format!("{base}/reports"),
            &json!({"kind": "interim", "sections": {"situation_at_start": "Alku"}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{interim}");
    assert!(
        interim["sections"]["goals_summary"]
            .as_str()
            .unwrap()
            .contains("Säännöllinen päivärytmi")
    );
    let (status, _) = coach
        .post(
            &format!("{base}/reports/{}/finalise", interim["id"].as_str().unwrap()),
            &json!(null),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // The final statement: finalised, then locked; a new version keeps the old.
    let (_, statement) = coach
        .post(
            &format!("{base}/reports"),
            &json!({"kind": "final", "sections": {"recommendation": "Työkokeilu"}}),
        )
        .await;
    let statement_path = format!("{base}/reports/{}", statement["id"].as_str().unwrap());
    let (status, final_version) = coach
        .post(&format!("{statement_path}/finalise"), &json!(null))
        .await;
    assert_eq!(
        (status, final_version["state"].as_str()),
        (StatusCode::OK, Some("final"))
    );
    let (status, problem) = coach
        .send(
            Method::PATCH,
            &statement_path,
            &json!({"sections": {"recommendation": "Muutettu"}}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    let (status, again) = coach
        .post(&format!("{statement_path}/finalise"), &json!(null))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    let (status, second) = coach
        .post(&format!("{statement_path}/versions"), &json!(null))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(
        (second["version_no"].as_i64(), second["state"].as_str()),
        (Some(2), Some("draft"))
    );
    assert_eq!(second["previous_id"], statement["id"]);
    let (status, _) = coach
        .send(
            Method::PATCH,
            &format!("{base}/reports/{}", second["id"].as_str().unwrap()),
            &json!({"sections": {"recommendation": "Ammatillinen koulutus"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, all) = coach.get(&format!("{base}/reports")).await;
    let old = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == statement["id"])
        .unwrap();
    assert_eq!(old["state"], "final");
    assert_eq!(
        old["sections"]["recommendation"], "Työkokeilu",
        "the final version kept"
    );
    // The database refuses to change a final version even for the runtime role.
    let mut conn = w.app.runtime_role().await;
    let statement_id = statement["id"].as_str().unwrap().to_owned();
    let org = w.org.id;
    let refused = diesel_async::AsyncConnection::transaction(&mut conn, async |conn| {
        polku::db::set_organisation(conn, org).await?;
        conn.batch_execute(&format!(
            "UPDATE period_reports SET recommendation = 'x' WHERE id = '{statement_id}'"
        ))
        .await
    })
    .await;
    let error = refused.expect_err("a final report changed");
    assert!(error.to_string().contains("a final report is locked"), "{error}");

    // Printable, in the client's language (Finnish here).
    let response = coach
        .request(Method::GET, &format!("{statement_path}/print"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"fi\">") && html.contains("Loppulausunto") && html.contains("Työkokeilu")
    );

    // The whole page at once.
    let (status, page) = coach.get(&format!("{base}/page")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["goals"].as_array().unwrap().len(), 2);
    assert_eq!(page["diary"].as_array().unwrap().len(), 2);
    assert_eq!(page["assessments"].as_array().unwrap().len(), 2);

    // Closed with an outcome (a stale version is refused first).
    let (status, _) = coach
        .request(Method::POST, &format!("{base}/close"))
        .header("If-Match", "\"99\"")
        .json(&json!({"ends_on": today(), "outcome": "work"}))
        .send()
        .await
        .map(|r| (r.status(), ()))
        .unwrap();
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (status, closed) = coach
        .post(
            &format!("{base}/close"),
            &json!({"ends_on": today(), "outcome": "work", "outcome_code": "open_labour_market",
                    "closing_note": "Työllistyi"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(
        (closed["outcome"].as_str(), closed["ends_on"].as_str()),
        (Some("work"), Some(today().to_string().as_str()))
    );
    let (status, _) = coach
        .post(
            &format!("{base}/close"),
            &json!({"ends_on": today(), "outcome": "work"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn bad_input_is_422_with_field_codes_and_stores_nothing() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let periods = format!("/api/v1/clients/{client}/periods");
    let mut cases = Vec::new();
    let mut before_start = ktt_period(w.org.unit_id);
    before_start["planned_end_on"] = json!(today() - Days::new(60));
    cases.push((before_start, "planned_end_on", "before_start"));
    let mut unknown = ktt_period(w.org.unit_id);
    unknown["service_type"] = json!("sirkuskoulu");
    cases.push((unknown, "service_type", "unknown_code"));
    let mut bad_days = ktt_period(w.org.unit_id);
    bad_days["days_per_week"] = json!(8);
    cases.push((bad_days, "days_per_week", "out_of_range"));
    let mut ancient = ktt_period(w.org.unit_id);
    ancient["notified_on"] = json!("1800-01-01");
    cases.push((ancient, "notified_on", "out_of_range"));
    let mut foreign_unit = ktt_period(w.org.unit_id);
    foreign_unit["unit_id"] = json!(Uuid::now_v7());
    cases.push((foreign_unit, "unit_id", "unknown_unit"));
    for (body, field, code) in cases {
        let (status, problem) = coach.open_period(client, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {problem}");
        assert!(
            field_codes(&problem).contains(&(field.to_owned(), code.to_owned())),
            "{problem}"
        );
    }
    let (_, list) = coach.get(&periods).await;
    assert_eq!(list, json!([]), "nothing stored");

    let period = coach.period(client, &ktt_period(w.org.unit_id)).await;
    let id = period["id"].as_str().unwrap();
    let base = format!("/api/v1/periods/{id}");
    let (status, problem) = coach
        .write_diary(
            id,
            &json!({"entry_date": today() + Days::new(1), "body": "Huomenna"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        vec![("entry_date".to_owned(), "in_future".to_owned())]
    );
    let instrument = coach.instrument("coping_at_work").await;
    let mut scores: Vec<Value> = instrument["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"criterion_id": c["id"], "score": 3}))
        .collect();
    scores[0]["score"] = json!(6);
    let (status, problem) = coach
        .post(
            &format!("{base}/assessments"),
            &json!({"instrument_id": instrument["id"], "scores": scores}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        vec![("scores[0].score".to_owned(), "out_of_scale".to_owned())]
    );
    let (status, problem) = coach
        .post(
            &format!("{base}/close"),
            &json!({"ends_on": today() - Days::new(365), "outcome": "negative"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        vec![("ends_on".to_owned(), "before_start".to_owned())]
    );
    let (status, problem) = coach
        .post(
            &format!("{base}/close"),
            &json!({"ends_on": today(), "outcome": "negative", "outcome_code": "open_labour_market"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        vec![("outcome_code".to_owned(), "wrong_outcome".to_owned())]
    );
    let (status, _) = coach.add_goal(id, &json!({"title": " "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, page) = coach.get(&format!("{base}/page")).await;
    assert_eq!(
        (
            page["diary"].as_array().map(Vec::len),
            page["assessments"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0))
    );
    assert_eq!(page["goals"], json!([]));
    assert_eq!(page["period"]["ends_on"], Value::Null, "not closed");
}

#[tokio::test]
async fn the_diary_is_edited_freely_by_its_author_and_otherwise_only_corrected() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let colleague = w.colleague();
    let period = coach.period(client, &ktt_period(w.org.unit_id)).await;
    let id = period["id"].as_str().unwrap();
    let base = format!("/api/v1/periods/{id}");
    let (_, entry) = coach
        .write_diary(id, &json!({"body": "Kirjoitusvirhe tekstissä"}))
        .await;
    let path = format!("{base}/diary/{}", entry["id"].as_str().unwrap());
    let (status, edited) = coach
        .send(Method::PATCH, &path, &json!({"body": "Korjattu teksti"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    // A colleague's change is a correction: it needs a reason and is kept.
    let (status, problem) = colleague
        .send(Method::PATCH, &path, &json!({"body": "Toisen korjaus"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        vec![("reason".to_owned(), "required".to_owned())]
    );
    let (status, _) = colleague
        .send(
            Method::PATCH,
            &path,
            &json!({"body": "Toisen korjaus", "reason": "Väärä päivämäärä"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // After the window even the author corrects with a reason.
    let admin = w.sign_in(&[Role::Admin]).await;
    let (status, settings) = admin
        .update_organisation(&json!({"diary_edit_window_hours": 0}))
        .await;
    assert_eq!(
        (status, settings["diary_edit_window_hours"].as_i64()),
        (StatusCode::OK, Some(0)),
        "{settings}"
    );
    let (status, _) = admin
        .update_organisation(&json!({"diary_edit_window_hours": 721}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = coach
        .send(Method::PATCH, &path, &json!({"body": "Myöhäinen muutos"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, changes) = w.manager().changes(client).await;
    let diary: Vec<&Value> = changes
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["record_type"] == "diary_entry")
        .collect();
    assert_eq!(
        diary.len(),
        1,
        "only the correction is in the rectification history: {changes}"
    );
    assert_eq!(diary[0]["previous"]["body"], "Korjattu teksti");
    assert_eq!(diary[0]["reason"], "Väärä päivämäärä");

    // Sensitive entries: only with the grant, omitted for everybody else.
    let (status, _) = coach
        .write_diary(id, &json!({"body": "Päihdeasia", "sensitive": true}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let nurse = w.sign_in(&[Role::Coach, Role::Sensitive]).await;
    let (status, _) = nurse
        .write_diary(id, &json!({"body": "Päihdeasia", "sensitive": true}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, theirs) = nurse.get(&format!("{base}/diary")).await;
    let (_, mine) = coach.get(&format!("{base}/diary")).await;
    assert_eq!(theirs["items"].as_array().unwrap().len(), 2);
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    assert!(!mine.to_string().contains("Päihde"));
    let (_, client_diary) = coach
        .get(&format!("/api/v1/clients/{client}/diary?q=korjaus"))
        .await;
    assert_eq!(
        client_diary["items"].as_array().unwrap().len(),
        1,
        "{client_diary}"
    );
}

#[tokio::test]
async fn the_attention_list_shows_reviews_ends_and_missing_statements_and_clients_filter_by_service_type() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let long_ago = today() - Months::new(24) - Days::new(3);
    let old = coach
        .period(
            client,
            &json!({"service_type": "ktt", "starts_on": long_ago, "unit_id": w.org.unit_id,
                             "days_per_week": 3, "hours_per_day": 6}),
        )
        .await;
    assert_eq!(warning_codes(&old), vec!["ktt_activation_plan_review"]);
    let ending = coach
        .period(
            client,
            &json!({"service_type": "coaching", "starts_on": today() - Days::new(60),
                             "planned_end_on": today() + Days::new(7), "unit_id": w.org.unit_id}),
        )
        .await;
    let (status, items) = coach.get("/api/v1/periods/attention").await;
    assert_eq!(status, StatusCode::OK);
    let mut got: Vec<(String, String)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["period_id"].as_str().unwrap().to_owned(),
                i["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    got.sort();
    let mut expected = vec![
        (
            old["id"].as_str().unwrap().to_owned(),
            "activation_plan_review".to_owned(),
        ),
        (
            ending["id"].as_str().unwrap().to_owned(),
            "ending_soon".to_owned(),
        ),
        (
            ending["id"].as_str().unwrap().to_owned(),
            "final_statement_missing".to_owned(),
        ),
    ];
    expected.sort();
    assert_eq!(got, expected);

    // Another unit's coach sees none of it; the client list filters by service type.
    let other = w.sign_in_at(&[Role::Coach], &[w.org.other_unit_id]).await;
    let (_, theirs) = other.get("/api/v1/periods/attention").await;
    assert_eq!(theirs, json!([]));
    let (_, periods) = other.get("/api/v1/periods").await;
    assert_eq!(periods["items"], json!([]));
    let (_, mine) = coach.get("/api/v1/periods?ending_within_days=14").await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let other_client = coach.client(w.org.unit_id, "Eijaksoa").await;
    for (service_type, expected) in [
        ("ktt", vec![client]),
        ("coaching", vec![client]),
        ("workshop", vec![]),
    ] {
        let (status, page) = coach
            .get(&format!("/api/v1/clients?service_type={service_type}&limit=200"))
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let ids: Vec<Uuid> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().parse().unwrap())
            .collect();
        assert_eq!(ids, expected, "{service_type}");
        assert!(!ids.contains(&other_client));
    }
}

#[tokio::test]
async fn the_admin_keeps_the_organisations_code_lists_and_instruments() {
    let w = world().await;
    let client = w.client();
    let coach = w.coach();
    let admin = w.sign_in(&[Role::Admin]).await;
    let (_, types) = coach.get("/api/v1/code-lists/service_type").await;
    let codes: Vec<&str> = types
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec![
            "ktt",
            "work_trial",
            "wage_subsidy",
            "coaching",
            "workshop",
            "integration_training",
            "kela_rehabilitation"
        ]
    );
    let (status, added) = admin
        .post(
            "/api/v1/code-lists/service_type",
            &json!({"code": "summer_jobs", "name_fi": "Kesätyöt", "name_sv": "Sommarjobb",
                    "name_en": "Summer jobs"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let (status, _) = admin
        .post(
            "/api/v1/code-lists/service_type",
            &json!({"code": "summer_jobs", "name_fi": "X", "name_sv": "X", "name_en": "X"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let mut period = ktt_period(w.org.unit_id);
    period["service_type"] = json!("summer_jobs");
    let opened = coach.period(client, &period).await;
    assert_eq!(opened["warnings"], json!([]), "KTT rules apply only to KTT types");
    let (status, _) = admin
        .send(
            Method::PATCH,
            "/api/v1/code-lists/service_type/summer_jobs",
            &json!({"active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = coach.open_period(client, &period).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a retired type is not offered: {problem}"
    );
    let (status, instrument) = admin
        .post(
            "/api/v1/assessment-instruments",
            &json!({"code": "digital_skills", "name_fi": "Digitaidot", "name_sv": "Digitala färdigheter",
                      "name_en": "Digital skills",
                      "criteria": [{"name_fi": "Sähköposti", "name_sv": "E-post", "name_en": "Email",
                                    "scale_min": 0, "scale_max": 3}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{instrument}");
    assert_eq!(
        coach.instrument("digital_skills").await["criteria"][0]["scale_max"],
        3
    );
    // Another organisation sees only its own lists.
    let other = w.app.organisation("Toinen").await;
    let their = w.app.session(&w.app.user(&other, &[Role::Coach]).await).await;
    let (_, theirs) = w
        .app
        .get_as(&their.access_token, "/api/v1/code-lists/service_type")
        .await;
    assert_eq!(theirs.as_array().unwrap().len(), 7);
    let (_, instruments) = w
        .app
        .get_as(&their.access_token, "/api/v1/assessment-instruments")
        .await;
    assert_eq!(instruments.as_array().unwrap().len(), 4);
}
