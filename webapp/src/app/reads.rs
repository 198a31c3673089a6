//! The player's history, the leaderboard and today's puzzle: relayed reads.

use super::me::{score_path, Who};
use super::{relay, required, App, AppError, Relayed};
use crate::siblings::{Call, Service, Siblings};
use spin_kit::clock::Clock;

impl<S: Siblings, C: Clock> App<'_, S, C> {
    /// `query` is the validated `?limit=&cursor=` (see [`crate::domain::query::history`]).
    pub async fn history(
        &self,
        token: Option<&str>,
        who: Who<'_>,
        query: &str,
    ) -> Result<Relayed, AppError> {
        let token = required(token)?;
        let call = |name: &str| {
            Call::get(
                Service::Score,
                score_path(name, &format!("/history{query}")),
                Some(token),
            )
        };
        let (_, outcome) = self.as_user(token, who, call).await?;
        relay(Service::Score, outcome?)
    }

    /// Public. `query` is the validated `?period=&limit=`.
    pub async fn leaderboard(&self, query: &str) -> Result<Relayed, AppError> {
        let call = Call::get(Service::Score, format!("/score/leaderboard{query}"), None);
        relay(Service::Score, self.fetch(call).await?)
    }

    /// Public.
    pub async fn daily(&self) -> Result<Relayed, AppError> {
        let call = Call::get(Service::Motus, "/motus/daily", None);
        relay(Service::Motus, self.fetch(call).await?)
    }
}
