//! Every main screen, light and dark, on a desktop and on a phone: checked with axe-core (no
//! serious or critical violation) and for French typography (phone.rs), and photographed into
//! target/screenshots/ (docs/screenshots/ with MOTUS_UPDATE_SCREENSHOTS=1, listed in
//! docs/screenshots/README.md). Among them the daily end panel with its countdown, the offline
//! screen with the host stopped, a guess sent offline, and « Défier un ami » (the link, then the
//! challenge page with a friend's result).

use crate::console::play_the_daily;
use crate::ui::*;
use e2e::api::{id_of, Api};
use e2e::browser::{Browser, Viewport, Violation};
use e2e::TestHost;

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_on_a_desktop_is_accessible_in_light_and_dark_and_photographed() {
    tour(Viewport::DESKTOP, "desktop").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_on_a_phone_is_accessible_in_light_and_dark_and_photographed() {
    tour(Viewport::PHONE, "phone").await;
}

struct Tour<'a> {
    b: &'a Browser,
    size: &'static str,
    theme: &'static str,
    found: Vec<(String, Violation)>,
}

impl Tour<'_> {
    async fn check(&mut self, screen: &str) {
        let name = format!("{screen}-{}-{}", self.size, self.theme);
        self.b.screenshot(&name).await;
        crate::phone::assert_french_typography(self.b, &name).await;
        for violation in self.b.axe().await {
            self.found.push((name.clone(), violation));
        }
    }
}

async fn tour(viewport: Viewport, size: &'static str) {
    let (mut app, b) = open(Browser::builder().viewport(viewport).for_screenshots()).await;
    seed_rivals(&app).await;
    let mut tour = Tour {
        b: &b,
        size,
        theme: "light",
        found: Vec::new(),
    };

    b.find("view-auth").await;
    let theme = "return document.documentElement.dataset.theme";
    assert_eq!(
        b.eval(theme, vec![]).await,
        "light",
        "a fresh profile starts light"
    );
    tour.check("login").await;
    register(&b, "camille").await;
    play_the_daily(&b).await;
    check_daily_end_panel(&mut tour).await;
    close_end_panel(&b).await;
    play_and_check_screens(&mut tour).await;
    check_offline(&mut tour, &mut app).await;
    b.click("nav-settings").await;
    b.find("settings-dialog").await;
    tour.check("settings").await;

    b.click("settings-dark").await;
    assert_eq!(b.eval(theme, vec![]).await, "dark");
    tour.theme = "dark";
    tour.check("settings").await;
    b.click("settings-close").await;
    b.click("nav-game").await;
    play_and_check_screens(&mut tour).await;
    reopen_the_daily_result(&b).await;
    check_daily_end_panel(&mut tour).await;
    close_end_panel(&b).await;
    check_offline(&mut tour, &mut app).await;
    logout(&b).await;
    tour.check("login").await;

    let serious: Vec<_> = tour
        .found
        .iter()
        .filter(|(_, v)| matches!(&*v.impact, "serious" | "critical"))
        .collect();
    for (screen, violation) in &tour.found {
        eprintln!("axe on {screen}: {violation}");
    }
    assert!(
        serious.is_empty(),
        "{} serious or critical axe violations (printed above)",
        serious.len()
    );

    // The check itself must see a violation when there is one.
    b.eval(
        "document.querySelector('main').append(document.createElement('button'))",
        vec![],
    )
    .await;
    let planted = b.axe().await;
    assert!(
        planted
            .iter()
            .any(|v| v.id == "button-name" && v.impact == "critical"),
        "axe missed a nameless button: {planted:?}"
    );

    b.close().await;
}

/// A practice game on the board (two rows marked, a word being typed), then the end panel, the
/// leaderboard and the history.
async fn play_and_check_screens(tour: &mut Tour<'_>) {
    let b = tour.b;
    new_practice(b, 6).await;
    guess(b, "MOUTON").await;
    guess(b, "MARRON").await;
    for letter in "MAI".chars() {
        b.click(&format!("key-{letter}")).await;
    }
    let enter_bottom = "return document.querySelector('[data-testid=key-enter]')\
        .getBoundingClientRect().bottom + scrollY <= innerHeight";
    assert_eq!(
        b.eval(enter_bottom, vec![]).await,
        true,
        "Enter is in view without scrolling"
    );
    tour.check("game").await;
    // The word completed while the device is offline: said not sent, kept on its row.
    for letter in "SON".chars() {
        b.click(&format!("key-{letter}")).await;
    }
    crate::offline::network(b, true).await;
    b.click("key-enter").await;
    crate::offline::wait_for_not_sent(b).await;
    assert_eq!(
        b.eval(enter_bottom, vec![]).await,
        true,
        "Enter, to send the word again, is in view below the message"
    );
    tour.check("guess-offline").await;
    crate::offline::network(b, false).await;
    b.click("key-enter").await;
    wait_for_end_panel(b).await;
    tour.check("end").await;
    close_end_panel(b).await;
    open_view(b, "leaderboard").await;
    tour.check("leaderboard").await;
    open_view(b, "history").await;
    tour.check("history").await;
    check_challenge_screens(tour).await;
}

/// « Défier un ami »: the link offered at the end of a practice game, then the challenge page
/// with a friend's result beside the player's (the friend plays through the API).
async fn check_challenge_screens(tour: &mut Tour<'_>) {
    let b = tour.b;
    b.click("nav-game").await;
    new_practice(b, 6).await;
    guess(b, "MOUTON").await;
    guess(b, "MAISON").await;
    wait_for_end_panel(b).await;
    b.click("challenge-make").await;
    let link = b
        .wait_for(
            "the challenge link",
            "return document.querySelector('[data-testid=challenge-link]').value || false",
            vec![],
        )
        .await;
    let link = link.as_str().unwrap().to_owned();
    tour.check("challenge-offer").await;
    close_end_panel(b).await;

    let (base, id) = link.split_once("/?defi=").unwrap();
    let api = Api::at(base);
    let friend = api
        .register(&format!("lou_{}_{}", tour.size, tour.theme))
        .await;
    let game = api
        .post(
            &format!("/motus/challenges/{id}/games"),
            friend.token(),
            serde_json::Value::Null,
        )
        .await
        .expect(201);
    api.play(&friend, &id_of(&game), &["MIROIR", "MARRON", "MAISON"])
        .await;
    b.goto(&link).await;
    b.wait_for(
        "the challenge page with both results",
        "return document.querySelectorAll('[data-testid=challenge-row]').length === 2",
        vec![],
    )
    .await;
    tour.check("challenge").await;
    b.click("challenge-back").await;
    b.find("view-game").await;
}

/// The end panel of today's word, once its countdown to the next one is showing.
async fn check_daily_end_panel(tour: &mut Tour<'_>) {
    tour.b
        .wait_for(
            "the countdown to the next daily word",
            "const e = document.querySelector('[data-testid=end-countdown]'); \
             return !e.hidden && e.textContent.startsWith('Prochain mot dans ')",
            vec![],
        )
        .await;
    tour.check("daily-end").await;
}

/// Back on today's word, already played: its result is one click away.
async fn reopen_the_daily_result(b: &Browser) {
    b.click("nav-game").await;
    b.click("mode-daily").await;
    b.wait_for(
        "today's finished game",
        "return document.querySelector('[data-testid=game-info]').textContent.includes('Mot du jour') \
            && !document.querySelector('[data-testid=show-result]').hidden",
        vec![],
    )
    .await;
    b.click("show-result").await;
    wait_for_end_panel(b).await;
}

/// The offline screen: the service worker has kept the shell, then the host stops and the page
/// is reloaded. The host comes back and "Réessayer" brings the player back to her game.
async fn check_offline(tour: &mut Tour<'_>, app: &mut TestHost) {
    let b = tour.b;
    b.wait_for(
        "the service worker to control the page",
        "return navigator.serviceWorker.controller !== null",
        vec![],
    )
    .await;
    app.stop_keeping_state().await;
    b.reload().await;
    b.find("view-offline").await;
    tour.check("offline").await;
    app.restart().await;
    b.click("offline-retry").await;
    // Back where she left off: the game the server names, whichever it is.
    b.find("view-game").await;
    b.wait_for(
        "camille back on a game",
        "return document.querySelector('[data-testid=user-name]').textContent === 'camille' \
            && document.querySelector('[data-testid=game-info]').textContent !== ''",
        vec![],
    )
    .await;
}

/// Two other players with finished daily games (only those rank), so the leaderboard has a
/// ranking to show.
async fn seed_rivals(app: &TestHost) {
    let api = Api::new(app);
    let outline = api.get("/motus/daily", None).await.expect(200);
    // Today's word is one of the planted answers; its length says which.
    let (answer, miss) = match outline["length"].as_u64() {
        Some(6) => ("MAISON", "MOUTON"),
        _ => ("FROMAGE", "FENETRE"),
    };
    for (name, words) in [("lea", &[answer][..]), ("noe", &[miss, answer][..])] {
        let who = api.register(name).await;
        let game = api.new_game_reply(&who, "daily", None).await.expect(201);
        let id = id_of(&game);
        api.play(&who, &id, words).await;
        let recorded = api.record(&id, Some(&who)).await;
        assert!(
            matches!(recorded.status, 200 | 201),
            "score records {name}'s game: {}",
            recorded.text
        );
    }
}
