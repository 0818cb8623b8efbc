//! Request and response types of interim reports and final statements.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

code_list! {
    /// Interim report or final statement.
    ReportKind {
        /// Interim report (väliraportti).
        Interim => "interim",
        /// Final statement (loppulausunto).
        Final => "final",
    }
}

code_list! {
    /// State of a report version.
    ReportState {
        /// Being written.
        Draft => "draft",
        /// Finalised and locked.
        Final => "final",
    }
}

/// The sections of a report.
#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSections {
    /// Situation at the start.
    pub situation_at_start: Option<String>,
    /// Goals and their achievement.
    pub goals_summary: Option<String>,
    /// Attendance summary.
    pub attendance_summary: Option<String>,
    /// Assessment summary.
    pub assessment_summary: Option<String>,
    /// Recommendation and next steps.
    pub recommendation: Option<String>,
    /// Outcome.
    pub outcome_summary: Option<String>,
}

/// A new report (its first version, a draft). Sections not given are pre-filled from
/// the period's goals and assessments.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReportRequest {
    /// Interim report or final statement.
    pub kind: ReportKind,
    /// Sections.
    #[serde(default)]
    pub sections: ReportSections,
}

/// Changes to a draft (`If-Match`); a final version cannot change (409).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateReportRequest {
    /// Sections to replace (absent ones stay).
    pub sections: ReportSections,
}

/// A report version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportResponse {
    /// Id of this version.
    pub id: Uuid,
    /// Period.
    pub period_id: Uuid,
    /// Kind.
    pub kind: ReportKind,
    /// Id shared by every version of the report.
    pub series_id: Uuid,
    /// Version number (1, 2, …).
    pub version_no: i32,
    /// The version this one was made from.
    pub previous_id: Option<Uuid>,
    /// Draft or final.
    pub state: ReportState,
    /// Sections.
    pub sections: ReportSections,
    /// Finalised.
    pub finalised_at: Option<DateTime<Utc>>,
    /// Finalised by.
    pub finalised_by: Option<Uuid>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version for `If-Match`.
    pub version: i32,
}
