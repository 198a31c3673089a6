//! The one mapping, for the failures the routes cannot easily provoke over a healthy store.

use spin_kit::errors::{ApiError, Code};

use crate::app::AuthError;
use crate::domain::StoreError;
use crate::siblings::Sibling;

fn mapped(error: AuthError) -> (u16, Code, serde_json::Value) {
    let api = ApiError::from(error);
    let (status, code) = (api.status(), api.code());
    let body = serde_json::from_slice(&api.into_response().body).unwrap();
    (status, code, body)
}

#[test]
fn store_failures_say_whether_a_retry_may_help_and_nothing_more() {
    let cases = [
        (
            StoreError::Conflict("user:zoe".into()),
            503,
            Code::StoreBusy,
        ),
        (
            StoreError::Unavailable("disk full".into()),
            503,
            Code::StoreUnavailable,
        ),
        (
            StoreError::Unconfirmed("user:zoe".into()),
            503,
            Code::StoreUnconfirmed,
        ),
        (StoreError::Corrupt("user:zoe".into()), 500, Code::Internal),
    ];
    for (error, status, code) in cases {
        let (got_status, got_code, body) = mapped(AuthError::Store(error));
        assert_eq!((got_status, got_code), (status, code));
        let text = body.to_string();
        assert!(!text.contains("zoe") && !text.contains("disk"), "{text}");
    }
}

#[test]
fn a_sibling_that_did_not_confirm_is_named_in_the_answer() {
    for sibling in Sibling::ALL {
        let why = "answered 500".to_owned();
        let (status, code, body) = mapped(AuthError::SiblingUnavailable { sibling, why });
        assert_eq!((status, code), (503, Code::ServiceUnavailable));
        assert_eq!(body["error"]["service"], sibling.name());
        assert!(!body.to_string().contains("answered"), "{body}");
    }
}
