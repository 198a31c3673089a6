//! What a player does on the Motus page, as steps the scenarios share. Answers are known
//! through the `answer_words` variable (a test knob of motus), never through the API.

use e2e::browser::{Browser, BrowserBuilder};
use e2e::TestHost;
use serde_json::json;

/// One answer per length the tests play: practice games of 6 letters are MAISON, of 7 FROMAGE.
pub const ANSWERS: &str = "MAISON,FROMAGE";
pub const PASSWORD: &str = "un mot de passe";

/// Six valid 6-letter words starting with M, none of them MAISON: a lost game.
pub const WRONG_M6: [&str; 6] = ["MOUTON", "MARRON", "MANGER", "MOUCHE", "MIROIR", "MALADE"];

pub async fn start_host(manifest: &str) -> TestHost {
    TestHost::builder(manifest)
        .variable("answer_words", ANSWERS)
        .start()
        .await
}

/// A host of the real app and a browser on its home page.
pub async fn open(builder: BrowserBuilder) -> (TestHost, Browser) {
    open_with("spin.toml", builder).await
}

pub async fn open_with(manifest: &str, builder: BrowserBuilder) -> (TestHost, Browser) {
    let (app, browser) = tokio::join!(start_host(manifest), builder.launch());
    browser.goto(&app.url("/")).await;
    (app, browser)
}

pub async fn register(b: &Browser, username: &str) {
    b.find("view-auth").await;
    b.fill("register-username", username).await;
    b.fill("register-password", PASSWORD).await;
    b.click("register-submit").await;
    signed_in_as(b, username).await;
}

pub async fn login(b: &Browser, username: &str, password: &str) {
    b.fill("login-username", username).await;
    b.fill("login-password", password).await;
    b.click("login-submit").await;
}

/// The game screen is up for `username`, with the daily game loaded.
pub async fn signed_in_as(b: &Browser, username: &str) {
    b.find("view-game").await;
    b.wait_for(
        &format!("the header to name {username}"),
        "return document.querySelector('[data-testid=user-name]').textContent === arguments[0]",
        vec![json!(username)],
    )
    .await;
    wait_for_game(b, "Mot du jour").await;
}

pub async fn logout(b: &Browser) {
    b.click("logout-button").await;
    b.find("view-auth").await;
}

/// Waits until the board shows a fresh game whose description contains `info`.
pub async fn wait_for_game(b: &Browser, info: &str) {
    b.wait_for(
        &format!("a new game «{info}»"),
        "return document.querySelector('[data-testid=game-info]').textContent.includes(arguments[0]) \
            && !!document.querySelector('[data-testid=row-0]') \
            && document.querySelector('[data-testid=row-0]').classList.contains('is-input')",
        vec![json!(info)],
    )
    .await;
}

/// Starts a new practice game of `length` letters from the game screen.
pub async fn new_practice(b: &Browser, length: usize) {
    b.click("mode-practice").await;
    let select = b.find("length-select").await;
    select
        .select_by_value(&length.to_string())
        .await
        .expect("choose the length");
    b.click("new-game").await;
    wait_for_game(b, &format!("Entraînement — {length} lettres")).await;
}

/// Rows the server has marked so far.
pub async fn marked_rows(b: &Browser) -> u64 {
    let script = "return [...document.querySelectorAll('[data-testid^=row-]')]\
        .filter((r) => ['correct', 'present', 'absent'].includes(r.querySelector('.cell').dataset.mark)).length";
    b.eval(script, vec![]).await.as_u64().unwrap()
}

/// The marks of one row, as the cells carry them.
pub async fn row_marks(b: &Browser, row: usize) -> Vec<String> {
    let script = "return [...document.querySelectorAll(`[data-testid=row-${arguments[0]}] .cell`)].map((c) => c.dataset.mark)";
    serde_json::from_value(b.eval(script, vec![json!(row)]).await).unwrap()
}

/// The letters shown in one row.
pub async fn row_letters(b: &Browser, row: usize) -> String {
    let script = "return [...document.querySelectorAll(`[data-testid=row-${arguments[0]}] .cell`)].map((c) => c.dataset.letter).join('')";
    b.eval(script, vec![json!(row)])
        .await
        .as_str()
        .unwrap()
        .to_string()
}

/// Types `word` on the on-screen keyboard and presses its Enter key.
pub async fn type_on_screen(b: &Browser, word: &str) {
    for letter in word.chars() {
        b.click(&format!("key-{letter}")).await;
    }
    b.click("key-enter").await;
}

/// Plays one word on the on-screen keyboard and waits for the server's marks.
pub async fn guess(b: &Browser, word: &str) {
    let before = marked_rows(b).await;
    type_on_screen(b, word).await;
    wait_for_rows(b, before + 1).await;
}

pub async fn wait_for_rows(b: &Browser, rows: u64) {
    let script = "return [...document.querySelectorAll('[data-testid^=row-]')]\
        .filter((r) => ['correct', 'present', 'absent'].includes(r.querySelector('.cell').dataset.mark)).length >= arguments[0]";
    b.wait_for(&format!("{rows} marked rows"), script, vec![json!(rows)])
        .await;
}

/// Waits for the end-of-game dialog and for its statistics to be loaded.
pub async fn wait_for_end_panel(b: &Browser) {
    b.wait_for(
        "the end-of-game panel with its statistics",
        "const d = document.querySelector('[data-testid=end-panel]'); \
         return d.open && !document.querySelector('[data-testid=end-stats]').hasAttribute('aria-busy')",
        vec![],
    )
    .await;
}

/// Statistics figure shown in the end panel, e.g. `stats-played`.
pub async fn stat(b: &Browser, id: &str) -> String {
    b.text(id).await
}

pub async fn close_end_panel(b: &Browser) {
    b.click("end-close").await;
    b.wait_for(
        "the end panel to close",
        "return !document.querySelector('[data-testid=end-panel]').open",
        vec![],
    )
    .await;
}

/// Rows of a table as lists of cell texts.
pub async fn table(b: &Browser, row_testid: &str) -> Vec<Vec<String>> {
    let script = "return [...document.querySelectorAll(`[data-testid=${arguments[0]}]`)]\
        .map((r) => [...r.children].map((c) => c.textContent.trim()))";
    serde_json::from_value(b.eval(script, vec![json!(row_testid)]).await).unwrap()
}

/// Opens a view from the navigation and waits until its table has loaded.
pub async fn open_view(b: &Browser, view: &str) {
    b.click(&format!("nav-{view}")).await;
    b.find(&format!("view-{view}")).await;
    b.wait_for(
        &format!("the {view} to load"),
        "return document.querySelector(`[data-testid=${arguments[0]}-message]`).textContent !== 'Chargement…'",
        vec![json!(view)],
    )
    .await;
}
