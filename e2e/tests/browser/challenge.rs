//! « Défier un ami » in two real browsers, two accounts: the creator makes the link after a
//! practice game, the friend opens it, signs up, plays the same word as a normal game, and both
//! then see each other's result on the challenge page. A link altered by one digit is refused.

use crate::console::assert_clean;
use crate::ui::*;
use e2e::browser::Browser;
use serde_json::json;

async fn assert_accessible(b: &Browser, screen: &str) {
    let violations = b.axe().await;
    assert!(
        violations.is_empty(),
        "axe on {screen}:\n{}",
        violations.iter().map(|v| v.to_string()).collect::<String>()
    );
}

/// Waits for the challenge page to show `title` and, if `results`, its table.
async fn wait_for_challenge(b: &Browser, title: &str, results: bool) {
    b.find("view-challenge").await;
    b.wait_for(
        &format!("the challenge page «{title}»"),
        "return document.querySelector('[data-testid=challenge-title]').textContent === arguments[0] \
            && (!arguments[1] || !document.querySelector('[data-testid=challenge-results]').hidden)",
        vec![json!(title), json!(results)],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_friend_plays_the_word_through_the_link_and_both_see_each_others_result() {
    let (app, creator) = open(Browser::builder()).await;
    register(&creator, "aurore").await;
    new_practice(&creator, 7).await;
    guess(&creator, "FENETRE").await;
    guess(&creator, "FROMAGE").await;
    wait_for_end_panel(&creator).await;
    creator.click("challenge-make").await;
    let link = creator
        .wait_for(
            "the challenge link",
            "const v = document.querySelector('[data-testid=challenge-link]').value; return v || false",
            vec![],
        )
        .await;
    let link = link.as_str().unwrap().to_owned();
    assert!(link.starts_with(&app.url("/?defi=")), "{link}");
    assert!(!link.to_uppercase().contains("FROMAGE"), "{link}");
    assert_accessible(&creator, "the end panel with the challenge link").await;
    assert_clean(&creator, "end panel with the challenge link").await;

    let friend = Browser::builder().launch().await;
    friend.goto(&link).await;
    friend.find("view-auth").await;
    friend.fill("register-username", "basile").await;
    friend.fill("register-password", PASSWORD).await;
    friend.click("register-submit").await;
    wait_for_challenge(&friend, "Défi de aurore", false).await;
    assert_eq!(
        friend.text("challenge-intro").await,
        "aurore vous défie sur un mot de 7 lettres qui commence par F, en 6 essais."
    );
    assert!(
        !friend
            .eval("return document.body.innerText", vec![])
            .await
            .to_string()
            .contains("FROMAGE"),
        "the word is nowhere on the page"
    );
    assert_accessible(&friend, "the challenge page of a visitor").await;
    assert_clean(&friend, "challenge page (visitor)").await;

    friend.click("challenge-play").await;
    wait_for_game(&friend, "Défi entre amis — 7 lettres").await;
    guess(&friend, "FENETRE").await;
    guess(&friend, "FAMILLE").await;
    guess(&friend, "FROMAGE").await;
    wait_for_end_panel(&friend).await;
    assert_eq!(friend.text("end-result").await, "Mot trouvé en 3 essais.");
    assert_eq!(
        friend.text("end-points").await,
        "aucun (défi entre amis, hors classement)"
    );
    assert!(
        friend
            .text("share-text")
            .await
            .starts_with("Motus défi 7 lettres 3/6"),
        "{}",
        friend.text("share-text").await
    );
    assert!(
        !friend.is_visible("challenge-make").await,
        "a friend's word is not passed on"
    );
    assert_accessible(&friend, "the end panel of a challenge game").await;
    friend.click("end-see-challenge").await;
    wait_for_challenge(&friend, "Défi de aurore", true).await;
    let expected = vec![
        vec![
            "aurore (a lancé le défi)".to_owned(),
            "trouvé en 2 essais".to_owned(),
        ],
        vec!["basile".to_owned(), "trouvé en 3 essais".to_owned()],
    ];
    let rows: Vec<Vec<String>> = table(&friend, "challenge-row")
        .await
        .into_iter()
        .map(|row| row[..2].to_vec())
        .collect();
    assert_eq!(rows, expected);
    assert_eq!(friend.text("challenge-answer").await, "FROMAGE");
    assert_accessible(&friend, "the challenge results of the friend").await;
    assert_clean(&friend, "challenge results (friend)").await;

    // The creator opens the same link: the comparison, both results.
    creator.goto(&link).await;
    wait_for_challenge(&creator, "Votre défi", true).await;
    let rows: Vec<Vec<String>> = table(&creator, "challenge-row")
        .await
        .into_iter()
        .map(|row| row[..2].to_vec())
        .collect();
    assert_eq!(rows, expected);
    assert_accessible(&creator, "the challenge results of the creator").await;
    assert_clean(&creator, "challenge results (creator)").await;

    // One digit changed: no challenge, and nothing to play.
    let last = link.chars().last().unwrap();
    let altered = format!(
        "{}{}",
        &link[..link.len() - 1],
        if last == '0' { '1' } else { '0' }
    );
    friend.goto(&altered).await;
    friend.find("view-challenge").await;
    friend
        .wait_for(
            "the refusal of the altered link",
            "return document.querySelector('[data-testid=challenge-message]').textContent.startsWith('Ce défi n’existe pas')",
            vec![],
        )
        .await;
    assert!(!friend.is_visible("challenge-play").await);
    friend.close().await;
    creator.close().await;
}
