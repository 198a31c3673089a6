//! "Défier un ami": offering a finished practice game's word, taking a challenge up, and the
//! challenge page. The rules are `domain::challenge`'s; this is the store around them.

use super::store::{Change, Kv};
use super::{Caller, Entropy, Motus, PlayError, Started};
use crate::domain::challenge::{Challenge, ChallengeError, ChallengeId, ChallengeView, Taken};
use crate::domain::game::Game;
use crate::siblings::Siblings;
use spin_kit::game_id::GameId;
use spin_kit::names::PlayerName;

/// A challenge with the games played on it that still exist, the creator's first.
#[derive(Debug)]
pub struct Page {
    pub challenge: Challenge,
    pub games: Vec<Game>,
}

impl Page {
    pub fn view(&self, viewer: &PlayerName) -> ChallengeView<'_> {
        self.challenge.view(viewer, &self.games)
    }
}

impl<K: Kv, S: Siblings> Motus<'_, K, S> {
    /// `POST /motus/challenges`: a challenge on the word of the caller's finished practice game
    /// `game`; the same one again if that game was offered before (`false`: not created now).
    /// `id` is drawn at random by the caller, and used only if the challenge is new.
    pub async fn offer(
        &self,
        caller: &Caller<'_>,
        game: &GameId,
        id: ChallengeId,
    ) -> Result<(Page, bool), PlayError> {
        let game = self.game(caller.player, game)?;
        let fresh = Challenge::offer(id, &game, self.now)?;
        let (challenge, created) = self.store.offer_challenge(fresh)?;
        Ok((self.page(challenge)?, created))
    }

    /// `POST /motus/challenges/{id}/games`: the caller's game on the challenge's word, started
    /// the first time, the same one after that; it becomes their current game, as a new game
    /// does. The creator has played it already and may not play it again.
    pub async fn take_up(
        &self,
        caller: &Caller<'_>,
        id: &ChallengeId,
        entropy: Entropy,
    ) -> Result<Started, PlayError> {
        // A challenge game is a new game like any other: none for a name just deleted.
        self.refuse_forgotten(caller.player)?;
        self.settle_past_dailies(caller).await;
        self.settle_current(caller).await;
        let player = caller.player;
        let challenge = self.challenge_or_404(id)?;
        if challenge.creator() == player {
            return Err(ChallengeError::OwnChallenge.into());
        }
        let started = match challenge.seat_of(player) {
            Some(seated) => Started {
                game: self.game(player, seated)?,
                created: false,
            },
            None => self.seat(&challenge, player, entropy)?,
        };
        self.store.set_current(player, started.game.id())?;
        Ok(started)
    }

    /// A fresh game on the challenge's word for `player`, stored, then seated by
    /// compare-and-swap; if a concurrent request of theirs was seated first, that game is
    /// theirs and this one goes.
    fn seat(
        &self,
        challenge: &Challenge,
        player: &PlayerName,
        entropy: Entropy,
    ) -> Result<Started, PlayError> {
        let fresh = challenge.game_for(
            GameId::from_random(entropy.id),
            player,
            self.today(),
            self.now,
        );
        self.store.insert(&fresh)?;
        let taken = self.store.update_challenge(challenge.id(), |challenge| {
            Ok::<_, PlayError>(match challenge.take(player, fresh.id())? {
                Taken::Seated => Change::Save(None),
                Taken::Already(game) => Change::Keep(Some(game)),
            })
        });
        let earlier = match taken {
            Ok(Some((_, None))) => {
                return Ok(Started {
                    game: fresh,
                    created: true,
                })
            }
            Ok(Some((_, Some(game)))) => Ok(game),
            Ok(None) => Err(ChallengeError::NotFound.into()),
            Err(e) => Err(e),
        };
        self.store.discard(fresh.id())?;
        Ok(Started {
            game: self.game(player, &earlier?)?,
            created: false,
        })
    }

    /// `GET /motus/challenges/{id}`: the challenge and its games, for the caller to see what
    /// [`Page::view`] lets them.
    pub async fn challenge(&self, id: &ChallengeId) -> Result<Page, PlayError> {
        let challenge = self.challenge_or_404(id)?;
        self.page(challenge)
    }

    fn challenge_or_404(&self, id: &ChallengeId) -> Result<Challenge, PlayError> {
        let challenge = self.store.load_challenge(id)?;
        Ok(challenge.ok_or(ChallengeError::NotFound)?)
    }

    fn page(&self, challenge: Challenge) -> Result<Page, PlayError> {
        let seats = std::iter::once((challenge.creator(), challenge.source())).chain(
            challenge
                .friends()
                .iter()
                .map(|seat| (&seat.player, &seat.game)),
        );
        let mut games = Vec::new();
        for (player, id) in seats {
            // A game whose player was deleted meanwhile is simply left out.
            if let Some(game) = self.store.load(id)?.filter(|g| g.player() == player) {
                games.push(game);
            }
        }
        Ok(Page { challenge, games })
    }
}
