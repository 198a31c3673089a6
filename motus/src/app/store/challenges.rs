//! Challenges in the store. Keys:
//! - `challenge:{id}` → the challenge as JSON, under revision control (friends join by
//!   compare-and-swap, so two friends never take one seat and one friend never takes two);
//! - `offer:{game id}` → id of the challenge made from that practice game, created once by a
//!   claim, so offering a game twice gives the same link.

use spin_kit::game_id::GameId;
use spin_kit::kv::{get_json, insert_json, remove_json, update_json, Step};

use super::{game_key, Change, Kv, Store, StoreError, MAX_ATTEMPTS};
use crate::domain::challenge::{Challenge, ChallengeId};
use crate::domain::game::{Game, Mode};

impl<K: Kv> Store<'_, K> {
    pub fn load_challenge(&self, id: &ChallengeId) -> Result<Option<Challenge>, StoreError> {
        get_json(self.kv, &challenge_key(id))
    }

    /// The challenge made from `fresh`'s source game: `fresh`, stored, if there was none yet,
    /// else the one made first. Returns it and whether it is `fresh`.
    ///
    /// The challenge is written before the pointer to it, so a pointer never dangles; if another
    /// request offers the same game first, its challenge wins and `fresh` is removed again
    /// (nobody can know its random id yet).
    pub fn offer_challenge(&self, fresh: Challenge) -> Result<(Challenge, bool), StoreError> {
        let key = offer_key(fresh.source());
        if let Some(id) = get_json::<_, ChallengeId>(self.kv, &key)? {
            return Ok((self.offered(&key, &id)?, false));
        }
        insert_json(self.kv, &challenge_key(fresh.id()), &fresh)?;
        let ours = fresh.id().clone();
        let (id, created) = update_json(self.kv, &key, MAX_ATTEMPTS, |id: Option<ChallengeId>| {
            Ok::<_, StoreError>(match id {
                Some(id) => Step::Keep((id, false)),
                None => Step::Write(ours.clone(), (ours.clone(), true)),
            })
        })?;
        if created {
            return Ok((fresh, true));
        }
        self.kv.delete(&challenge_key(fresh.id()))?;
        Ok((self.offered(&key, &id)?, false))
    }

    fn offered(&self, key: &str, id: &ChallengeId) -> Result<Challenge, StoreError> {
        self.load_challenge(id)?
            .ok_or_else(|| StoreError::Corrupt(format!("{key} points to a missing challenge")))
    }

    /// Reads the challenge, lets `apply` change it, and writes it back only if nobody wrote in
    /// between (else starts over on the newer version). `Ok(None)`: no such challenge.
    ///
    /// `apply` may run several times and must decide from the challenge it is given alone.
    pub fn update_challenge<T, E: From<StoreError>>(
        &self,
        id: &ChallengeId,
        apply: impl FnMut(&mut Challenge) -> Result<Change<T>, E>,
    ) -> Result<Option<(Challenge, T)>, E> {
        self.update_existing(&challenge_key(id), apply)
    }

    /// Removes a game nobody else can know yet (a friend's game whose seat another request
    /// took first).
    pub fn discard(&self, id: &GameId) -> Result<(), StoreError> {
        self.kv.delete(&game_key(id))
    }

    /// What a deleted player leaves in challenges through `game`: a challenge made from it goes
    /// (with its link), and a challenge it takes up no longer names the player. Both can be
    /// repeated.
    pub(super) fn forget_challenges(&self, game: &Game) -> Result<(), StoreError> {
        let key = offer_key(game.id());
        if let Some(id) = get_json::<_, ChallengeId>(self.kv, &key)? {
            remove_json::<_, Challenge>(self.kv, &challenge_key(&id), MAX_ATTEMPTS)?;
            remove_json::<_, ChallengeId>(self.kv, &key, MAX_ATTEMPTS)?;
        }
        if let (Mode::Challenge, Some(id)) = (game.mode(), game.challenge()) {
            let player = game.player();
            self.update_challenge(id, |challenge| {
                Ok::<_, StoreError>(match challenge.leave(player) {
                    true => Change::Save(()),
                    false => Change::Keep(()),
                })
            })?;
        }
        Ok(())
    }
}

fn challenge_key(id: &ChallengeId) -> String {
    format!("challenge:{id}")
}

fn offer_key(game: &GameId) -> String {
    format!("offer:{game}")
}
