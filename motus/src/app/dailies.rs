//! Daily games left unfinished at midnight: lost, and recorded the next time motus sees their
//! player.

use super::store::Kv;
use super::{Caller, Motus, PlayError};
use crate::domain::game::Game;
use crate::siblings::Siblings;
use spin_kit::game_id::GameId;
use spin_kit::names::PlayerName;

impl<K: Kv, S: Siblings> Motus<'_, K, S> {
    /// The player's daily games from past days that score may not hold yet: each is ended if
    /// still being played (a loss) and returned for recording. Games already recorded, or gone,
    /// leave the list of open dailies. This is how a daily game the player never comes back to
    /// counts: the next time motus sees the player.
    pub fn past_dailies(&self, player: &PlayerName) -> Result<Vec<Game>, PlayError> {
        let today = self.today();
        let mut pending = Vec::new();
        let mut settled = Vec::new();
        for (id, date) in self.store.open_dailies(player)? {
            if date >= today {
                continue;
            }
            match self.store.load(&id)? {
                Some(game) if game.player() == player => {
                    let game = self.end_if_day_over(game)?;
                    match game.needs_recording() {
                        true => pending.push(game),
                        false => settled.push(id),
                    }
                }
                _ => settled.push(id),
            }
        }
        self.store.close(player, &settled)?;
        Ok(pending)
    }

    /// Notes that these games are settled (score holds them).
    pub fn close_dailies(&self, player: &PlayerName, ids: &[GameId]) -> Result<(), PlayError> {
        Ok(self.store.close(player, ids)?)
    }

    /// Ends and records the caller's daily games of past days that score does not hold yet, so
    /// a daily game left unfinished counts as lost the next time the player shows up. Never
    /// fails the request: what is not settled now is settled next time.
    pub async fn settle_past_dailies(&self, caller: &Caller<'_>) {
        let player = caller.player;
        let games = match self.past_dailies(player) {
            Ok(games) => games,
            Err(e) => {
                eprintln!("motus: could not check {player}'s past daily games: {e}");
                return;
            }
        };
        let mut settled = Vec::new();
        for game in games {
            let game = self.settle(caller, game).await;
            if !game.needs_recording() {
                settled.push(game.id().clone());
            }
        }
        if let Err(e) = self.close_dailies(player, &settled) {
            eprintln!("motus: could not close {player}'s past daily games: {e}");
        }
    }
}
