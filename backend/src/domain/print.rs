//! Printable pages (HTML that a browser prints to a clean A4 page) in Finnish, Swedish or
//! English: the one way every area prints — the `?lang=` parameter, the language chosen,
//! the words picked, the shared document template for agreements and reports, rendering,
//! and the response (`no-store`: a printed page holds client data).

use actix_web::HttpResponse;
use actix_web::http::header;
use askama::Template;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::codes::Language;
use crate::error::ApiError;

/// `?lang=` of a printable page.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PrintParams {
    /// Language (default: the client's language of service).
    pub lang: Option<Language>,
}

/// The language a page prints in: the one asked for, else the client's language of
/// service.
pub fn language(asked: Option<Language>, client_language: Language) -> Language {
    asked.unwrap_or(client_language)
}

/// The words of `language` (Finnish for another language: the page is for staff too).
pub fn pick(language: Language, fi: &'static str, sv: &'static str, en: &'static str) -> &'static str {
    match language {
        Language::Sv => sv,
        Language::En => en,
        Language::Fi | Language::Other => fi,
    }
}

/// A headed section of a document.
#[derive(Debug)]
pub struct Section {
    heading: &'static str,
    paragraphs: Vec<String>,
}

/// A signed document of a period (an agreement, a report): a title, facts, sections and
/// signature lines.
#[derive(Debug, Template)]
#[template(path = "period_document.html")]
pub struct Document<'a> {
    /// `lang` of the page.
    pub lang: &'static str,
    /// Title.
    pub title: String,
    /// Label and value pairs under the title.
    pub facts: Vec<(&'static str, String)>,
    /// The body.
    pub sections: Vec<Section>,
    /// Signature lines.
    pub signatures: Vec<&'static str>,
    /// Footer text.
    pub footer: &'a str,
}

/// The `lang` attribute of a page in `language`.
pub fn lang_code(language: Language) -> &'static str {
    pick(language, "fi", "sv", "en")
}

/// A date the Finnish way (`3.12.2026`), empty when there is none.
pub fn date(value: Option<chrono::NaiveDate>) -> String {
    value
        .map(|d| d.format("%-d.%-m.%Y").to_string())
        .unwrap_or_default()
}

/// A section of `text` split into paragraphs at blank lines; none for empty text.
pub fn section(heading: &'static str, text: Option<&str>) -> Option<Section> {
    let text = text?.trim();
    (!text.is_empty()).then(|| Section {
        heading,
        paragraphs: text.split("\n\n").map(str::to_owned).collect(),
    })
}

/// Renders a template (text is escaped by the template engine).
pub fn render(page: &impl Template, what: &'static str) -> Result<String, ApiError> {
    page.render()
        .map_err(|error| ApiError::Internal(anyhow::Error::new(error).context(what)))
}

/// The response of a printable page.
pub fn page(html: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html)
}
