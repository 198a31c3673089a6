//! A game in progress comes back on reload, practice as well as daily, from the server: the
//! page's own storage is wiped first, as on another device.

use crate::console::assert_clean;
use crate::ui::*;
use e2e::browser::Browser;

#[tokio::test(flavor = "multi_thread")]
async fn a_practice_game_interrupted_by_a_reload_comes_back_with_its_guesses_and_goes_on() {
    let (_app, b) = open(Browser::builder()).await;
    register(&b, "romane").await;
    new_practice(&b, 6).await;
    guess(&b, "MOUTON").await;
    guess(&b, "MARRON").await;

    // Nothing left on this device: only the server can say where the player was.
    b.eval(
        "localStorage.clear(); sessionStorage.clear(); return true",
        vec![],
    )
    .await;
    b.reload().await;
    wait_for_rows(&b, 2).await;

    assert!(
        b.text("game-info")
            .await
            .starts_with("Entraînement — 6 lettres"),
        "the practice game is back, not today's: {}",
        b.text("game-info").await
    );
    assert_eq!(row_letters(&b, 0).await, "MOUTON");
    assert_eq!(row_letters(&b, 1).await, "MARRON");
    assert_eq!(
        b.eval(
            "return document.querySelector('[data-testid=mode-practice]').getAttribute('aria-pressed')",
            vec![]
        )
        .await,
        "true"
    );
    assert_eq!(marked_rows(&b).await, 2, "no other row was played");

    guess(&b, "MAISON").await;
    wait_for_end_panel(&b).await;
    assert_eq!(b.text("end-result").await, "Mot trouvé en 3 essais.");
    assert_clean(&b, "practice game resumed after a reload").await;
    b.close().await;
}
