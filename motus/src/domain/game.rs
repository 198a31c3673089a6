//! One game of Motus: its rules, and what may be shown of it.

use serde::{Deserialize, Serialize};

use super::challenge::ChallengeId;
use super::dictionary::Dictionary;
use super::marking::{mark, Mark};
use super::word::{Guess, Word, MAX_LEN, MIN_LEN};
use spin_kit::calendar::Date;
use spin_kit::game_id::GameId;
use spin_kit::names::PlayerName;

/// Tries a player gets, as on television.
pub const MAX_TRIES: usize = 6;

/// The daily word, shared by everyone, a private practice word, or the word of a practice game
/// a friend offered as a challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Daily,
    Practice,
    Challenge,
}

/// A word length the game supports: 6 to 10 letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "usize", into = "usize")]
pub struct Length(usize);

/// A length outside 6–10.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a word has {MIN_LEN} to {MAX_LEN} letters, not {0}")]
pub struct InvalidLength(pub usize);

impl Length {
    pub const ALL: [Length; 5] = [Length(6), Length(7), Length(8), Length(9), Length(10)];

    pub fn new(letters: usize) -> Result<Self, InvalidLength> {
        if (MIN_LEN..=MAX_LEN).contains(&letters) {
            Ok(Self(letters))
        } else {
            Err(InvalidLength(letters))
        }
    }

    /// The length of a word; `None` never happens for a real `Word` but keeps callers total.
    pub fn of(word: &Word) -> Option<Self> {
        Self::new(word.len()).ok()
    }

    pub fn get(self) -> usize {
        self.0
    }
}

impl TryFrom<usize> for Length {
    type Error = InvalidLength;

    fn try_from(letters: usize) -> Result<Self, InvalidLength> {
        Self::new(letters)
    }
}

impl From<Length> for usize {
    fn from(length: Length) -> Self {
        length.0
    }
}

/// Where a game stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Playing,
    Won,
    Lost,
}

/// Why a guess was not accepted. Except for `GameOver` none of these uses up a try.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("la partie est terminée")]
    GameOver,
    #[error("le mot doit avoir {expected} lettres, pas {got}")]
    WrongLength { expected: usize, got: usize },
    #[error("le mot doit commencer par {expected}")]
    WrongFirstLetter { expected: char },
    #[error("ce mot n'est pas dans le dictionnaire")]
    NotInDictionary,
}

/// Everything needed to start a game; the caller has drawn the id and the answer.
pub struct NewGame {
    pub id: GameId,
    pub player: PlayerName,
    pub mode: Mode,
    pub date: Date,
    pub answer: Word,
    pub now: i64,
}

/// A game as stored: the answer and the accepted guesses; marks and status are derived.
///
/// Invariants, checked again when a stored game is read back: every guess has the answer's
/// length, there are at most [`MAX_TRIES`] guesses, and nothing follows a winning guess.
/// The answer is private and only leaves through [`Game::view`] and [`Game::result`], which
/// release it once the game is over.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Record")]
pub struct Game(Record);

impl Serialize for Game {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl Game {
    pub fn new(new: NewGame) -> Self {
        Self(Record {
            id: new.id,
            player: new.player,
            mode: new.mode,
            date: new.date,
            answer: new.answer,
            guesses: Vec::new(),
            created_at: new.now,
            finished_at: None,
            recorded: false,
            abandoned: false,
            challenge: None,
        })
    }

    /// The same game, played as part of `challenge`.
    pub fn in_challenge(mut self, challenge: ChallengeId) -> Self {
        self.0.mode = Mode::Challenge;
        self.0.challenge = Some(challenge);
        self
    }

    /// The challenge this game takes up, for a challenge game.
    pub fn challenge(&self) -> Option<&ChallengeId> {
        self.0.challenge.as_ref()
    }

    /// The marks of every accepted guess, without the words: what other players of a challenge
    /// may see of this game.
    pub fn marks(&self) -> Vec<Vec<Mark>> {
        let answer = &self.0.answer;
        self.0
            .guesses
            .iter()
            .map(|word| mark(answer, word))
            .collect()
    }

    pub fn tries(&self) -> usize {
        self.0.guesses.len()
    }

    pub fn id(&self) -> &GameId {
        &self.0.id
    }

    pub fn player(&self) -> &PlayerName {
        &self.0.player
    }

    pub fn mode(&self) -> Mode {
        self.0.mode
    }

    pub fn date(&self) -> Date {
        self.0.date
    }

    pub fn length(&self) -> usize {
        self.0.answer.len()
    }

    pub fn first_letter(&self) -> char {
        self.0.answer.first_letter()
    }

    pub fn status(&self) -> Status {
        if self.0.guesses.last() == Some(&self.0.answer) {
            Status::Won
        } else if self.0.guesses.len() >= MAX_TRIES || self.0.abandoned {
            Status::Lost
        } else {
            Status::Playing
        }
    }

    pub fn is_over(&self) -> bool {
        self.status() != Status::Playing
    }

    /// True once the game is over and score has not yet acknowledged it. Challenge games never
    /// go to score: a friend's word could be farmed for points, and the daily leaderboard is for
    /// the daily word alone.
    pub fn needs_recording(&self) -> bool {
        self.is_over() && !self.0.recorded && self.0.mode != Mode::Challenge
    }

    /// Ends a daily game still being played once its day is over (`today` is past its date):
    /// the word is everyone's and about to be shown to all, so the game is lost. Returns
    /// whether anything changed (so whether to save).
    pub fn abandon_if_over(&mut self, today: Date, now: i64) -> bool {
        let expired = self.0.mode == Mode::Daily && self.0.date < today && !self.is_over();
        if expired {
            self.0.abandoned = true;
            self.0.finished_at = Some(now);
        }
        expired
    }

    /// True for a daily game whose day is over but that is still marked as being played.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.0.mode == Mode::Daily && self.0.date < today && !self.is_over()
    }

    /// Notes that score has the result; returns whether anything changed (so whether to save).
    pub fn mark_recorded(&mut self) -> bool {
        let changed = self.is_over() && !self.0.recorded;
        self.0.recorded |= changed;
        changed
    }

    /// Plays `guess`. Rejected guesses leave the game untouched: no try is used.
    ///
    /// Checks run from the cheapest to the dearest and from the most to the least obvious to the
    /// player: game over, length, first letter, then the dictionary.
    pub fn play(
        &mut self,
        guess: &Guess,
        dictionary: &Dictionary<'_>,
        now: i64,
    ) -> Result<Status, Rejection> {
        if self.is_over() {
            return Err(Rejection::GameOver);
        }
        if guess.len() != self.length() {
            return Err(Rejection::WrongLength {
                expected: self.length(),
                got: guess.len(),
            });
        }
        if guess.first_letter() != self.first_letter() {
            return Err(Rejection::WrongFirstLetter {
                expected: self.first_letter(),
            });
        }
        let word = Word::try_from(guess.clone()).map_err(|_| Rejection::NotInDictionary)?;
        if word != self.0.answer && !dictionary.is_valid(&word) {
            return Err(Rejection::NotInDictionary);
        }
        self.0.guesses.push(word);
        let status = self.status();
        if status != Status::Playing {
            self.0.finished_at = Some(now);
        }
        Ok(status)
    }

    /// What the owner may see. The answer is included only once the game is over.
    pub fn view(&self) -> GameView<'_> {
        let over = self.is_over();
        GameView {
            id: &self.0.id,
            mode: self.0.mode,
            date: self.0.date,
            length: self.length(),
            first_letter: self.first_letter(),
            max_tries: MAX_TRIES,
            guesses: self
                .0
                .guesses
                .iter()
                .map(|word| GuessView {
                    word,
                    marks: mark(&self.0.answer, word),
                })
                .collect(),
            status: self.status(),
            answer: over.then_some(&self.0.answer),
            recorded: (over && self.0.mode != Mode::Challenge).then_some(self.0.recorded),
            abandoned: self.0.abandoned,
            challenge: self.0.challenge.as_ref(),
        }
    }

    /// The summary score verifies; only finished games have one.
    pub fn result(&self) -> Option<GameResult<'_>> {
        let finished_at = self.0.finished_at.filter(|_| self.is_over())?;
        Some(GameResult {
            game_id: &self.0.id,
            player: &self.0.player,
            mode: self.0.mode,
            date: self.0.date,
            length: self.length(),
            won: self.status() == Status::Won,
            tries: self.0.guesses.len(),
            answer: &self.0.answer,
            finished_at,
            abandoned: self.0.abandoned,
        })
    }
}

/// The game as its owner sees it (`GET /motus/games/{id}`).
#[derive(Debug, Serialize)]
pub struct GameView<'a> {
    pub id: &'a GameId,
    pub mode: Mode,
    pub date: Date,
    pub length: usize,
    pub first_letter: char,
    pub max_tries: usize,
    pub guesses: Vec<GuessView<'a>>,
    pub status: Status,
    /// `None` while playing: the type leaves no other way to reach the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<&'a Word>,
    /// Whether score has acknowledged the result; only present once a game score records is over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<bool>,
    /// Present (true) only for a daily game lost because its day ended first.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub abandoned: bool,
    /// The challenge a challenge game takes up; absent for the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge: Option<&'a ChallengeId>,
}

/// One accepted guess with its marks.
#[derive(Debug, Serialize)]
pub struct GuessView<'a> {
    pub word: &'a Word,
    pub marks: Vec<Mark>,
}

/// The result of a finished game (`GET /motus/games/{id}/result`), the contract with score.
#[derive(Debug, Serialize)]
pub struct GameResult<'a> {
    pub game_id: &'a GameId,
    pub player: &'a PlayerName,
    pub mode: Mode,
    pub date: Date,
    pub length: usize,
    pub won: bool,
    pub tries: usize,
    pub answer: &'a Word,
    pub finished_at: i64,
    pub abandoned: bool,
}

/// The stored shape; read back, it is validated into a [`Game`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Record {
    id: GameId,
    player: PlayerName,
    mode: Mode,
    date: Date,
    answer: Word,
    guesses: Vec<Word>,
    created_at: i64,
    finished_at: Option<i64>,
    recorded: bool,
    /// A daily game still being played when its day ended: lost, however many tries it had.
    #[serde(default)]
    abandoned: bool,
    /// The challenge a challenge game takes up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    challenge: Option<ChallengeId>,
}

/// A stored game that breaks the rules; it is reported rather than served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored game breaks the rules: {0}")]
pub struct CorruptGame(&'static str);

impl TryFrom<Record> for Game {
    type Error = CorruptGame;

    fn try_from(r: Record) -> Result<Self, CorruptGame> {
        if r.guesses.len() > MAX_TRIES {
            return Err(CorruptGame("too many guesses"));
        }
        if r.guesses.iter().any(|g| g.len() != r.answer.len()) {
            return Err(CorruptGame("a guess has the wrong length"));
        }
        let winning = r.guesses.iter().position(|g| *g == r.answer);
        if winning.is_some_and(|i| i + 1 != r.guesses.len()) {
            return Err(CorruptGame("guesses after the win"));
        }
        if (r.mode == Mode::Challenge) != r.challenge.is_some() {
            return Err(CorruptGame(
                "a challenge game names its challenge, no other does",
            ));
        }
        Ok(Self(r))
    }
}

#[cfg(test)]
mod tests;
