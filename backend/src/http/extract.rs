//! Extractor configuration: every malformed body, path or query goes through [`ApiError`]
//! so that clients always get one problem+json shape.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{HttpRequest, web};

use crate::error::{ApiError, FieldError};

/// JSON bodies: size limit, content type, malformed vs. invalid content.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(move |error, _req: &HttpRequest| json_error(error, limit).into())
}

/// Path parameters that do not parse (e.g. an id that is not a UUID).
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error, _req| path_error(&error).into())
}

/// Query strings that do not parse.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _req| query_error(&error).into())
}

fn json_error(error: JsonPayloadError, limit: usize) -> ApiError {
    match error {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge { limit }
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Deserialize(error) => deserialize_error(&error),
        JsonPayloadError::Payload(error) => ApiError::bad_request(
            "malformed-body",
            format!("The request body could not be read: {error}"),
        ),
        other => ApiError::bad_request(
            "malformed-body",
            format!("The request body could not be read: {other}"),
        ),
    }
}

/// Syntax errors are 400; well-formed JSON with the wrong content (unknown or missing
/// fields, wrong types) is 422 with the offending field named.
pub fn deserialize_error(error: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    match error.classify() {
        Category::Data => {
            let message = error.to_string();
            let (code, field) = classify_data_error(&message);
            ApiError::Validation(vec![FieldError::new(field, code, strip_position(&message))])
        }
        Category::Syntax | Category::Eof | Category::Io => ApiError::bad_request(
            "malformed-json",
            format!(
                "The request body is not valid JSON: {}",
                strip_position(&error.to_string())
            ),
        ),
    }
}

/// serde's messages name the field between backticks: "unknown field `x`, expected ...".
fn classify_data_error(message: &str) -> (&'static str, String) {
    let field = message.split('`').nth(1).unwrap_or_default().to_owned();
    if message.starts_with("unknown field") {
        ("unknown_field", field)
    } else if message.starts_with("missing field") {
        ("required", field)
    } else if message.starts_with("invalid type") {
        ("invalid_type", String::new())
    } else if message.starts_with("unknown variant") {
        ("invalid_choice", String::new())
    } else {
        ("invalid_value", String::new())
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

fn path_error(error: &PathError) -> ApiError {
    let PathError::Deserialize(cause) = error else {
        return ApiError::bad_request("invalid-path-parameter", "A path parameter is invalid.");
    };
    ApiError::bad_request(
        "invalid-path-parameter",
        format!("A path parameter is invalid: {cause}"),
    )
}

fn query_error(error: &QueryPayloadError) -> ApiError {
    let QueryPayloadError::Deserialize(cause) = error else {
        return ApiError::bad_request("invalid-query-parameter", "The query string is invalid.");
    };
    ApiError::bad_request(
        "invalid-query-parameter",
        format!("The query string is invalid: {cause}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only deserialised")]
    struct Sample {
        name: String,
    }

    fn error_for(body: &str) -> ApiError {
        match serde_json::from_str::<Sample>(body) {
            Ok(_) => ApiError::NotFound,
            Err(error) => deserialize_error(&error),
        }
    }

    #[test]
    fn unknown_field_is_named_with_a_stable_code() {
        let ApiError::Validation(errors) = error_for(r#"{"name":"a","nmae":"b"}"#) else {
            panic!("expected a validation error");
        };
        assert_eq!(errors[0].field, "nmae");
        assert_eq!(errors[0].code, "unknown_field");
    }

    #[test]
    fn missing_field_is_required() {
        let ApiError::Validation(errors) = error_for("{}") else {
            panic!("expected a validation error");
        };
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            ("name", "required")
        );
    }

    #[test]
    fn syntax_error_is_a_bad_request() {
        assert!(matches!(
            error_for("{\"name\":"),
            ApiError::BadRequest {
                slug: "malformed-json",
                ..
            }
        ));
    }
}
