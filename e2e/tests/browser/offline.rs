//! Going offline in the middle of a game: a guess that cannot be sent is said not sent (not the
//! generic « Impossible de joindre le serveur »), stays typed on its row, uses no try, and goes
//! through with Enter once the connection is back — whether the device knows it is offline or
//! the server is simply gone.

use crate::console::{assert_clean, console_problems};
use crate::ui::*;
use e2e::browser::Browser;
use serde_json::json;

/// The start of what the game says when a guess could not go out.
const NOT_SENT: &str = "Hors ligne\u{a0}: votre mot n’a pas été envoyé";

/// Cuts the page's network (`navigator.onLine` turns false) or gives it back.
pub async fn network(b: &Browser, offline: bool) {
    b.cdp("Network.enable", json!({})).await;
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({ "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
    )
    .await;
    b.wait_for(
        "the page to see the network change",
        "return navigator.onLine === arguments[0]",
        vec![json!(!offline)],
    )
    .await;
}

pub async fn wait_for_not_sent(b: &Browser) {
    b.wait_for(
        "the guess said not sent",
        "return document.querySelector('[data-testid=message]').textContent.startsWith(arguments[0])",
        vec![json!(NOT_SENT)],
    )
    .await;
}

/// The word is still typed on the next row and no try was used.
async fn assert_kept(b: &Browser, row: usize, word: &str) {
    assert_eq!(marked_rows(b).await, row as u64, "no try used");
    assert_eq!(row_letters(b, row).await, word, "the typed word is kept");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guess_sent_offline_is_kept_said_not_sent_and_goes_through_once_back_online() {
    let (mut app, b) = open(Browser::builder()).await;
    register(&b, "yanis").await;
    new_practice(&b, 6).await;
    assert_clean(&b, "a practice game").await;

    // The device knows it is offline: the page does not even try, so nothing is logged.
    network(&b, true).await;
    type_on_screen(&b, "MOUTON").await;
    wait_for_not_sent(&b).await;
    assert_kept(&b, 0, "MOUTON").await;
    assert!(
        b.text("message")
            .await
            .contains("Appuyez sur Entrée pour le renvoyer"),
        "says how to send it again: {}",
        b.text("message").await
    );
    let violations = b.axe().await;
    assert!(
        violations.is_empty(),
        "axe with the offline message:\n{}",
        violations.iter().map(|v| v.to_string()).collect::<String>()
    );
    assert_clean(&b, "a guess refused offline").await;
    network(&b, false).await;
    b.click("key-enter").await;
    wait_for_rows(&b, 1).await;
    assert_eq!(row_marks(&b, 0).await.len(), 6, "MOUTON marked");

    // The server is gone while the device believes it is online: the same message.
    app.stop_keeping_state().await;
    type_on_screen(&b, "MARRON").await;
    wait_for_not_sent(&b).await;
    assert_kept(&b, 1, "MARRON").await;
    // The browser itself logs the refused connection (it logs every failed request).
    let logged = console_problems(&b).await;
    assert!(
        logged.iter().all(|l| l.contains("/guesses")),
        "only the guess that could not go out: {logged:#?}"
    );
    app.restart().await;
    b.click("key-enter").await;
    wait_for_rows(&b, 2).await;
    assert_eq!(row_letters(&b, 1).await, "MARRON");
    assert_clean(&b, "the guess sent again").await;
    b.close().await;
}
