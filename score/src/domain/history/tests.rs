use super::*;

#[test]
fn pages_walk_backwards_from_the_newest() {
    assert_eq!(page_seqs(5, None, 2), [4, 3]);
    assert_eq!(page_seqs(5, Some(Cursor(3)), 2), [2, 1]);
    assert_eq!(page_seqs(5, Some(Cursor(1)), 2), [0]);
    assert!(page_seqs(5, Some(Cursor(0)), 2).is_empty());
    assert_eq!(page_seqs(2, Some(Cursor(99)), 5), [1, 0]);
    assert!(page_seqs(0, None, 5).is_empty());
}

fn entry(mode: Mode, date: &str) -> HistoryEntry {
    HistoryEntry {
        game_id: Some("g1".into()),
        mode,
        date: Date::parse(date).unwrap(),
        length: 6,
        won: true,
        tries: 2,
        points: 300,
        answer: Some("MAISON".into()),
        finished_at: 0,
        abandoned: false,
    }
}

#[test]
fn a_daily_answer_is_hidden_from_others_until_its_day_is_over() {
    let today = Date::parse("2026-11-26").unwrap();
    let hidden = entry(Mode::Daily, "2026-11-26").redact(today);
    assert_eq!((hidden.game_id, hidden.answer), (None, None));
    assert_eq!(hidden.points, 300, "the rest stays public");
    let yesterday = entry(Mode::Daily, "2026-11-25");
    assert_eq!(yesterday.clone().redact(today), yesterday);
    let practice = entry(Mode::Practice, "2026-11-26");
    assert_eq!(practice.clone().redact(today), practice);
}

#[test]
fn limits_and_cursors_are_validated() {
    assert_eq!(parse_limit(None, 20, 100), Ok(20));
    assert_eq!(parse_limit(Some("100"), 20, 100), Ok(100));
    for bad in ["0", "101", "-1", "x", ""] {
        assert_eq!(
            parse_limit(Some(bad), 20, 100),
            Err(PageError::Limit(100)),
            "{bad:?}"
        );
    }
    assert_eq!(parse_cursor(Some("12")), Ok(Some(Cursor(12))));
    assert_eq!(parse_cursor(Some("abc")), Err(PageError::Cursor));
    assert_eq!(parse_cursor(None), Ok(None));
}
