//! `/api/me`: who the player is, their stats, today's puzzle and the games they left unfinished,
//! fetched at once.

use super::{json_of, App, AppError};
use crate::siblings::{Answer, Call, Service, Siblings};
use serde_json::{json, Value};
use spin_kit::calendar::next_midnight_in_paris;
use spin_kit::clock::Clock;
use spin_kit::percent;

impl<S: Siblings, C: Clock> App<'_, S, C> {
    /// Two calls at once: motus (the open games and today's outline, one answer) and score (the
    /// stats); auth too when no access token names the player. Auth must answer; score and motus
    /// may fail, which leaves their part `null` and names them in `degraded`. A visitor without a session cookie is an answer, not an error: the page asks
    /// on every first visit, and a 401 there would be logged by the browser as a failure. A cookie
    /// that is present but refused by auth stays a 401 (the session really did end).
    pub async fn me(&self, token: Option<&str>, who: Who<'_>) -> Result<Value, AppError> {
        // When today's daily word gives way to the next one (Paris midnight), for the countdown.
        let next_daily_at = next_midnight_in_paris(self.clock.now());
        let Some(token) = token else {
            return Ok(json!({ "authenticated": false, "next_daily_at": next_daily_at }));
        };
        let stats_call = |name: &str| Call::get(Service::Score, score_path(name, ""), None);
        // The token goes to motus before auth has answered: motus checks it itself, and a
        // refused token makes the whole answer a 401 anyway.
        let open = self.fetch(Call::get(Service::Motus, "/motus/games/open", Some(token)));
        let (identity, open) = futures::join!(self.as_user(token, who, stats_call), open);
        let (user, stats) = identity?;
        let mut degraded = Vec::new();
        let stats = optional(Service::Score, stats, &mut degraded);
        let mut open = optional(Service::Motus, open, &mut degraded);
        let games = open.get_mut("games").map(Value::take).unwrap_or_default();
        let daily = open.get_mut("daily").map(Value::take).unwrap_or_default();
        // The game to resume is the player's current one (last started or resumed, daily or
        // practice) if it is unfinished: where they left off. An older game left unfinished
        // stays in `games`, for the page to offer, but is not where they were.
        let game = games
            .as_array()
            .and_then(|games| games.iter().find(|g| g["id"] == open["current"]))
            .cloned()
            .unwrap_or(Value::Null);
        Ok(json!({
            "authenticated": true,
            "user": user,
            "stats": stats,
            "daily": daily,
            "game": game,
            "games": games,
            "degraded": degraded,
            "next_daily_at": next_daily_at,
        }))
    }

    /// Runs `call_for(username)` for the player: `{username}` and the call's outcome. A player
    /// named by an access token is known already. Otherwise auth is asked who holds the token
    /// and, at the same time, the call runs on the username hint; when the hint was wrong (or
    /// missing) the call is made again for the verified name. Auth's answer always wins: the hint
    /// only saves a round trip.
    pub(super) async fn as_user(
        &self,
        token: &str,
        who: Who<'_>,
        call_for: impl Fn(&str) -> Call,
    ) -> Result<(Value, Result<Answer, AppError>), AppError> {
        let hint = match who {
            Who::Verified(name) => {
                let outcome = self.fetch(call_for(name)).await;
                return Ok((json!({ "username": name }), outcome));
            }
            Who::Hint(hint) => hint,
        };
        let who = self.fetch(Call::get(Service::Auth, "/auth/me", Some(token)));
        let guess = async {
            match hint {
                Some(name) => Some(self.fetch(call_for(name)).await),
                None => None,
            }
        };
        let (who, guess) = futures::join!(who, guess);
        let user = json_of(Service::Auth, &who?)?;
        let username = user["username"]
            .as_str()
            .ok_or(AppError::BadGateway(Service::Auth))?;
        let outcome = match guess {
            Some(outcome) if hint == Some(username) => outcome,
            _ => self.fetch(call_for(username)).await,
        };
        Ok((json!({ "username": username }), outcome))
    }
}

/// Who the player is, as far as the webapp knows before asking auth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who<'a> {
    /// Named by a valid access token: auth need not be asked.
    Verified(&'a str),
    /// The username cookie's guess (or nothing): auth decides.
    Hint(Option<&'a str>),
}

/// A player's path on score; the name is one opaque segment, dots kept (see [`percent::encode_segment`]).
pub(super) fn score_path(username: &str, suffix: &str) -> String {
    format!("/score/{}{suffix}", percent::encode_segment(username))
}

/// A sibling that is not essential to the page: its failure becomes `null` plus a `degraded` entry.
/// A 404 is not a failure (a new player has no stats yet).
fn optional(
    service: Service,
    outcome: Result<Answer, AppError>,
    degraded: &mut Vec<&str>,
) -> Value {
    match outcome.and_then(|a| json_of(service, &a)) {
        Ok(v) => v,
        Err(AppError::Refused(_, a)) if a.status == 404 => Value::Null,
        Err(_) => {
            degraded.push(service.name());
            Value::Null
        }
    }
}
