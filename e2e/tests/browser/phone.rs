//! On a phone held upright (360×640 and 390×844): the end-of-game panel keeps its answer, its
//! points and « Fermer » in reach, and the French copy follows French typography (’, no-break
//! spaces inside « » and before : ; ! ?), so a quoted « . » never breaks across two lines.

use crate::console::{assert_clean, play_the_daily};
use crate::ui::*;
use e2e::browser::{Browser, Viewport};
use serde_json::{json, Value as Json};

const SMALL_PHONE: Viewport = Viewport {
    width: 360,
    height: 640,
    mobile: true,
};
const TALL_PHONE: Viewport = Viewport {
    width: 390,
    height: 844,
    mobile: true,
};

#[tokio::test(flavor = "multi_thread")]
async fn on_a_360_by_640_phone_the_end_panel_keeps_the_answer_the_points_and_fermer_in_reach() {
    end_panels_fit(SMALL_PHONE).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_390_by_844_phone_the_end_panel_keeps_the_answer_the_points_and_fermer_in_reach() {
    end_panels_fit(TALL_PHONE).await;
}

async fn end_panels_fit(viewport: Viewport) {
    let (_app, b) = open(Browser::builder().viewport(viewport)).await;
    b.find("view-auth").await;
    assert_quotes_stay_whole(&b, "register-username-hint").await;
    assert_french_typography(&b, "login").await;

    register(&b, "zoe").await;
    play_the_daily(&b).await;
    b.wait_for(
        "the countdown to the next daily word",
        "return !document.querySelector('[data-testid=end-countdown]').hidden",
        vec![],
    )
    .await;
    assert_panel_in_reach(&b, "the daily end panel").await;
    assert_french_typography(&b, "the daily end panel").await;
    close_end_panel(&b).await;

    // The practice panel is the tallest: it also offers « Défier un ami », and its link once made.
    new_practice(&b, 6).await;
    assert_french_typography(&b, "a practice game").await;
    guess(&b, "MOUTON").await;
    guess(&b, "MAISON").await;
    wait_for_end_panel(&b).await;
    assert!(b.is_visible("challenge-make").await, "« Défier un ami »");
    assert_panel_in_reach(&b, "the practice end panel").await;
    b.click("challenge-make").await;
    b.wait_for(
        "the challenge link",
        "return !!document.querySelector('[data-testid=challenge-link]').value",
        vec![],
    )
    .await;
    assert_panel_in_reach(&b, "the practice end panel with its challenge link").await;
    assert_french_typography(&b, "the practice end panel").await;
    let violations = b.axe().await;
    assert!(
        violations.is_empty(),
        "axe on the end panel:\n{}",
        violations.iter().map(|v| v.to_string()).collect::<String>()
    );
    assert_clean(&b, "the end panels on a phone").await;
    close_end_panel(&b).await;
    b.close().await;
}

/// Where the panel's parts are: each as `[top, bottom]` in the viewport, and what is under the
/// middle of « Fermer » (another element would be drawn over it).
const LAYOUT: &str = "
    const d = document.querySelector('[data-testid=end-panel]');
    const at = (id) => {
        const r = document.querySelector(`[data-testid=${id}]`).getBoundingClientRect();
        return [r.top, r.bottom];
    };
    const close = document.querySelector('[data-testid=end-close]');
    const c = close.getBoundingClientRect();
    const hit = document.elementFromPoint((c.left + c.right) / 2, (c.top + c.bottom) / 2);
    return {
        height: innerHeight,
        dialog: at('end-panel'),
        answer: at('end-answer'),
        points: at('end-points'),
        close: at('end-close'),
        share: at('share-button'),
        close_on_top: hit === close,
        scrolls: d.scrollHeight > d.clientHeight,
    };";

fn span(layout: &Json, part: &str) -> (f64, f64) {
    let pair = &layout[part];
    (pair[0].as_f64().unwrap(), pair[1].as_f64().unwrap())
}

/// The dialog fits the screen; at the top the answer and points show, above the bar that keeps
/// « Fermer »; scrolled to the end, the last section shows above that bar and « Fermer » stays.
async fn assert_panel_in_reach(b: &Browser, what: &str) {
    b.eval(
        "document.querySelector('[data-testid=end-panel]').scrollTop = 0",
        vec![],
    )
    .await;
    let top = b.eval(LAYOUT, vec![]).await;
    let height = top["height"].as_f64().unwrap();
    let (dialog_top, dialog_bottom) = span(&top, "dialog");
    assert!(
        dialog_top >= 0.0 && dialog_bottom <= height,
        "{what}: the dialog is taller than the screen: {top}"
    );
    let (close_top, close_bottom) = span(&top, "close");
    assert!(
        close_top >= dialog_top && close_bottom <= dialog_bottom && top["close_on_top"] == true,
        "{what}: « Fermer » out of reach before any scrolling: {top}"
    );
    for part in ["answer", "points"] {
        let (part_top, part_bottom) = span(&top, part);
        assert!(
            part_top >= dialog_top && part_bottom <= close_top,
            "{what}: the {part} is hidden at first sight: {top}"
        );
    }

    b.eval(
        "const d = document.querySelector('[data-testid=end-panel]'); d.scrollTop = d.scrollHeight",
        vec![],
    )
    .await;
    let end = b.eval(LAYOUT, vec![]).await;
    let (close_top, close_bottom) = span(&end, "close");
    let (share_top, share_bottom) = span(&end, "share");
    assert!(
        close_bottom <= height && end["close_on_top"] == true,
        "{what}: « Fermer » lost once scrolled: {end}"
    );
    assert!(
        share_top >= dialog_top && share_bottom <= close_top,
        "{what}: the last section cannot be scrolled into view: {end}"
    );
    eprintln!("{what} at {height} px: scrolls inside = {}", top["scrolls"]);
}

/// Each « … » of the element is laid out on one line (its pieces share one top).
async fn assert_quotes_stay_whole(b: &Browser, id: &str) {
    let script = "
        const e = document.querySelector(`[data-testid=${arguments[0]}]`) || document.getElementById(arguments[0]);
        const node = e.firstChild;
        const text = node.textContent;
        const lines = [];
        for (let i = text.indexOf('«'); i >= 0; i = text.indexOf('«', i + 1)) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, text.indexOf('»', i) + 1);
            const tops = [...range.getClientRects()].map((r) => Math.round(r.top));
            lines.push([range.toString(), new Set(tops).size]);
        }
        return lines;";
    let quotes = b.eval(script, vec![json!(id)]).await;
    let quotes = quotes.as_array().unwrap();
    assert!(!quotes.is_empty(), "{id} quotes nothing");
    for quote in quotes {
        assert_eq!(quote[1], 1, "{quote} breaks across lines");
    }
}

/// The page's visible text, labels included, against French typography: no typewriter
/// apostrophe, no breakable space inside « » or before : ; ! ?.
pub async fn assert_french_typography(b: &Browser, screen: &str) {
    let script = "
        const labels = [...document.querySelectorAll('[aria-label], [placeholder], [title]')]
            .flatMap((e) => [e.getAttribute('aria-label'), e.getAttribute('placeholder'), e.getAttribute('title')])
            .filter(Boolean);
        return [document.body.innerText, ...labels, document.title].join('\\n');";
    let text = b.eval(script, vec![]).await;
    let text = text.as_str().unwrap();
    let mut faults = Vec::new();
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            let fault = match c {
                '\'' => Some("a typewriter apostrophe"),
                '«' if after == Some(' ') => Some("a breakable space after «"),
                '»' if before == Some(' ') => Some("a breakable space before »"),
                ':' | ';' | '!' | '?' if before == Some(' ') => Some("a breakable space before it"),
                _ => None,
            };
            if let Some(fault) = fault {
                faults.push(format!("{fault} in {line:?}"));
            }
        }
    }
    assert!(faults.is_empty(), "{screen}: {faults:#?}");
}
