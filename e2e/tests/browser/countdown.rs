//! Once today's word is played, the end panel counts down to the next one: the next midnight in
//! Paris, as the server gives it in `/api/me`'s `next_daily_at`.

use crate::console::{assert_clean, play_the_daily};
use crate::ui::*;
use e2e::browser::Browser;
use serde_json::json;

const COUNTDOWN: &str = "document.querySelector('[data-testid=end-countdown]')";

/// Seconds left as the countdown shows them, e.g. "Prochain mot dans 05:12:33" → 18753.
fn seconds_shown(text: &str) -> i64 {
    let clock = text
        .strip_prefix("Prochain mot dans ")
        .unwrap_or_else(|| panic!("not a countdown: {text:?}"));
    let parts: Vec<i64> = clock
        .split(':')
        .map(|p| {
            assert_eq!(p.len(), 2, "two digits each: {text:?}");
            p.parse().unwrap()
        })
        .collect();
    assert_eq!(parts.len(), 3, "hours, minutes, seconds: {text:?}");
    assert!(parts[1] < 60 && parts[2] < 60, "{text:?}");
    parts[0] * 3600 + parts[1] * 60 + parts[2]
}

#[tokio::test(flavor = "multi_thread")]
async fn once_the_daily_word_is_played_the_end_panel_counts_down_to_the_next_paris_midnight() {
    let (_app, b) = open(Browser::builder()).await;
    register(&b, "jules").await;
    play_the_daily(&b).await;

    let text = b
        .wait_for(
            "the countdown",
            &format!("const e = ({COUNTDOWN}); return !e.hidden && e.textContent"),
            vec![],
        )
        .await;
    let shown = seconds_shown(text.as_str().unwrap());
    let script = "const done = arguments[0]; fetch('/api/me').then((r) => r.json())\
        .then((me) => done([me.next_daily_at, Date.now() / 1000]))";
    let [next, now] = serde_json::from_value::<[f64; 2]>(b.eval_async(script, vec![]).await)
        .expect("next_daily_at and the page's clock");
    let next = next as i64;
    assert!(
        (next + 3600) % 86_400 == 0 || (next + 7200) % 86_400 == 0,
        "{next} is a midnight in Paris (UTC+1 in winter, UTC+2 in summer)"
    );
    let left = next - now as i64;
    assert!((1..=25 * 3600).contains(&left), "{left} s to the next word");
    assert!(
        (shown - left).abs() <= 3,
        "the panel shows {shown} s left, the server's midnight is {left} s away"
    );
    assert_eq!(
        b.eval(
            &format!("return ({COUNTDOWN}).getAttribute('role')"),
            vec![]
        )
        .await,
        "timer",
        "a timer, which screen readers do not announce every second"
    );
    b.wait_for(
        "the countdown to tick",
        &format!("return ({COUNTDOWN}).textContent !== arguments[0]"),
        vec![text.clone()],
    )
    .await;
    let violations = b.axe().await;
    assert!(
        violations.is_empty(),
        "axe on the end panel with its countdown:\n{}",
        violations.iter().map(|v| v.to_string()).collect::<String>()
    );
    assert_clean(&b, "daily end panel with its countdown").await;
    close_end_panel(&b).await;

    new_practice(&b, 6).await;
    guess(&b, "MAISON").await;
    wait_for_end_panel(&b).await;
    assert_eq!(
        b.eval(&format!("return ({COUNTDOWN}).hidden"), vec![])
            .await,
        json!(true),
        "a practice game says nothing about the daily word"
    );

    b.close().await;
}
