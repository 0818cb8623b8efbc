//! Request and response types of periods and everything documented in them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::domain::codes::nullable;

code_list! {
    /// A configurable code list of the organisation.
    CodeList {
        /// Service types of periods.
        ServiceType => "service_type",
        /// Referrers of periods.
        Referrer => "referrer",
        /// Sub-codes of outcomes.
        Outcome => "outcome",
    }
}

code_list! {
    /// Individual or group activity.
    PeriodMode {
        /// Individual.
        Individual => "individual",
        /// Group.
        Group => "group",
    }
}

code_list! {
    /// Where the client went after the period.
    Outcome {
        /// Education.
        Education => "education",
        /// Work.
        Work => "work",
        /// Other guided activity.
        OtherActivity => "other_activity",
        /// Negative (dropped out, no placement).
        Negative => "negative",
        /// Not known.
        Unknown => "unknown",
    }
}

code_list! {
    /// Status of a goal.
    GoalStatus {
        /// Not started.
        Open => "open",
        /// Being worked on.
        InProgress => "in_progress",
        /// Achieved.
        Achieved => "achieved",
        /// Dropped.
        Dropped => "dropped",
    }
}

code_list! {
    /// Work or activity agreement.
    AgreementKind {
        /// Work agreement (työsopimus-like placement).
        Work => "work",
        /// Activity agreement (toimintasopimus).
        Activity => "activity",
    }
}

code_list! {
    /// State of an agreement.
    AgreementState {
        /// Being drafted.
        Draft => "draft",
        /// Signed by the parties.
        Signed => "signed",
        /// Ended.
        Ended => "ended",
    }
}

code_list! {
    /// Who assessed.
    Assessor {
        /// The coach.
        Coach => "coach",
        /// The client (self-assessment).
        Client => "client",
    }
}

/// One value of a code list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeValueResponse {
    /// List.
    pub list: CodeList,
    /// Code.
    pub code: String,
    /// Outcome class of an outcome sub-code.
    pub parent_code: Option<Outcome>,
    /// Name in Finnish.
    pub name_fi: String,
    /// Name in Swedish.
    pub name_sv: String,
    /// Name in English.
    pub name_en: String,
    /// A service type under the rules of rehabilitative work activity.
    pub ktt_rules: bool,
    /// One of the national values (seeded).
    pub national: bool,
    /// Offered for new records.
    pub active: bool,
    /// Order in lists.
    pub position: i32,
}

/// A new value of a code list (the organisation's own).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCodeValueRequest {
    /// Code: lower-case letters, digits and `_`, starting with a letter (at most 64).
    pub code: String,
    /// Outcome class (outcome sub-codes only).
    pub parent_code: Option<Outcome>,
    /// Name in Finnish.
    pub name_fi: String,
    /// Name in Swedish.
    pub name_sv: String,
    /// Name in English.
    pub name_en: String,
    /// Service types only: the rules of rehabilitative work activity apply.
    #[serde(default)]
    pub ktt_rules: bool,
    /// Order in lists.
    pub position: Option<i32>,
}

/// Changes to a code value: names, order, whether it is offered.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCodeValueRequest {
    /// Name in Finnish.
    pub name_fi: Option<String>,
    /// Name in Swedish.
    pub name_sv: Option<String>,
    /// Name in English.
    pub name_en: Option<String>,
    /// Offered for new records.
    pub active: Option<bool>,
    /// Order in lists.
    pub position: Option<i32>,
}

/// One labelled step of a criterion's scale.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleStep {
    /// The score.
    pub value: i16,
    /// Label in Finnish.
    pub fi: String,
    /// Label in Swedish.
    pub sv: String,
    /// Label in English.
    pub en: String,
}

/// A criterion of an instrument.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionResponse {
    /// Id.
    pub id: Uuid,
    /// Order.
    pub position: i32,
    /// Name in Finnish.
    pub name_fi: String,
    /// Name in Swedish.
    pub name_sv: String,
    /// Name in English.
    pub name_en: String,
    /// Lowest score.
    pub scale_min: i16,
    /// Highest score.
    pub scale_max: i16,
    /// Labelled steps.
    pub steps: Vec<ScaleStep>,
}

/// An assessment instrument: a named set of criteria.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstrumentResponse {
    /// Id.
    pub id: Uuid,
    /// Code.
    pub code: String,
    /// Name in Finnish.
    pub name_fi: String,
    /// Name in Swedish.
    pub name_sv: String,
    /// Name in English.
    pub name_en: String,
    /// Offered for new assessments.
    pub active: bool,
    /// Criteria in order.
    pub criteria: Vec<CriterionResponse>,
}

/// A criterion of a new instrument.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCriterion {
    /// Name in Finnish.
    pub name_fi: String,
    /// Name in Swedish.
    pub name_sv: String,
    /// Name in English.
    pub name_en: String,
    /// Lowest score.
    pub scale_min: i16,
    /// Highest score.
    pub scale_max: i16,
    /// Labelled steps (optional; values within the scale).
    #[serde(default)]
    pub steps: Vec<ScaleStep>,
}

/// A new instrument.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInstrumentRequest {
    /// Code.
    pub code: String,
    /// Name in Finnish.
    pub name_fi: String,
    /// Name in Swedish.
    pub name_sv: String,
    /// Name in English.
    pub name_en: String,
    /// Criteria (1–30).
    pub criteria: Vec<CreateCriterion>,
}

/// A warning about a period's schedule or duration: saved, but worth a look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RuleWarning {
    /// Stable code the UI translates, e.g. `ktt_days_per_week`.
    pub code: &'static str,
    /// The field concerned.
    pub field: &'static str,
    /// Explanation in English.
    pub message: String,
}

/// A new period.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePeriodRequest {
    /// Service type (code of the organisation's list).
    pub service_type: String,
    /// Notification date.
    pub notified_on: Option<NaiveDate>,
    /// Start.
    pub starts_on: NaiveDate,
    /// Planned end.
    pub planned_end_on: Option<NaiveDate>,
    /// Referrer (code of the organisation's list).
    pub referrer: Option<String>,
    /// Unit.
    pub unit_id: Uuid,
    /// Workplace.
    pub workplace: Option<String>,
    /// Responsible coach.
    pub coach_id: Option<Uuid>,
    /// Individual or group (default individual).
    pub mode: Option<PeriodMode>,
    /// Planned days per week (1–7).
    pub days_per_week: Option<i16>,
    /// Planned hours per day (0.25–24).
    pub hours_per_day: Option<f64>,
    /// Planned ISO weekdays (1 = Monday … 7 = Sunday).
    #[serde(default)]
    pub weekdays: Vec<i16>,
}

/// Changes to a period (`If-Match`): absent fields stay, `null` clears.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePeriodRequest {
    /// Service type.
    pub service_type: Option<String>,
    /// Notification date.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub notified_on: Option<Option<NaiveDate>>,
    /// Start.
    pub starts_on: Option<NaiveDate>,
    /// Planned end.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub planned_end_on: Option<Option<NaiveDate>>,
    /// Referrer.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub referrer: Option<Option<String>>,
    /// Unit.
    pub unit_id: Option<Uuid>,
    /// Workplace.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub workplace: Option<Option<String>>,
    /// Responsible coach.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub coach_id: Option<Option<Uuid>>,
    /// Individual or group.
    pub mode: Option<PeriodMode>,
    /// Planned days per week.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i16>)]
    pub days_per_week: Option<Option<i16>>,
    /// Planned hours per day.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>)]
    pub hours_per_day: Option<Option<f64>>,
    /// Planned ISO weekdays.
    pub weekdays: Option<Vec<i16>>,
    /// Why the period is corrected (kept in the rectification history).
    pub reason: Option<String>,
}

/// Ending a period.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosePeriodRequest {
    /// Last day.
    pub ends_on: NaiveDate,
    /// Where the client went.
    pub outcome: Outcome,
    /// Sub-code of the outcome (the organisation's list).
    pub outcome_code: Option<String>,
    /// Closing note (at most 4,000 characters).
    pub closing_note: Option<String>,
}

/// A period.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodResponse {
    /// Id.
    pub id: Uuid,
    /// Client.
    pub client_id: Uuid,
    /// Service type code.
    pub service_type: String,
    /// Notification date.
    pub notified_on: Option<NaiveDate>,
    /// Start.
    pub starts_on: NaiveDate,
    /// Planned end.
    pub planned_end_on: Option<NaiveDate>,
    /// End.
    pub ends_on: Option<NaiveDate>,
    /// Referrer code.
    pub referrer: Option<String>,
    /// Unit.
    pub unit_id: Uuid,
    /// Workplace.
    pub workplace: Option<String>,
    /// Responsible coach.
    pub coach_id: Option<Uuid>,
    /// Individual or group.
    pub mode: PeriodMode,
    /// Planned days per week.
    pub days_per_week: Option<i16>,
    /// Planned hours per day.
    pub hours_per_day: Option<f64>,
    /// Planned ISO weekdays.
    pub weekdays: Vec<i16>,
    /// Outcome.
    pub outcome: Option<Outcome>,
    /// Outcome sub-code.
    pub outcome_code: Option<String>,
    /// Closing note.
    pub closing_note: Option<String>,
    /// Rule warnings (kuntouttava työtoiminta).
    pub warnings: Vec<RuleWarning>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version for `If-Match`.
    pub version: i32,
}

/// A period in a list, with its client's name.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodListItem {
    /// Client's name.
    pub client_name: String,
    /// The period.
    pub period: PeriodResponse,
}

/// Filters of the period lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeriodListParams {
    /// Only periods whose responsible coach is the caller.
    #[serde(default)]
    pub mine: bool,
    /// Only periods of this unit.
    pub unit_id: Option<Uuid>,
    /// Only periods of this service type.
    pub service_type: Option<String>,
    /// Only periods not ended (default true).
    pub active: Option<bool>,
    /// Only periods whose planned end is within this many days (1–365).
    pub ending_within_days: Option<i64>,
    /// Items per page (1–200, default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

/// Filters of the attention list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AttentionParams {
    /// Only periods whose responsible coach is the caller.
    #[serde(default)]
    pub mine: bool,
    /// Only periods of this unit.
    pub unit_id: Option<Uuid>,
}

code_list! {
    /// Why a period needs attention.
    AttentionReason {
        /// The planned end is within 14 days.
        EndingSoon => "ending_soon",
        /// A KTT period reaches 24 months: the activation plan must be reviewed.
        ActivationPlanReview => "activation_plan_review",
        /// Ended, or ending within 14 days, without a final statement.
        FinalStatementMissing => "final_statement_missing",
    }
}

/// A period that needs attention.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttentionItem {
    /// Period.
    pub period_id: Uuid,
    /// Client.
    pub client_id: Uuid,
    /// Client's name.
    pub client_name: String,
    /// Service type.
    pub service_type: String,
    /// Why.
    pub reason: AttentionReason,
    /// By when.
    pub due_on: NaiveDate,
}

/// A new goal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGoalRequest {
    /// Title (1–300 characters).
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Status (default open).
    pub status: Option<GoalStatus>,
    /// Position in the list (default last).
    pub position: Option<i32>,
}

/// Changes to a goal (`If-Match`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateGoalRequest {
    /// Title.
    pub title: Option<String>,
    /// Description.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// Status.
    pub status: Option<GoalStatus>,
    /// Position.
    pub position: Option<i32>,
    /// Why the goal is corrected.
    pub reason: Option<String>,
}

/// A follow-up note of a goal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFollowUpRequest {
    /// Date (default today; not in the future).
    pub noted_on: Option<NaiveDate>,
    /// Note (1–4,000 characters).
    pub note: String,
}

/// A follow-up note.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpResponse {
    /// Id.
    pub id: Uuid,
    /// Date.
    pub noted_on: NaiveDate,
    /// Note.
    pub note: String,
    /// Author.
    pub author_id: Option<Uuid>,
    /// Recorded.
    pub created_at: DateTime<Utc>,
}

/// A goal with its follow-up notes.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalResponse {
    /// Id.
    pub id: Uuid,
    /// Period.
    pub period_id: Uuid,
    /// Position.
    pub position: i32,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Status.
    pub status: GoalStatus,
    /// Follow-up notes, oldest first.
    pub follow_ups: Vec<FollowUpResponse>,
    /// Version for `If-Match`.
    pub version: i32,
}

/// A new diary entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDiaryEntryRequest {
    /// Date (default today; not after today).
    pub entry_date: Option<NaiveDate>,
    /// Text (1–20,000 characters).
    pub body: String,
    /// Special-category content (health, substance use): needs the sensitive grant,
    /// stored encrypted, shown only to those with the grant.
    #[serde(default)]
    pub sensitive: bool,
}

/// Changes to a diary entry (`If-Match`). The author edits freely within the
/// organisation's edit window; after it, a change is a correction and needs a reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDiaryEntryRequest {
    /// Date.
    pub entry_date: Option<NaiveDate>,
    /// Text.
    pub body: Option<String>,
    /// Why the entry is corrected (required after the edit window, or for another
    /// author's entry).
    pub reason: Option<String>,
    /// Mark (`true`) or unmark (`false`) the entry as special-category content (health,
    /// substance use): needs the sensitive grant; a sensitive entry's text is stored only
    /// encrypted. Under the same edit-window rule as the text.
    pub sensitive: Option<bool>,
}

/// A diary entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiaryEntryResponse {
    /// Id.
    pub id: Uuid,
    /// Period.
    pub period_id: Uuid,
    /// Date.
    pub entry_date: NaiveDate,
    /// Text.
    pub body: String,
    /// Special-category content.
    pub sensitive: bool,
    /// Author.
    pub author_id: Option<Uuid>,
    /// The author's name.
    pub author_name: Option<String>,
    /// Written.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Until when the author may still edit it freely.
    pub editable_until: DateTime<Utc>,
    /// Version for `If-Match`.
    pub version: i32,
}

/// Filters of a diary.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DiaryParams {
    /// From this date.
    pub from: Option<NaiveDate>,
    /// Until this date.
    pub to: Option<NaiveDate>,
    /// Words to search for (every word must occur; Finnish stemming). Sensitive entries
    /// are stored only encrypted and are never found by words, only listed.
    pub q: Option<String>,
    /// Reason for opening another unit's client.
    pub access_reason: Option<String>,
    /// Items per page (1–200, default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

/// A new agreement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAgreementRequest {
    /// Work or activity agreement.
    pub kind: AgreementKind,
    /// The organisation's contact person.
    pub organisation_contact: Option<String>,
    /// Workplace.
    pub workplace: Option<String>,
    /// Workplace contact person.
    pub workplace_contact: Option<String>,
    /// Tasks.
    pub tasks: Option<String>,
    /// Schedule (e.g. "ma–to 8–14").
    pub schedule: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Insurance note.
    pub insurance_note: Option<String>,
    /// From.
    pub starts_on: Option<NaiveDate>,
    /// Until.
    pub ends_on: Option<NaiveDate>,
}

/// Changes to an agreement (`If-Match`); a signed agreement can only be ended.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAgreementRequest {
    /// The organisation's contact person.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub organisation_contact: Option<Option<String>>,
    /// Workplace.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub workplace: Option<Option<String>>,
    /// Workplace contact person.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub workplace_contact: Option<Option<String>>,
    /// Tasks.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub tasks: Option<Option<String>>,
    /// Schedule.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub schedule: Option<Option<String>>,
    /// Place.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub place: Option<Option<String>>,
    /// Insurance note.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub insurance_note: Option<Option<String>>,
    /// From.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub starts_on: Option<Option<NaiveDate>>,
    /// Until.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub ends_on: Option<Option<NaiveDate>>,
    /// New state: `signed` (with `signed_on`) or `ended` (with `ended_on` and
    /// `end_reason`).
    pub state: Option<AgreementState>,
    /// Date of signing.
    pub signed_on: Option<NaiveDate>,
    /// Date a signed agreement ends (not before it was signed); with `state: ended`.
    pub ended_on: Option<NaiveDate>,
    /// Why a signed agreement ends (1–500 characters); with `state: ended`.
    pub end_reason: Option<String>,
}

/// An agreement.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementResponse {
    /// Id.
    pub id: Uuid,
    /// Period.
    pub period_id: Uuid,
    /// Kind.
    pub kind: AgreementKind,
    /// The organisation's contact person.
    pub organisation_contact: Option<String>,
    /// Workplace.
    pub workplace: Option<String>,
    /// Workplace contact person.
    pub workplace_contact: Option<String>,
    /// Tasks.
    pub tasks: Option<String>,
    /// Schedule.
    pub schedule: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Insurance note.
    pub insurance_note: Option<String>,
    /// From.
    pub starts_on: Option<NaiveDate>,
    /// Until.
    pub ends_on: Option<NaiveDate>,
    /// Signed on.
    pub signed_on: Option<NaiveDate>,
    /// State.
    pub state: AgreementState,
    /// Ended on (agreements ended before the date was recorded have none).
    pub ended_on: Option<NaiveDate>,
    /// Why it ended.
    pub end_reason: Option<String>,
    /// Version for `If-Match`.
    pub version: i32,
}

/// A score for one criterion.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// Criterion.
    pub criterion_id: Uuid,
    /// Score on the criterion's scale.
    pub score: i16,
}

/// A new assessment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAssessmentRequest {
    /// Instrument.
    pub instrument_id: Uuid,
    /// Date (default today; not in the future).
    pub assessed_on: Option<NaiveDate>,
    /// The coach's assessment or the client's self-assessment (default coach).
    pub assessor: Option<Assessor>,
    /// One score per criterion (all of the instrument's criteria).
    pub scores: Vec<Score>,
    /// Free text (at most 4,000 characters).
    pub notes: Option<String>,
}

/// An assessment.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentResponse {
    /// Id.
    pub id: Uuid,
    /// Period.
    pub period_id: Uuid,
    /// Instrument.
    pub instrument_id: Uuid,
    /// Date.
    pub assessed_on: NaiveDate,
    /// Who assessed.
    pub assessor: Assessor,
    /// Scores.
    pub scores: Vec<Score>,
    /// Free text.
    pub notes: Option<String>,
    /// Recorded by.
    pub created_by: Option<Uuid>,
}

/// `?instrument_id=` of the chart.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ChartParams {
    /// Instrument.
    pub instrument_id: Uuid,
    /// Reason for opening another unit's client.
    pub access_reason: Option<String>,
}

/// One point of a chart line.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChartPoint {
    /// Date.
    pub date: NaiveDate,
    /// Score.
    pub score: i16,
    /// Who assessed.
    pub assessor: Assessor,
}

/// One line of the chart: a criterion's scores over time.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChartSeries {
    /// Criterion.
    pub criterion_id: Uuid,
    /// Name in Finnish.
    pub name_fi: String,
    /// Name in Swedish.
    pub name_sv: String,
    /// Name in English.
    pub name_en: String,
    /// Lowest score.
    pub scale_min: i16,
    /// Highest score.
    pub scale_max: i16,
    /// Points in date order.
    pub points: Vec<ChartPoint>,
}

/// A period's scores on one instrument over time, ready for a line chart.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentChart {
    /// Instrument.
    pub instrument_id: Uuid,
    /// One line per criterion.
    pub series: Vec<ChartSeries>,
}

/// Everything of a period's page at once.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodPage {
    /// The period.
    pub period: PeriodResponse,
    /// Goals with follow-ups.
    pub goals: Vec<GoalResponse>,
    /// The latest 20 diary entries (those the caller may see).
    pub diary: Vec<DiaryEntryResponse>,
    /// Assessments, oldest first.
    pub assessments: Vec<AssessmentResponse>,
}
