//! The allowance report's query: KTT periods' days present and payable in a month, and
//! the organisation's rate and the receiving integrator's name.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::attendance::api::AllowanceRow;
use crate::schema::{api_clients, organisations};

/// Days a week an allowance is paid for at most.
const DAYS_PER_WEEK: i64 = 5;

#[derive(Debug, QueryableByName)]
struct Row {
    #[diesel(sql_type = SqlUuid)]
    client_id: Uuid,
    #[diesel(sql_type = Text)]
    last_name: String,
    #[diesel(sql_type = Text)]
    first_names: String,
    #[diesel(sql_type = SqlUuid)]
    period_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    unit_id: Uuid,
    #[diesel(sql_type = Text)]
    service_type: String,
    #[diesel(sql_type = BigInt)]
    participation_days: i64,
    #[diesel(sql_type = BigInt)]
    payable_days: i64,
}

/// Days present count from the Monday of the month's first ISO week, so a week that began
/// in the previous month counts its earlier days first; each client's day counts once (for
/// the period with the smallest id), and the first five of an ISO week are payable.
const REPORT: &str = "
WITH scope AS (
    SELECT p.id, p.client_id, p.unit_id, p.service_type
    FROM periods p
    WHERE p.starts_on <= $2 AND (p.ends_on IS NULL OR p.ends_on >= date_trunc('week', $1::date)::date)
      AND ($3::uuid IS NULL OR p.unit_id = $3)
      AND p.service_type IN (SELECT v.code FROM code_values v WHERE v.list = 'service_type' AND v.ktt_rules)
), present AS (
    SELECT a.client_id, a.period_id, a.on_date
    FROM attendance a JOIN scope s ON s.id = a.period_id
    WHERE a.on_date BETWEEN date_trunc('week', $1::date)::date AND $2 AND a.status = 'present'
), days AS (
    SELECT DISTINCT ON (client_id, on_date) client_id, on_date, period_id
    FROM present
    ORDER BY client_id, on_date, period_id
), ranked AS (
    SELECT period_id, on_date,
           row_number() OVER (PARTITION BY client_id, date_trunc('week', on_date) ORDER BY on_date) AS n
    FROM days
), paid AS (
    SELECT period_id, count(*) FILTER (WHERE n <= $4) AS payable_days
    FROM ranked WHERE on_date >= $1 GROUP BY period_id
), participation AS (
    SELECT period_id, count(*) AS participation_days
    FROM present WHERE on_date >= $1 GROUP BY period_id
)
SELECT s.client_id, c.last_name, c.first_names, s.id AS period_id, s.unit_id, s.service_type,
       pa.participation_days, coalesce(pd.payable_days, 0) AS payable_days
FROM participation pa
JOIN scope s ON s.id = pa.period_id
JOIN clients c ON c.id = s.client_id
LEFT JOIN paid pd ON pd.period_id = pa.period_id
ORDER BY c.last_name, c.first_names, s.id";

/// The report's rows for the month `first`–`last` (of one unit, or all), priced at
/// `rate_cents` a payable day.
pub async fn compute(
    conn: &mut AsyncPgConnection,
    (first, last): (NaiveDate, NaiveDate),
    unit: Option<Uuid>,
    rate_cents: i64,
) -> QueryResult<Vec<AllowanceRow>> {
    let rows: Vec<Row> = diesel::sql_query(REPORT)
        .bind::<Date, _>(first)
        .bind::<Date, _>(last)
        .bind::<Nullable<SqlUuid>, _>(unit)
        .bind::<BigInt, _>(DAYS_PER_WEEK)
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| AllowanceRow {
            client_id: r.client_id,
            last_name: r.last_name,
            first_names: r.first_names,
            period_id: r.period_id,
            unit_id: r.unit_id,
            service_type: r.service_type,
            participation_days: r.participation_days,
            payable_days: r.payable_days,
            rate_cents,
            total_cents: r.payable_days.saturating_mul(rate_cents),
        })
        .collect())
}

/// The organisation's allowance per payable day, in cents.
pub async fn rate_cents(conn: &mut AsyncPgConnection, organisation: Uuid) -> QueryResult<i32> {
    organisations::table
        .find(organisation)
        .select(organisations::allowance_rate_cents)
        .first(conn)
        .await
}

/// The name of the API client the report is disclosed to.
pub async fn api_client_name(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<String> {
    api_clients::table
        .find(id)
        .select(api_clients::name)
        .first(conn)
        .await
}
