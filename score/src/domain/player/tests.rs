use super::*;
use crate::domain::game::ResultBody;
use crate::testing::id;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn result(id_name: &str, mode: Mode, day: &str, won: bool, tries: u32) -> ResultBody {
    ResultBody {
        game_id: id(id_name),
        player: PlayerName::parse("Zoe").unwrap(),
        mode,
        date: date(day),
        length: 6,
        won,
        tries,
        answer: "BALEINE".into(),
        finished_at: 0,
        abandoned: false,
    }
}

fn finished(body: ResultBody) -> FinishedGame {
    FinishedGame::from_result(&body.game_id.clone(), body).unwrap()
}

fn game(id_name: &str, mode: Mode, day: &str, won: bool, tries: u32) -> FinishedGame {
    finished(result(id_name, mode, day, won, tries))
}

fn daily(days: &[(&str, bool)]) -> BTreeMap<Date, bool> {
    days.iter().map(|&(d, w)| (date(d), w)).collect()
}

#[test]
fn applying_a_game_updates_every_aggregate_once() {
    let today = date("2026-11-26");
    let mut doc = PlayerDoc::new(&PlayerName::parse("Zoe").unwrap());
    let first = doc.apply(&game("g1", Mode::Daily, "2026-11-26", true, 2), today);
    let again = doc.apply(&game("g1", Mode::Daily, "2026-11-26", true, 2), today);
    assert_eq!((first, again), (0, 0));
    doc.apply(&game("g2", Mode::Daily, "2026-11-25", false, 6), today);

    let stats = doc.stats(today);
    assert_eq!((stats.total, stats.played, stats.won), (300, 2, 1));
    assert_eq!(stats.win_rate, 0.5);
    assert_eq!(stats.distribution["2"], 1);
    assert_eq!(stats.distribution.len(), 6);
    assert_eq!(doc.tally("day:2026-11-26").unwrap().played, 1);
    assert_eq!(doc.tally("week:2026-W48").unwrap().points, 300);
    assert_eq!(doc.tally("week:2026-W48").unwrap().played, 2);
    assert_eq!(doc.next_seq, 2);
    let boards: Vec<&str> = doc.boards.iter().map(String::as_str).collect();
    assert_eq!(
        boards,
        ["all", "day:2026-11-25", "day:2026-11-26", "week:2026-W48"]
    );
}

#[test]
fn practice_games_are_counted_apart_and_reach_no_board() {
    let today = date("2026-11-26");
    let mut doc = PlayerDoc::default();
    doc.apply(&game("p1", Mode::Practice, "2026-11-26", true, 1), today);
    doc.apply(&game("p2", Mode::Practice, "2026-11-26", false, 6), today);
    doc.apply(&game("d1", Mode::Daily, "2026-11-26", false, 6), today);

    let stats = doc.stats(today);
    assert_eq!((stats.total, stats.played, stats.won), (0, 1, 0));
    assert_eq!(stats.distribution["1"], 0);
    assert_eq!(
        (
            stats.practice.played,
            stats.practice.won,
            stats.practice.win_rate
        ),
        (2, 1, 0.5)
    );
    assert_eq!(stats.practice.distribution["1"], 1);
    assert_eq!(doc.tally("day:2026-11-26").unwrap().played, 1);
    assert_eq!(doc.next_seq, 3, "practice games are in the history");
}

#[test]
fn an_abandoned_daily_counts_as_played_and_lost_and_ends_the_streak() {
    let today = date("2026-11-26");
    let mut doc = PlayerDoc::default();
    doc.apply(&game("d1", Mode::Daily, "2026-11-24", true, 2), today);
    let mut abandoned = result("d2", Mode::Daily, "2026-11-25", false, 0);
    abandoned.abandoned = true;
    doc.apply(&finished(abandoned), today);
    let stats = doc.stats(today);
    assert_eq!((stats.played, stats.won, stats.win_rate), (2, 1, 0.5));
    assert_eq!((stats.current_streak, stats.best_streak), (0, 1));
}

#[test]
fn old_periods_are_not_kept() {
    let today = date("2026-11-26");
    let mut doc = PlayerDoc::default();
    doc.apply(&game("old", Mode::Daily, "2026-01-01", true, 1), today);
    assert_eq!(doc.all.points, 360);
    assert!(doc.periods.is_empty());
    doc.apply(&game("new", Mode::Daily, "2026-11-20", true, 1), today);
    assert_eq!(doc.periods.len(), 2);
    doc.apply(
        &game("later", Mode::Daily, "2027-02-01", true, 1),
        date("2027-02-01"),
    );
    assert_eq!(doc.periods.len(), 2, "{:?}", doc.periods);
    assert_eq!(
        doc.boards.len(),
        5,
        "boards are remembered: {:?}",
        doc.boards
    );
}

#[test]
fn credits_count_in_total_and_current_periods_but_not_games() {
    let today = date("2026-11-26");
    let mut doc = PlayerDoc::default();
    doc.credit(50, today);
    let stats = doc.stats(today);
    assert_eq!((stats.total, stats.played), (50, 0));
    assert_eq!(doc.tally("day:2026-11-26").unwrap().points, 50);
    assert_eq!(doc.bonus, 50);
}

#[test]
fn streaks_count_consecutive_daily_wins() {
    let today = date("2026-11-26");
    let cases = [
        (vec![], (0, 0)),
        (vec![("2026-11-26", true)], (1, 1)),
        (vec![("2026-11-24", true), ("2026-11-25", true)], (2, 2)),
        (vec![("2026-11-23", true), ("2026-11-24", true)], (0, 2)),
        (
            vec![
                ("2026-11-20", true),
                ("2026-11-21", true),
                ("2026-11-22", true),
                ("2026-11-24", true),
                ("2026-11-25", true),
                ("2026-11-26", true),
            ],
            (3, 3),
        ),
        (
            vec![
                ("2026-11-20", true),
                ("2026-11-21", true),
                ("2026-11-22", true),
                ("2026-11-23", false),
                ("2026-11-24", true),
            ],
            (0, 3),
        ),
        (vec![("2026-11-25", true), ("2026-11-26", false)], (0, 1)),
    ];
    for (days, expected) in cases {
        assert_eq!(streaks(&daily(&days), today), expected, "{days:?}");
    }
}

#[test]
fn practice_games_do_not_touch_streaks() {
    let today = date("2026-11-26");
    let mut doc = PlayerDoc::default();
    doc.apply(&game("p", Mode::Practice, "2026-11-26", true, 1), today);
    assert_eq!(doc.stats(today).current_streak, 0);
    doc.apply(&game("d", Mode::Daily, "2026-11-26", true, 1), today);
    assert_eq!(doc.stats(today).current_streak, 1);
}

#[test]
fn win_rate_is_rounded() {
    let today = date("2026-11-26");
    let mut doc = PlayerDoc::default();
    doc.apply(&game("a", Mode::Daily, "2026-11-24", true, 1), today);
    doc.apply(&game("b", Mode::Daily, "2026-11-25", false, 6), today);
    doc.apply(&game("c", Mode::Daily, "2026-11-26", false, 6), today);
    assert_eq!(doc.stats(today).win_rate, 0.333);
}
