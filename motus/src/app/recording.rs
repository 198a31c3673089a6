//! Handing finished games to score. A guess never fails because score is down: the game is saved
//! first, and recording is retried later (the next read of the game, the player's next new game
//! or seed-route guess) until score holds it.

use super::store::{Change, Kv};
use super::{Caller, Motus, PlayError};
use crate::domain::game::Game;
use crate::siblings::Siblings;
use spin_kit::game_id::GameId;
use spin_kit::names::PlayerName;

impl<K: Kv, S: Siblings> Motus<'_, K, S> {
    /// Hands a finished game to score if score does not have it yet. Never fails: the game is
    /// returned as it stands, with `recorded: false` until a later request succeeds.
    pub async fn settle(&self, caller: &Caller<'_>, game: Game) -> Game {
        if !game.needs_recording() {
            return game;
        }
        if let Err(e) = self.siblings.record(game.id(), caller.token).await {
            eprintln!("motus: score did not record game {}: {e}", game.id());
            return game;
        }
        self.mark_recorded(game.id()).unwrap_or_else(|e| {
            eprintln!("motus: could not mark game {} recorded: {e}", game.id());
            game
        })
    }

    /// Retries recording the caller's previous game before it stops being current.
    pub async fn settle_current(&self, caller: &Caller<'_>) {
        match self.unrecorded_current(caller.player) {
            Ok(Some(game)) => {
                self.settle(caller, game).await;
            }
            Ok(None) => {}
            Err(e) => eprintln!("motus: could not check {}'s last game: {e}", caller.player),
        }
    }

    /// The player's current game if it is over and score has not acknowledged it yet.
    pub fn unrecorded_current(&self, player: &PlayerName) -> Result<Option<Game>, PlayError> {
        let Some(id) = self.store.current(player)? else {
            return Ok(None);
        };
        Ok(self
            .store
            .load(&id)?
            .filter(|g| g.player() == player && g.needs_recording()))
    }

    /// Notes that score holds the result of `id`; writes only the first time.
    pub fn mark_recorded(&self, id: &GameId) -> Result<Game, PlayError> {
        let updated = self.store.update(id, |game| {
            Ok::<_, PlayError>(if game.mark_recorded() {
                Change::Save(())
            } else {
                Change::Keep(())
            })
        })?;
        updated.map(|(game, ())| game).ok_or(PlayError::NotFound)
    }
}
