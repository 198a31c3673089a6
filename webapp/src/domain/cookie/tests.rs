use super::*;

fn headers(cookie_lines: &[&str]) -> Headers {
    Headers::new(
        cookie_lines
            .iter()
            .map(|l| ("Cookie".to_string(), l.to_string())),
    )
}

#[test]
fn the_session_token_is_found_among_other_cookies() {
    let h = headers(&["theme=dark; motus_session=abc-DEF_123; other=1"]);
    assert_eq!(session_token(&h).as_deref(), Some("abc-DEF_123"));
}

#[test]
fn cookies_split_over_several_headers_are_all_read() {
    let h = headers(&["theme=dark", "motus_session=tok"]);
    assert_eq!(session_token(&h).as_deref(), Some("tok"));
}

#[test]
fn a_cookie_whose_name_only_ends_like_ours_is_ignored() {
    let h = headers(&["xmotus_session=evil"]);
    assert_eq!(session_token(&h), None);
}

#[test]
fn missing_empty_or_odd_tokens_are_no_session() {
    for line in [
        "",
        "motus_session=",
        "motus_session=a b",
        "motus_session=<script>",
        "a=b",
    ] {
        assert_eq!(session_token(&headers(&[line])), None, "{line:?}");
    }
    assert_eq!(session_token(&Headers::default()), None);
}

#[test]
fn the_user_hint_is_percent_decoded() {
    let h = headers(&["motus_user=Marie%2Eclaire"]);
    assert_eq!(user_hint(&h).as_deref(), Some("Marie.claire"));
}

#[test]
fn session_cookie_has_the_protective_attributes() {
    assert_eq!(
        set(SESSION, "tok", Some(3600), false),
        "motus_session=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600"
    );
    assert!(set(SESSION, "tok", Some(3600), true).ends_with("; Secure"));
    assert!(!set(SESSION, "tok", None, false).contains("Max-Age"));
}

#[test]
fn cookie_lifetime_is_capped() {
    assert!(set(SESSION, "t", Some(u64::MAX), false).contains("Max-Age=31536000"));
}

#[test]
fn clearing_expires_the_cookie_immediately() {
    assert_eq!(
        clear(SESSION, true),
        "motus_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure"
    );
}
