//! The requests of a player identified by auth, as the routes make them: each first settles
//! what the player left behind (past daily games, an unrecorded last game), then does its part,
//! then hands a game that just ended to score.

use super::store::Kv;
use super::{Entropy, Motus, PlayError, Started};
use crate::domain::game::{Game, Length, Mode};
use crate::domain::word::Guess;
use crate::siblings::Siblings;
use spin_kit::game_id::GameId;
use spin_kit::names::PlayerName;

/// A player's request: who auth says they are, and their bearer token, which goes along to
/// score (score checks with auth that the game it records is the token holder's).
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub player: &'a PlayerName,
    pub token: &'a str,
}

/// Who asks for a finished game's result, which holds the answer: a secret until its day is
/// over, so only the game's player or a sibling holding the shared secret may read it.
#[derive(Debug, Clone, Copy)]
pub enum Reader<'a> {
    /// A sibling that presented the `result_secret`.
    Trusted,
    /// Whoever holds this bearer token, according to auth.
    Token(&'a str),
}

impl<K: Kv, S: Siblings> Motus<'_, K, S> {
    /// `POST /motus/games`: before a new game, the previous one gets a chance to be recorded.
    pub async fn new_game(
        &self,
        caller: &Caller<'_>,
        mode: Mode,
        length: Option<Length>,
        entropy: Entropy,
    ) -> Result<Started, PlayError> {
        self.refuse_forgotten(caller.player)?;
        self.settle_past_dailies(caller).await;
        self.settle_current(caller).await;
        self.start(caller.player, mode, length, entropy)
    }

    /// `GET /motus/games/{id}`.
    pub async fn open_game(&self, caller: &Caller<'_>, id: &GameId) -> Result<Game, PlayError> {
        self.settle_past_dailies(caller).await;
        let game = self.game(caller.player, id)?;
        Ok(self.settle(caller, game).await)
    }

    /// `POST /motus/games/{id}/guesses`.
    pub async fn play(
        &self,
        caller: &Caller<'_>,
        id: &GameId,
        guess: &Guess,
    ) -> Result<Game, PlayError> {
        self.settle_past_dailies(caller).await;
        let game = self.guess(caller.player, id, guess)?;
        Ok(self.settle(caller, game).await)
    }

    /// `GET /motus/games/open`: the caller's unfinished games, most recent first, and the id of
    /// their current game (the one last started or resumed) when it is one of them: where the
    /// player left off, if they left a game unfinished.
    pub async fn open_games(
        &self,
        caller: &Caller<'_>,
    ) -> Result<(Vec<Game>, Option<GameId>), PlayError> {
        self.settle_past_dailies(caller).await;
        let games = self.unfinished(caller.player)?;
        let current = self
            .store
            .current(caller.player)?
            .filter(|id| games.iter().any(|game| game.id() == id));
        Ok((games, current))
    }

    /// `POST /motus/guess`, the seed route: the current game, else today's daily game.
    pub async fn play_current(
        &self,
        caller: &Caller<'_>,
        guess: &Guess,
        entropy: Entropy,
    ) -> Result<Game, PlayError> {
        self.settle_past_dailies(caller).await;
        self.settle_current(caller).await;
        let game = self.guess_current(caller.player, guess, entropy)?;
        Ok(self.settle(caller, game).await)
    }

    /// `GET /motus/games/{id}/result`: the finished game, for its player or a trusted sibling.
    pub async fn result(&self, id: &GameId, reader: Reader<'_>) -> Result<Game, PlayError> {
        let player = match reader {
            Reader::Trusted => None,
            Reader::Token(token) => Some(self.authenticate(token).await?),
        };
        self.finished(id, player.as_ref())
    }

    /// `DELETE /motus/players/{name}`: only with the player's own token. Done also when there
    /// was nothing to delete.
    pub fn forget_player(&self, caller: &Caller<'_>, name: &str) -> Result<(), PlayError> {
        if PlayerName::parse(name).ok().as_ref() != Some(caller.player) {
            return Err(PlayError::Forbidden);
        }
        self.forget(caller.player)
    }

    /// Deletes every game of the player and every key that names them.
    ///
    /// An access token issued before the deletion stays valid until it expires, and motus checks
    /// it without auth: so the name is marked forgotten, first, for the longest lifetime an
    /// access token may have, and [`Motus::new_game`] starts no game for it meanwhile. Otherwise a
    /// game started in that window would outlive the account it belonged to.
    pub fn forget(&self, player: &PlayerName) -> Result<(), PlayError> {
        if self.forgotten_for > 0 {
            let until = self.now.saturating_add(self.forgotten_for);
            self.store.mark_forgotten(player, until)?;
        }
        Ok(self.store.forget(player, self.today())?)
    }

    /// A name forgotten moments ago gets no new game: its caller holds a token from before the
    /// deletion (see [`Motus::forget`]).
    pub(super) fn refuse_forgotten(&self, player: &PlayerName) -> Result<(), PlayError> {
        match self.store.forgotten_until(player)? {
            Some(until) if self.now < until => Err(PlayError::Unauthenticated),
            _ => Ok(()),
        }
    }
}
