//! The JSON body extractor of the service: size limit (413), nesting limit and syntax errors
//! with line and column (400), type errors naming the field as a JSON pointer (422).

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use serde::de::DeserializeOwned;

use super::state::AppState;
use crate::error::{Error, Violation, json_pointer};

/// A request body parsed as `T`.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    AppState: FromRef<S>,
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let app = AppState::from_ref(state);
        let limit = app.config.body_limit;
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| Error::TooLarge { limit_bytes: limit })?;
        parse(&bytes, app.config.json_depth).map(JsonBody)
    }
}

/// Parses a JSON document no deeper than `max_depth`.
///
/// # Errors
/// [`Error::MalformedJson`] for bad syntax, bad UTF-8 or too deep a document;
/// [`Error::Invalid`] naming the field whose value has the wrong type or is missing.
pub fn parse<T: DeserializeOwned>(bytes: &[u8], max_depth: usize) -> Result<T, Error> {
    check_depth(bytes, max_depth)?;
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let error = classify(e.inner(), &path);
        // Data errors only: the document then parses, and names what exists.
        match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(document) => within(error, &document),
            Err(_) => error,
        }
    })?;
    deserializer.end().map_err(|e| classify(&e, ""))?;
    Ok(value)
}

/// Reads a type from a document already parsed (and perhaps completed by the server), naming
/// the field at fault as [`parse`] does.
///
/// # Errors
/// [`Error::Invalid`] naming the field whose value has the wrong type or is missing.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        within(classify(e.inner(), &path), &value)
    })
}

/// The error with each violation's pointer cut back to the deepest part of `document` that
/// exists: the object lacking a missing member, or the map holding a key serde could not spell
/// (it writes `?` for keys that are not plain strings, such as weekdays).
fn within(error: Error, document: &serde_json::Value) -> Error {
    let Error::Invalid(list) = error else {
        return error;
    };
    let existing = |pointer: &str| {
        let mut at = pointer;
        while document.pointer(at).is_none() {
            at = at.rfind('/').map_or("", |cut| &at[..cut]);
        }
        at.to_owned()
    };
    Error::Invalid(
        list.into_iter()
            .map(|v| Violation::new(existing(&v.field), v.message))
            .collect(),
    )
}

fn classify(e: &serde_json::Error, path: &str) -> Error {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => {
            let field = if path == "." {
                String::new()
            } else {
                json_pointer(path)
            };
            Error::Invalid(vec![Violation::new(field, strip_position(&e.to_string()))])
        }
        Category::Syntax | Category::Eof | Category::Io => Error::MalformedJson {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        },
    }
}

/// serde_json appends " at line L column C": the answer gives them as fields.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// Refuses documents nested deeper than `max_depth` before parsing them, so that a hostile
/// body cannot exhaust the stack or the parser's recursion limit.
fn check_depth(bytes: &[u8], max_depth: usize) -> Result<(), Error> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let (mut line, mut column) = (1usize, 0usize);
    for &b in bytes {
        if b == b'\n' {
            line += 1;
            column = 0;
        } else {
            column += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    return Err(Error::MalformedJson {
                        line,
                        column,
                        message: format!("nested deeper than {max_depth} levels"),
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        n: u8,
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let Err(Error::MalformedJson { line, column, .. }) =
            parse::<Doc>(b"{\n  \"items\": [,]}", 64)
        else {
            panic!("expected a syntax error");
        };
        assert_eq!((line, column), (2, 13));
    }

    #[test]
    fn type_errors_name_the_field() {
        let Err(Error::Invalid(v)) = parse::<Doc>(br#"{"items": [{"n": 1}, {"n": 300}]}"#, 64)
        else {
            panic!("expected a data error");
        };
        assert_eq!(v[0].field, "/items/1/n");
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Week {
        days: std::collections::BTreeMap<Day, Vec<Item>>,
    }

    #[derive(Debug, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Day {
        Mon,
    }

    #[test]
    fn pointers_name_what_exists_in_the_document() {
        let field = |text: &str| match parse::<Week>(text.as_bytes(), 64) {
            Err(Error::Invalid(v)) => v[0].field.clone(),
            other => panic!("expected a data error, got {other:?}"),
        };
        // A weekday key is not a plain string to serde: the map holding it is named.
        assert_eq!(field(r#"{"days": {"mon": [{"n": 300}]}}"#), "/days");
        // A missing member: the object lacking it.
        assert_eq!(field(r#"{"days": {"mon": [{}]}}"#), "/days");
        assert_eq!(field(r#"{}"#), "");
        let Err(Error::Invalid(v)) = from_value::<Doc>(serde_json::json!({"items": [{}]})) else {
            panic!("expected a data error");
        };
        assert_eq!(v[0].field, "/items/0");
    }

    #[test]
    fn deep_documents_are_refused_and_strings_do_not_count() {
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(matches!(
            parse::<serde_json::Value>(deep.as_bytes(), 64),
            Err(Error::MalformedJson { .. })
        ));
        let text = format!("\"{}\"", "[".repeat(100));
        assert!(parse::<serde_json::Value>(text.as_bytes(), 64).is_ok());
    }

    #[test]
    fn trailing_garbage_is_a_syntax_error() {
        assert!(matches!(
            parse::<serde_json::Value>(b"{} x", 64),
            Err(Error::MalformedJson { .. })
        ));
    }
}
