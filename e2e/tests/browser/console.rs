//! A clean first visit: nothing on any screen, signed in or not, makes the browser log an error
//! or a warning. Read from chromedriver's browser log (warnings and above by default): it holds
//! what the page's scripts log and what the browser itself reports, such as a failed request.

use crate::ui::*;
use e2e::browser::Browser;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{json, Value as Json};

/// chromedriver's log read, which also empties it: each call returns what came since the last.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "type": "browser" }).to_string();
        (http::Method::POST, Some(body))
    }
}

/// The warnings and errors logged since the last call, as `LEVEL source: message`.
pub async fn console_problems(b: &Browser) -> Vec<String> {
    let entries = b
        .client()
        .issue_cmd(BrowserLog)
        .await
        .unwrap_or_else(|e| panic!("cannot read the browser's log: {e}"));
    entries
        .as_array()
        .unwrap_or_else(|| panic!("the browser's log is not a list: {entries}"))
        .iter()
        .filter(|e| matches!(e["level"].as_str(), Some("WARNING" | "SEVERE")))
        .map(|e| {
            format!(
                "{} {}: {}",
                text(&e["level"]),
                text(&e["source"]),
                text(&e["message"])
            )
        })
        .collect()
}

fn text(value: &Json) -> &str {
    value.as_str().unwrap_or_default()
}

/// After a refusal the page expected (a wrong password, a word not in the dictionary): nothing
/// logged but the browser's own line for the 4xx answer. Chromium reports every HTTP error
/// response, `fetch()` included, as "Failed to load resource"; a page has no way to silence it,
/// and answering a refusal with a 2xx would break the API's error contract (docs/api.md).
pub async fn assert_only_the_refusal(b: &Browser, status: u16, screen: &str) {
    let expected = format!("the server responded with a status of {status}");
    let (refusals, others): (Vec<String>, Vec<String>) = console_problems(b)
        .await
        .into_iter()
        .partition(|p| p.contains(&expected));
    assert!(others.is_empty(), "{screen}: {others:#?}");
    // Checked so the filter above is known to match the real line; should Chromium stop
    // logging 4xx answers, this fails and `assert_clean` can take over.
    assert_eq!(
        refusals.len(),
        1,
        "{screen}: the browser's own line for the {status}"
    );
}

/// Fails with what the browser logged on this screen, if anything.
pub async fn assert_clean(b: &Browser, screen: &str) {
    let problems = console_problems(b).await;
    assert!(
        problems.is_empty(),
        "the console is not clean on the {screen} screen:\n{}",
        problems.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_console_stays_clean_on_every_screen_signed_in_or_not() {
    let (_app, b) = open(Browser::builder()).await;
    b.find("view-auth").await;
    // The session probe has answered once the sign-in form is shown.
    assert_clean(&b, "first visit").await;
    b.click("nav-settings").await;
    b.find("settings-dialog").await;
    assert_clean(&b, "settings (visitor)").await;
    b.click("settings-close").await;

    register(&b, "iris").await;
    assert_clean(&b, "daily game").await;
    play_the_daily(&b).await;
    assert_clean(&b, "daily end panel").await;
    close_end_panel(&b).await;

    new_practice(&b, 6).await;
    guess(&b, "MOUTON").await;
    assert_clean(&b, "practice game").await;
    guess(&b, "MAISON").await;
    wait_for_end_panel(&b).await;
    assert_clean(&b, "practice end panel").await;
    close_end_panel(&b).await;

    open_view(&b, "leaderboard").await;
    assert_clean(&b, "leaderboard").await;
    open_view(&b, "history").await;
    assert_clean(&b, "history").await;
    b.click("nav-settings").await;
    b.find("settings-dialog").await;
    b.click("settings-dark").await;
    assert_clean(&b, "settings (dark)").await;
    b.click("settings-close").await;

    b.reload().await;
    // Today's word is played: the board shows it finished, not a new game.
    b.find("view-game").await;
    b.wait_for(
        "the finished daily game after the reload",
        "return document.querySelector('[data-testid=user-name]').textContent === 'iris' \
            && document.querySelector('[data-testid=message]').textContent.includes('terminée')",
        vec![],
    )
    .await;
    assert_clean(&b, "reload while signed in").await;
    logout(&b).await;
    assert_clean(&b, "after logging out").await;
    b.reload().await;
    b.find("view-auth").await;
    b.find("register-username").await;
    assert_clean(&b, "a visit after logging out").await;

    // The check itself must see a problem when there is one.
    b.eval("console.warn('planted warning')", vec![]).await;
    let planted = console_problems(&b).await;
    assert!(
        planted.iter().any(|p| p.contains("planted warning")),
        "the console check missed a warning: {planted:?}"
    );

    b.close().await;
}

/// Wins today's word (one of the planted answers; its length says which) in two tries.
pub async fn play_the_daily(b: &Browser) {
    let info = b.text("game-info").await;
    let (answer, miss) = match info.contains("6 lettres") {
        true => ("MAISON", "MOUTON"),
        false => ("FROMAGE", "FENETRE"),
    };
    guess(b, miss).await;
    guess(b, answer).await;
    wait_for_end_panel(b).await;
}
