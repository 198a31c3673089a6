//! The UI in a real headless Chromium, against the real app on the local host: what a player
//! sees and does, from registration to the share button. Needs `chromium`, `chromium-driver`
//! and `npm ci --prefix e2e/browser` (axe-core); without them these tests fail, they never skip.

mod challenge;
mod console;
mod countdown;
mod installable;
mod offline;
mod phone;
mod resume;
mod screens;
mod ui;

use e2e::browser::{Browser, Key};
use ui::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_player_registers_logs_out_and_logs_back_in() {
    let (_app, b) = open(Browser::builder()).await;

    register(&b, "camille").await;
    assert!(
        b.is_visible("nav-leaderboard").await,
        "the navigation appears once signed in"
    );

    logout(&b).await;
    assert!(
        !b.is_visible("user-name").await,
        "no user is shown after logging out"
    );
    login(&b, "camille", "pas le bon mot").await;
    b.find("login-error").await;
    assert_eq!(
        b.text("login-error").await,
        "Nom d’utilisateur ou mot de passe incorrect."
    );
    console::assert_only_the_refusal(&b, 401, "a wrong password").await;
    login(&b, "Camille", PASSWORD).await;
    signed_in_as(&b, "camille").await;

    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_daily_game_makes_the_stats_and_the_leaderboard_and_practice_is_counted_apart() {
    let (_app, b) = open(Browser::builder()).await;
    register(&b, "alix").await;

    // Today's word is one of the planted answers; its length says which.
    let info = b.text("game-info").await;
    let (answer, miss) = match info.contains("6 lettres") {
        true => ("MAISON", "MOUTON"),
        false => ("FROMAGE", "FENETRE"),
    };
    guess(&b, miss).await;
    guess(&b, answer).await;
    wait_for_end_panel(&b).await;
    assert_eq!(b.text("end-title").await, "Bravo\u{202f}!");
    assert_eq!(b.text("end-result").await, "Mot trouvé en 2 essais.");
    assert_eq!(b.text("end-answer").await, answer);
    let points = 10 * answer.len() * 5;
    assert_eq!(
        b.text("end-points").await,
        format!("{points} points"),
        "10 × letters × (7 − 2 tries)"
    );
    assert_eq!(
        b.text("end-stats-title").await,
        "Statistiques des parties du jour"
    );
    assert_eq!(stat(&b, "stats-played").await, "1");
    assert_eq!(stat(&b, "stats-win-rate").await, "100\u{a0}%");
    assert_eq!(stat(&b, "stats-current-streak").await, "1");
    close_end_panel(&b).await;

    new_practice(&b, 6).await;
    guess(&b, "MOUTON").await;
    assert_eq!(
        row_marks(&b, 0).await,
        ["correct", "absent", "absent", "absent", "correct", "correct"]
    );
    assert_eq!(b.text("key-U").await, "U");
    let key_state =
        "return document.querySelector(`[data-testid=key-${arguments[0]}]`).dataset.state";
    assert_eq!(b.eval(key_state, vec!["U".into()]).await, "absent");
    assert_eq!(b.eval(key_state, vec!["N".into()]).await, "correct");
    for word in &WRONG_M6[1..] {
        guess(&b, word).await;
    }
    wait_for_end_panel(&b).await;
    assert_eq!(b.text("end-title").await, "Perdu…");
    assert_eq!(b.text("end-answer").await, "MAISON");
    assert_eq!(
        b.text("end-points").await,
        "aucun (entraînement, hors classement)"
    );
    assert_eq!(
        b.text("end-stats-title").await,
        "Statistiques d’entraînement"
    );
    assert_eq!(stat(&b, "stats-played").await, "1", "practice games only");
    assert_eq!(stat(&b, "stats-win-rate").await, "0\u{a0}%");
    close_end_panel(&b).await;
    assert!(
        b.is_visible("show-result").await,
        "the result stays one click away"
    );

    open_view(&b, "leaderboard").await;
    let board = table(&b, "leaderboard-row").await;
    assert_eq!(
        board,
        [["1", "alix", &points.to_string(), "1", "1"]],
        "rank, player, points, wins, games: the practice game is not there"
    );
    b.click("leaderboard-period-all").await;
    b.wait_for("the all-time board", "return document.querySelectorAll('[data-testid=leaderboard-row]').length === 1 \
        && document.querySelector('[data-testid=leaderboard-period-all]').getAttribute('aria-pressed') === 'true'", vec![])
        .await;

    open_view(&b, "history").await;
    let history: Vec<Vec<String>> = table(&b, "history-row").await;
    let summary: Vec<[&str; 5]> = history
        .iter()
        .map(|r| [&*r[1], &*r[2], &*r[3], &*r[4], &*r[5]])
        .collect();
    assert_eq!(
        summary,
        [
            ["entraînement", "MAISON", "perdue", "—", "—"],
            ["du jour", answer, "gagnée", "2", &points.to_string()]
        ],
        "newest first; the player sees today's word"
    );

    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reloading_the_page_keeps_the_player_signed_in_and_the_practice_game_in_progress() {
    let (_app, b) = open(Browser::builder()).await;
    register(&b, "dominique").await;
    new_practice(&b, 6).await;
    guess(&b, "MOUTON").await;

    b.reload().await;
    // Where the player left off: the practice game comes back by itself, not today's.
    wait_for_rows(&b, 1).await;
    assert_eq!(b.text("user-name").await, "dominique");
    assert!(b.text("game-info").await.starts_with("Entraînement"));
    assert_eq!(row_letters(&b, 0).await, "MOUTON");
    assert_eq!(marked_rows(&b).await, 1);

    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_word_keeps_the_row_shows_why_and_costs_no_try() {
    let (_app, b) = open(Browser::builder()).await;
    register(&b, "eden").await;
    new_practice(&b, 6).await;

    type_on_screen(&b, "MAIS").await;
    assert_eq!(b.text("message").await, "Le mot doit faire 6 lettres.");
    assert_eq!(
        row_letters(&b, 0).await,
        "MAIS",
        "a short word stays in its row"
    );

    type_on_screen(&b, "ZZ").await;
    b.wait_for("a refusal", "return document.querySelector('[data-testid=message]').textContent.includes('dictionnaire')", vec![])
        .await;
    assert_eq!(
        b.text("message").await,
        "Ce mot n’est pas dans le dictionnaire."
    );
    console::assert_only_the_refusal(&b, 422, "a word not in the dictionary").await;
    assert_eq!(marked_rows(&b).await, 0, "no try used");
    assert_eq!(
        row_letters(&b, 0).await,
        "MAISZZ",
        "the row is kept for correcting"
    );

    for _ in 0..5 {
        b.click("key-backspace").await;
    }
    guess(&b, "AISON").await;
    wait_for_end_panel(&b).await;
    assert_eq!(
        b.text("end-result").await,
        "Mot trouvé en 1 essai.",
        "the refused words cost nothing"
    );

    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_share_button_copies_the_emoji_grid_of_the_board() {
    let (_app, b) = open(Browser::builder()).await;
    b.grant_clipboard().await;
    register(&b, "flo").await;
    new_practice(&b, 6).await;
    guess(&b, "MANGER").await;
    guess(&b, "MAISON").await;
    wait_for_end_panel(&b).await;

    let expected = "Motus entraînement 6 lettres 2/6\n🟥🟥🟡🟦🟦🟦\n🟥🟥🟥🟥🟥🟥";
    assert_eq!(b.text("share-text").await, expected);
    let emoji = |mark: &str| match mark {
        "correct" => '🟥',
        "present" => '🟡',
        _ => '🟦',
    };
    for row in 0..2 {
        let from_board: String = row_marks(&b, row).await.iter().map(|m| emoji(m)).collect();
        assert_eq!(
            expected.lines().nth(row + 1).unwrap(),
            from_board,
            "row {row} matches the board"
        );
    }
    // As a player would, scroll it clear of the panel's stuck « Fermer » bar first: WebDriver
    // only scrolls an element whose centre is off screen, and this one can sit under the bar.
    b.eval(
        "document.querySelector('[data-testid=share-button]').scrollIntoView({ block: 'center' })",
        vec![],
    )
    .await;
    b.click("share-button").await;
    b.find("share-confirm").await;
    assert_eq!(b.text("share-confirm").await, "Résultat copié\u{202f}!");
    assert_eq!(b.clipboard().await, expected);

    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_whole_game_can_be_played_with_the_physical_keyboard_alone() {
    let (_app, b) = open(Browser::builder()).await;
    b.find("view-auth").await;
    tab_to(&b, "register-username").await;
    b.press("gael").await;
    b.press(&Key::Tab.to_string()).await;
    b.press(PASSWORD).await;
    b.press(&Key::Enter.to_string()).await;
    signed_in_as(&b, "gael").await;

    tab_to(&b, "mode-practice").await;
    b.press(&Key::Enter.to_string()).await;
    wait_for_game(&b, "Entraînement — 7 lettres").await;
    // Letters go to the board wherever the focus is, except in form fields.
    b.press(&format!("famille{}", Key::Enter)).await;
    wait_for_rows(&b, 1).await;
    b.press(&format!("fenêtrz{}e{}", Key::Backspace, Key::Enter))
        .await;
    wait_for_rows(&b, 2).await;
    assert_eq!(
        row_letters(&b, 1).await,
        "FENETRE",
        "accents are folded, Backspace erases"
    );
    b.press(&format!("fromage{}", Key::Enter)).await;
    wait_for_end_panel(&b).await;
    assert_eq!(b.text("end-result").await, "Mot trouvé en 3 essais.");
    assert_eq!(
        b.focused().await,
        "end-title",
        "the panel opens on its title, read first, never scrolled past"
    );

    b.press(&Key::Escape.to_string()).await;
    b.wait_for(
        "Escape to close the panel",
        "return !document.querySelector('[data-testid=end-panel]').open",
        vec![],
    )
    .await;

    b.close().await;
}

/// Presses Tab until the element with this test id has the focus.
async fn tab_to(b: &Browser, id: &str) {
    for _ in 0..40 {
        if b.focused().await == id {
            return;
        }
        b.press(&Key::Tab.to_string()).await;
    }
    panic!(
        "[data-testid={id}] cannot be reached with Tab (focus is on {})",
        b.focused().await
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_score_service_the_game_stays_playable_and_says_what_is_missing() {
    let (_app, b) = open_with("e2e/manifests/score-down.toml", Browser::builder()).await;
    register(&b, "hugo").await;
    b.find("degraded-banner").await;
    let banner = b.text("degraded-banner").await;
    assert!(
        banner.contains("Le service des scores ne répond pas"),
        "{banner}"
    );
    assert!(banner.contains("vous pouvez continuer à jouer"), "{banner}");

    new_practice(&b, 6).await;
    guess(&b, "MOUTON").await;
    guess(&b, "MAISON").await;
    wait_for_end_panel(&b).await;
    assert_eq!(b.text("end-title").await, "Bravo\u{202f}!");
    assert_eq!(
        b.text("end-points").await,
        "aucun (entraînement, hors classement)",
        "practice earns nothing, score or not"
    );
    assert_eq!(
        b.text("stats-unavailable").await,
        "Statistiques indisponibles pour le moment."
    );
    close_end_panel(&b).await;

    open_view(&b, "leaderboard").await;
    assert_eq!(
        b.text("leaderboard-message").await,
        "Le classement est indisponible pour le moment. Le jeu reste accessible."
    );
    open_view(&b, "history").await;
    assert_eq!(
        b.text("history-message").await,
        "L’historique est indisponible pour le moment. Le jeu reste accessible."
    );

    b.click("nav-game").await;
    new_practice(&b, 7).await;
    guess(&b, "FROMAGE").await;
    wait_for_end_panel(&b).await;
    assert_eq!(
        b.text("end-result").await,
        "Mot trouvé en 1 essai.",
        "still playable"
    );

    b.close().await;
}
