//! One game at a time: start it, read it, play in it, read its result.

use super::store::{Change, Kv};
use super::{Entropy, Motus, PlayError, Started};
use crate::domain::draw::practice_answer;
use crate::domain::game::{Game, Length, Mode, NewGame, Rejection};
use crate::domain::word::Guess;
use crate::siblings::Siblings;
use spin_kit::game_id::GameId;
use spin_kit::names::PlayerName;

/// How far back the unfinished games are looked for: a bound on the reads of one request, and
/// more games than a player leaves half-played and still means to finish.
pub const RECENT_GAMES: i64 = 10;

impl<K: Kv, S: Siblings> Motus<'_, K, S> {
    /// Starts a practice game, or starts or resumes today's daily game, and makes it current.
    /// `length` only applies to practice: the daily word is the same for everyone.
    pub fn start(
        &self,
        player: &PlayerName,
        mode: Mode,
        length: Option<Length>,
        entropy: Entropy,
    ) -> Result<Started, PlayError> {
        let date = self.today();
        let answer = match mode {
            Mode::Daily => self.daily_word(date)?,
            Mode::Practice => practice_answer(length, entropy.pick, self.dictionary.answers())
                .ok_or(PlayError::NoAnswer)?,
            // A challenge game starts from its challenge (`take_up`), never from a mode alone.
            Mode::Challenge => return Err(PlayError::NotFound),
        };
        let fresh = Game::new(NewGame {
            id: GameId::from_random(entropy.id),
            player: player.clone(),
            mode,
            date,
            answer,
            now: self.now,
        });
        let started = match mode {
            Mode::Daily => {
                let (game, created) = self.store.claim_daily(date, player, fresh)?;
                Started { game, created }
            }
            Mode::Practice | Mode::Challenge => {
                self.store.insert(&fresh)?;
                Started {
                    game: fresh,
                    created: true,
                }
            }
        };
        let id = started.game.id();
        if started.created || self.store.current(player)?.as_ref() != Some(id) {
            self.store.set_current(player, id)?;
        }
        Ok(started)
    }

    /// The caller's game; someone else's game is reported as not found.
    pub fn game(&self, player: &PlayerName, id: &GameId) -> Result<Game, PlayError> {
        let game = self
            .store
            .load(id)?
            .filter(|game| game.player() == player)
            .ok_or(PlayError::NotFound)?;
        self.end_if_day_over(game)
    }

    /// Plays `guess` in the caller's game `id`. Only an accepted guess writes, or the end of a
    /// daily game whose day is over, which refuses the guess as the game is then over.
    pub fn guess(
        &self,
        player: &PlayerName,
        id: &GameId,
        guess: &Guess,
    ) -> Result<Game, PlayError> {
        let today = self.today();
        let updated = self.store.update(id, |game| {
            if game.player() != player {
                return Err(PlayError::NotFound);
            }
            if game.abandon_if_over(today, self.now) {
                return Ok(Change::Save(Err(Rejection::GameOver)));
            }
            game.play(guess, self.dictionary, self.now)?;
            Ok(Change::Save(Ok(())))
        })?;
        let (game, played) = updated.ok_or(PlayError::NotFound)?;
        played?;
        Ok(game)
    }

    /// The player's games still being played among their last [`RECENT_GAMES`], most recent
    /// first: what a player coming back (on any device) can resume. A daily game whose day is
    /// over is not one of them (it is lost, and ended by `settle_past_dailies`).
    pub fn unfinished(&self, player: &PlayerName) -> Result<Vec<Game>, PlayError> {
        let today = self.today();
        let mut games = Vec::new();
        for id in self.store.recent(player, RECENT_GAMES)? {
            let Some(game) = self.store.load(&id)? else {
                continue;
            };
            if game.player() == player && !game.is_over() && !game.is_overdue(today) {
                games.push(game);
            }
        }
        Ok(games)
    }

    /// `game` as it stands now: a daily game still being played after its day is lost, and
    /// saved so (once, by compare-and-swap; a concurrent request may have done it already).
    pub(super) fn end_if_day_over(&self, game: Game) -> Result<Game, PlayError> {
        let today = self.today();
        if !game.is_overdue(today) {
            return Ok(game);
        }
        let updated = self.store.update(game.id(), |game| {
            Ok::<_, PlayError>(match game.abandon_if_over(today, self.now) {
                true => Change::Save(()),
                false => Change::Keep(()),
            })
        })?;
        updated.map(|(game, ())| game).ok_or(PlayError::NotFound)
    }

    /// The seed's `POST /motus/guess`: plays in the caller's current game while it is still on,
    /// otherwise in today's daily game (started if need be).
    pub fn guess_current(
        &self,
        player: &PlayerName,
        guess: &Guess,
        entropy: Entropy,
    ) -> Result<Game, PlayError> {
        let today = self.today();
        let ongoing = match self.store.current(player)? {
            Some(id) => self
                .store
                .load(&id)?
                .filter(|g| g.player() == player && !g.is_over() && !g.is_overdue(today)),
            None => None,
        };
        let id = match ongoing {
            Some(game) => game.id().clone(),
            None => self
                .start(player, Mode::Daily, None, entropy)?
                .game
                .id()
                .clone(),
        };
        self.guess(player, &id, guess)
    }

    /// A finished game, for score: `caller` is the player whose token came with the request,
    /// or `None` for a sibling that proved it holds the shared secret. Another player's game is
    /// unknown to them, and a challenge game to everyone: score never counts one, whoever asks.
    pub fn finished(&self, id: &GameId, caller: Option<&PlayerName>) -> Result<Game, PlayError> {
        let game = self
            .store
            .load(id)?
            .filter(|game| caller.is_none_or(|player| game.player() == player))
            .filter(|game| game.mode() != Mode::Challenge)
            .ok_or(PlayError::NotFound)?;
        let game = self.end_if_day_over(game)?;
        if game.is_over() {
            Ok(game)
        } else {
            Err(PlayError::NotFinished)
        }
    }
}
