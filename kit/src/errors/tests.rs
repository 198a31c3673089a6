use std::collections::HashSet;

use super::*;

fn body(response: &ApiResponse) -> serde_json::Value {
    serde_json::from_slice(&response.body).unwrap()
}

#[test]
fn every_code_is_spelled_once_in_snake_case_with_an_error_status() {
    let mut seen = HashSet::new();
    for code in Code::ALL {
        let s = code.as_str();
        assert!(seen.insert(s), "{s} twice");
        assert!(
            !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{s}"
        );
        assert!((400..600).contains(&code.status()), "{s}");
        assert!(!code.message().is_empty(), "{s}");
    }
}

#[test]
fn an_error_answers_with_the_shared_shape_and_its_codes_status() {
    let response = ApiError::new(Code::GameOver).into_response();
    assert_eq!(response.status, 409);
    assert_eq!(
        body(&response),
        json!({ "error": { "code": "game_over", "message": Code::GameOver.message() } })
    );
    assert!(response
        .headers
        .contains(&("cache-control", "no-store".into())));
}

#[test]
fn a_sibling_failure_names_the_service_and_keeps_extra_headers() {
    let response = ApiError::new(Code::ServiceUnavailable)
        .service("score")
        .header("retry-after", "5")
        .into_response();
    assert_eq!(response.status, 503);
    assert_eq!(body(&response)["error"]["service"], "score");
    assert!(response.headers.contains(&("retry-after", "5".into())));
}

#[test]
fn method_not_allowed_lists_the_allowed_methods() {
    let response = ApiError::method_not_allowed("GET, DELETE").into_response();
    assert_eq!(response.status, 405);
    assert!(response.headers.contains(&("allow", "GET, DELETE".into())));
}

#[test]
fn store_failures_hide_their_details() {
    for (e, code) in [
        (StoreError::Conflict("user:secret".into()), Code::StoreBusy),
        (
            StoreError::Unavailable("disk /var/lib/x full".into()),
            Code::StoreUnavailable,
        ),
        (
            StoreError::Unconfirmed("user:secret".into()),
            Code::StoreUnconfirmed,
        ),
        (StoreError::Corrupt("user:secret".into()), Code::Internal),
    ] {
        let error = ApiError::from(&e);
        assert_eq!(error.code(), code);
        assert!(!error.message().contains("secret") && !error.message().contains("/var"));
    }
}

fn doc(path: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The codes a doc lists between two markers: a Markdown row `| `code` | ...` or a YAML item
/// `- code`, one per line.
fn listed(text: &str, start: &str, end: &str) -> Vec<String> {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?}"));
    let rest = &text[from + start.len()..];
    let section = &rest[..rest.find(end).unwrap_or_else(|| panic!("no {end:?}"))];
    section
        .lines()
        .map(str::trim)
        .filter_map(|line| {
            let word = line
                .strip_prefix("| `")
                .and_then(|row| row.split('`').next())
                .or_else(|| line.strip_prefix("- "))?;
            Some(word.trim().to_owned())
        })
        .collect()
}

fn all() -> Vec<String> {
    Code::ALL.iter().map(|c| c.as_str().to_owned()).collect()
}

#[test]
fn docs_api_md_lists_exactly_the_catalogue_with_its_statuses() {
    let text = doc("../docs/api.md");
    let rows = listed(
        &text,
        "<!-- error-codes:start -->",
        "<!-- error-codes:end -->",
    );
    assert_eq!(rows, all());
    for code in Code::ALL {
        let row = format!("| `{}` | {} |", code.as_str(), code.status());
        assert!(text.contains(&row), "docs/api.md: no row {row}");
    }
}

#[test]
fn the_openapi_spec_enumerates_exactly_the_catalogue() {
    let text = doc("../docs/openapi.yaml");
    let rows = listed(&text, "# error-codes:start", "# error-codes:end");
    assert_eq!(rows, all());
}
