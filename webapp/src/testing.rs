//! Test doubles: siblings scripted per call.

use crate::siblings::{Answer, Call, Failure, Service, Siblings, Verb};
use serde_json::{json, Value};
use std::cell::RefCell;

/// Siblings scripted per `(service, verb, path)`; anything unscripted is unreachable. Records
/// every call made, to check what was sent and that nothing was.
#[derive(Default)]
pub struct FakeSiblings {
    pub script: Vec<(Service, Verb, String, Result<Answer, Failure>)>,
    pub calls: RefCell<Vec<Call>>,
}

impl FakeSiblings {
    pub fn on(self, s: Service, verb: Verb, path: &str, status: u16, body: Value) -> Self {
        let answer = Answer {
            status,
            retry_after: None,
            body: serde_json::to_vec(&body).unwrap(),
        };
        self.answer_with(s, verb, path, answer)
    }

    /// motus knows no unfinished game of the caller: nothing to resume; today's word is 7
    /// letters from M.
    pub fn no_open_games(self) -> Self {
        let daily = json!({"date": "2026-11-26", "length": 7, "first_letter": "M"});
        self.on(
            Service::Motus,
            Verb::Get,
            "/motus/games/open",
            200,
            json!({"games": [], "current": null, "daily": daily}),
        )
    }

    pub fn down(mut self, s: Service, verb: Verb, path: &str) -> Self {
        self.script
            .push((s, verb, path.into(), Err(Failure::Unreachable)));
        self
    }

    pub fn answer_with(mut self, s: Service, verb: Verb, path: &str, answer: Answer) -> Self {
        self.script.push((s, verb, path.into(), Ok(answer)));
        self
    }

    /// The calls made to `path` on `s`.
    pub fn called(&self, s: Service, path: &str) -> Vec<Call> {
        self.calls
            .borrow()
            .iter()
            .filter(|c| c.service == s && c.path == path)
            .cloned()
            .collect()
    }
}

impl Siblings for FakeSiblings {
    async fn call(&self, call: Call) -> Result<Answer, Failure> {
        self.calls.borrow_mut().push(call.clone());
        self.script
            .iter()
            .find(|(s, v, p, _)| *s == call.service && *v == call.verb && *p == call.path)
            .map(|(_, _, _, outcome)| outcome.clone())
            .unwrap_or(Err(Failure::Unreachable))
    }
}
