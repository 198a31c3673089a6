//! "Défier un ami": the word of a finished practice game, offered to friends through a link.
//!
//! The link holds only the challenge's id, 128 random bits: it says nothing of the word, and
//! changing it names no other challenge, so the link can be neither read nor forged. Each friend
//! plays the word once, as a game of its own with the usual rules; what anyone sees of the others
//! (their grids, never their words) and the answer waits until their own game is over.

use std::fmt;

use serde::{Deserialize, Serialize};
use spin_kit::calendar::Date;
use spin_kit::game_id::{GameId, InvalidGameId, RANDOM_BYTES};
use spin_kit::names::PlayerName;

use super::game::{Game, Mode, NewGame, Status, MAX_TRIES};
use super::marking::Mark;
use super::word::Word;

/// Friends one challenge takes, besides its creator: the challenge page reads every game in it,
/// so this bounds one request's reads.
pub const MAX_FRIENDS: usize = 20;

/// A challenge's id: 128 random bits in 32 lowercase hex digits, as game ids are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChallengeId(GameId);

impl ChallengeId {
    /// The id written from `bytes`, which must come from a cryptographic source.
    pub fn from_random(bytes: [u8; RANDOM_BYTES]) -> Self {
        Self(GameId::from_random(bytes))
    }

    pub fn parse(text: &str) -> Result<Self, InvalidGameId> {
        GameId::parse(text).map(Self)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for ChallengeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why a challenge cannot be made or taken up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChallengeError {
    /// No challenge has this id (none was ever made, or its creator deleted their account).
    #[error("défi introuvable")]
    NotFound,
    /// Only a practice word may be offered: the daily word is everyone's already, and a
    /// challenge's word is the creator's to offer, not a friend's to pass on.
    #[error("seule une partie d’entraînement peut devenir un défi")]
    NotPractice,
    /// The word is offered once the creator knows it, so their result can be compared.
    #[error("la partie n’est pas terminée")]
    NotFinished,
    #[error("vous ne pouvez pas relever votre propre défi")]
    OwnChallenge,
    #[error("ce défi a déjà {MAX_FRIENDS} joueurs")]
    Full,
}

/// A friend who took the challenge up, and the game they play it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub player: PlayerName,
    pub game: GameId,
}

/// A challenge as stored: whose word it is, and who took it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    id: ChallengeId,
    creator: PlayerName,
    /// The creator's practice game the word comes from.
    source: GameId,
    /// Kept here so friends can play it whatever becomes of the creator's game.
    answer: Word,
    created_at: i64,
    /// In the order they took it up.
    friends: Vec<Seat>,
}

/// What taking a challenge up did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// The player was seated with the game offered.
    Seated,
    /// The player already plays it in this game.
    Already(GameId),
}

impl Challenge {
    /// A challenge on the word of `game`, which must be a finished practice game.
    pub fn offer(id: ChallengeId, game: &Game, now: i64) -> Result<Self, ChallengeError> {
        if game.mode() != Mode::Practice {
            return Err(ChallengeError::NotPractice);
        }
        let result = game.result().ok_or(ChallengeError::NotFinished)?;
        Ok(Self {
            id,
            creator: game.player().clone(),
            source: game.id().clone(),
            answer: result.answer.clone(),
            created_at: now,
            friends: Vec::new(),
        })
    }

    pub fn id(&self) -> &ChallengeId {
        &self.id
    }

    pub fn creator(&self) -> &PlayerName {
        &self.creator
    }

    pub fn source(&self) -> &GameId {
        &self.source
    }

    pub fn friends(&self) -> &[Seat] {
        &self.friends
    }

    /// The game `player` plays this challenge in: the source game for its creator.
    pub fn seat_of(&self, player: &PlayerName) -> Option<&GameId> {
        if *player == self.creator {
            return Some(&self.source);
        }
        let seat = self.friends.iter().find(|seat| seat.player == *player);
        seat.map(|seat| &seat.game)
    }

    /// A new game on the challenge's word for `player`, to seat them with through [`Self::take`].
    pub fn game_for(&self, id: GameId, player: &PlayerName, date: Date, now: i64) -> Game {
        Game::new(NewGame {
            id,
            player: player.clone(),
            mode: Mode::Challenge,
            date,
            answer: self.answer.clone(),
            now,
        })
        .in_challenge(self.id.clone())
    }

    /// Seats `player` with `game`, unless they are the creator, already seated, or there is no
    /// seat left.
    pub fn take(&mut self, player: &PlayerName, game: &GameId) -> Result<Taken, ChallengeError> {
        if *player == self.creator {
            return Err(ChallengeError::OwnChallenge);
        }
        if let Some(seated) = self.seat_of(player) {
            return Ok(Taken::Already(seated.clone()));
        }
        if self.friends.len() >= MAX_FRIENDS {
            return Err(ChallengeError::Full);
        }
        self.friends.push(Seat {
            player: player.clone(),
            game: game.clone(),
        });
        Ok(Taken::Seated)
    }

    /// Takes `player` off the challenge (their account is being deleted); says whether they were
    /// on it.
    pub fn leave(&mut self, player: &PlayerName) -> bool {
        let before = self.friends.len();
        self.friends.retain(|seat| seat.player != *player);
        self.friends.len() != before
    }

    /// The challenge as `viewer` may see it, given the games of its players that still exist
    /// (the creator's first, if it does). The others' grids and the answer only once the
    /// viewer's own game is over, which the creator's always is.
    pub fn view<'a>(&'a self, viewer: &PlayerName, games: &'a [Game]) -> ChallengeView<'a> {
        let mine = self.seat_of(viewer);
        let own = mine.and_then(|id| games.iter().find(|game| game.id() == id));
        let role = match (viewer == &self.creator, mine) {
            (true, _) => Role::Creator,
            (false, Some(_)) => Role::Player,
            (false, None) => Role::Visitor,
        };
        let revealed = own.is_some_and(Game::is_over);
        let results = revealed.then(|| {
            games
                .iter()
                .filter(|game| self.seat_of(game.player()) == Some(game.id()))
                .map(|game| Standing {
                    player: game.player(),
                    creator: game.player() == &self.creator,
                    status: game.status(),
                    tries: game.tries(),
                    marks: game.marks(),
                })
                .collect()
        });
        ChallengeView {
            id: &self.id,
            creator: &self.creator,
            length: self.answer.len(),
            first_letter: self.answer.first_letter(),
            max_tries: MAX_TRIES,
            created_at: self.created_at,
            players: 1 + self.friends.len(),
            role,
            game: mine,
            status: own.map(Game::status),
            answer: revealed.then_some(&self.answer),
            results,
        }
    }
}

/// How the viewer stands to a challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Creator,
    /// Took it up.
    Player,
    /// Has the link, has not taken it up yet.
    Visitor,
}

/// The challenge page (`GET /motus/challenges/{id}`).
#[derive(Debug, Serialize)]
pub struct ChallengeView<'a> {
    pub id: &'a ChallengeId,
    pub creator: &'a PlayerName,
    pub length: usize,
    pub first_letter: char,
    pub max_tries: usize,
    pub created_at: i64,
    /// The creator and every friend who took it up.
    pub players: usize,
    pub role: Role,
    /// The viewer's game on this word, if they have one.
    pub game: Option<&'a GameId>,
    /// Where the viewer's game stands.
    pub status: Option<Status>,
    /// `None` until the viewer's game is over: the type leaves no other way to reach the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<&'a Word>,
    /// Everyone's result, creator first; `None` until the viewer's game is over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<Standing<'a>>>,
}

/// One player's game as the others see it: marks, never words.
#[derive(Debug, Serialize)]
pub struct Standing<'a> {
    pub player: &'a PlayerName,
    pub creator: bool,
    pub status: Status,
    pub tries: usize,
    pub marks: Vec<Vec<Mark>>,
}

#[cfg(test)]
mod tests;
