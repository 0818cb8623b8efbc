//! The code lists' and assessment instruments' rows and queries.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::periods::api::{CodeList, Outcome};
use crate::schema::{assessment_criteria as criteria, assessment_instruments as instruments, code_values};

/// A stored code value.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = code_values, check_for_backend(diesel::pg::Pg))]
pub struct CodeRow {
    /// Tenant.
    pub organisation_id: Uuid,
    /// List.
    pub list: CodeList,
    /// Code.
    pub code: String,
    /// Outcome class.
    pub parent_code: Option<Outcome>,
    /// Finnish.
    pub name_fi: String,
    /// Swedish.
    pub name_sv: String,
    /// English.
    pub name_en: String,
    /// KTT rules apply.
    pub ktt_rules: bool,
    /// National value.
    pub national: bool,
    /// Offered.
    pub active: bool,
    /// Order.
    pub position: i32,
}

/// A stored instrument.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = instruments, check_for_backend(diesel::pg::Pg))]
pub struct InstrumentRow {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Code.
    pub code: String,
    /// Finnish.
    pub name_fi: String,
    /// Swedish.
    pub name_sv: String,
    /// English.
    pub name_en: String,
    /// Offered.
    pub active: bool,
}

/// A stored criterion.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = criteria, check_for_backend(diesel::pg::Pg))]
pub struct CriterionRow {
    /// Id.
    pub id: Uuid,
    /// Tenant.
    pub organisation_id: Uuid,
    /// Instrument.
    pub instrument_id: Uuid,
    /// Order.
    pub position: i32,
    /// Finnish.
    pub name_fi: String,
    /// Swedish.
    pub name_sv: String,
    /// English.
    pub name_en: String,
    /// Lowest.
    pub scale_min: i16,
    /// Highest.
    pub scale_max: i16,
    /// Labelled steps.
    pub steps: serde_json::Value,
}

/// The value `code` of `list` (also a retired one).
pub async fn find_code(
    conn: &mut AsyncPgConnection,
    list: CodeList,
    code: &str,
) -> QueryResult<Option<CodeRow>> {
    code_values::table
        .filter(code_values::list.eq(list.as_str()))
        .filter(code_values::code.eq(code))
        .select(CodeRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The value `code` of `list`, locked for a change.
pub async fn find_code_for_update(
    conn: &mut AsyncPgConnection,
    list: CodeList,
    code: &str,
) -> QueryResult<Option<CodeRow>> {
    code_values::table
        .filter(code_values::list.eq(list.as_str()))
        .filter(code_values::code.eq(code))
        .select(CodeRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Whether the service type `code` follows the KTT rules.
pub async fn is_ktt(conn: &mut AsyncPgConnection, code: &str) -> QueryResult<bool> {
    code_values::table
        .filter(code_values::list.eq(CodeList::ServiceType.as_str()))
        .filter(code_values::code.eq(code))
        .select(code_values::ktt_rules)
        .first(conn)
        .await
        .optional()
        .map(|found| found.unwrap_or(false))
}

/// The organisation's service types that follow the KTT rules.
pub async fn ktt_types(conn: &mut AsyncPgConnection) -> QueryResult<Vec<String>> {
    code_values::table
        .filter(code_values::list.eq(CodeList::ServiceType.as_str()))
        .filter(code_values::ktt_rules.eq(true))
        .select(code_values::code)
        .load(conn)
        .await
}

/// The values of a code list, in order.
pub async fn codes_of(conn: &mut AsyncPgConnection, list: CodeList) -> QueryResult<Vec<CodeRow>> {
    code_values::table
        .filter(code_values::list.eq(list.as_str()))
        .order((code_values::position, code_values::code))
        .select(CodeRow::as_select())
        .load(conn)
        .await
}

/// Adds a code value.
pub async fn insert_code(conn: &mut AsyncPgConnection, row: &CodeRow) -> QueryResult<CodeRow> {
    diesel::insert_into(code_values::table)
        .values(row)
        .returning(CodeRow::as_returning())
        .get_result(conn)
        .await
}

/// Writes the value `code` of `list` as `row`.
pub async fn update_code(
    conn: &mut AsyncPgConnection,
    list: CodeList,
    code: &str,
    row: &CodeRow,
) -> QueryResult<CodeRow> {
    diesel::update(code_values::table)
        .filter(code_values::list.eq(list.as_str()))
        .filter(code_values::code.eq(code))
        .set(row)
        .returning(CodeRow::as_returning())
        .get_result(conn)
        .await
}

/// The organisation's instruments, oldest first.
pub async fn instruments(conn: &mut AsyncPgConnection) -> QueryResult<Vec<InstrumentRow>> {
    instruments::table
        .order((instruments::created_at, instruments::code))
        .select(InstrumentRow::as_select())
        .load(conn)
        .await
}

/// The criteria of every instrument, by instrument and in order.
pub async fn all_criteria(conn: &mut AsyncPgConnection) -> QueryResult<Vec<CriterionRow>> {
    criteria::table
        .order((criteria::instrument_id, criteria::position))
        .select(CriterionRow::as_select())
        .load(conn)
        .await
}

/// The criteria of an instrument, in order.
pub async fn criteria_of(conn: &mut AsyncPgConnection, instrument: Uuid) -> QueryResult<Vec<CriterionRow>> {
    criteria::table
        .filter(criteria::instrument_id.eq(instrument))
        .order(criteria::position)
        .select(CriterionRow::as_select())
        .load(conn)
        .await
}

/// An instrument of the organisation.
pub async fn find_instrument(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<InstrumentRow>> {
    instruments::table
        .find(id)
        .select(InstrumentRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Adds an instrument with its criteria.
pub async fn insert_instrument(
    conn: &mut AsyncPgConnection,
    instrument: &InstrumentRow,
    rows: &[CriterionRow],
) -> QueryResult<()> {
    diesel::insert_into(instruments::table)
        .values(instrument)
        .execute(conn)
        .await?;
    diesel::insert_into(criteria::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}
