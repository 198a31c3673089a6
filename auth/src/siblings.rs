//! The services that keep data about a player (motus: games; score: stats, history,
//! leaderboard entries), as auth needs them when an account is deleted.

use std::future::Future;

use crate::domain::SessionToken;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sibling {
    Motus,
    Score,
}

impl Sibling {
    /// Motus first: once its games are gone, no game of the player can be recorded by score
    /// any more (score checks every game it records with motus).
    pub const ALL: [Sibling; 2] = [Sibling::Motus, Sibling::Score];

    pub fn name(self) -> &'static str {
        match self {
            Sibling::Motus => "motus",
            Sibling::Score => "score",
        }
    }

    /// The sibling's route that forgets one player, as agreed with it:
    /// `DELETE /motus/players/{player}`, `DELETE /score/players/{player}`. Usernames hold only
    /// unreserved URL characters, so the name goes in as is.
    pub fn players_path(self, player: &str) -> String {
        format!("/{}/players/{player}", self.name())
    }
}

/// Why a sibling did not confirm: it answered something else than 2xx, or nothing in time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SiblingFailure(pub String);

/// How a call to a sibling ended: done, or why not.
pub type Outcome = Result<(), SiblingFailure>;

/// Deleting what the siblings keep about a player; over outbound HTTP in Spin, faked in tests.
pub trait PlayerData {
    /// Asks `sibling` to forget `player`, authenticated with the player's own `token` (the
    /// sibling checks it with auth, as on every other call). Done when the sibling holds nothing
    /// more about the player, also when it held nothing to begin with.
    fn forget(
        &self,
        sibling: Sibling,
        player: &str,
        token: &SessionToken,
    ) -> impl Future<Output = Outcome>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_sibling_forgets_a_player_under_its_own_prefix() {
        assert_eq!(
            Sibling::Motus.players_path("Zoe_92"),
            "/motus/players/Zoe_92"
        );
        assert_eq!(Sibling::Score.players_path("a.b"), "/score/players/a.b");
        assert_eq!(Sibling::ALL, [Sibling::Motus, Sibling::Score]);
    }
}
