//! auth's steps: register, log in, read the account.

use super::{Api, Reply};
use serde_json::{json, Value};

/// A password every test account may use: long enough for auth's 8-character minimum.
pub const PASSWORD: &str = "correct horse battery";

/// A logged-in account.
#[derive(Debug, Clone)]
pub struct Session {
    pub username: String,
    pub token: String,
}

impl Session {
    pub fn token(&self) -> Option<&str> {
        Some(&self.token)
    }
}

impl Api {
    pub async fn register_reply(&self, username: &str, password: &str) -> Reply {
        self.post(
            "/auth/register",
            None,
            json!({ "username": username, "password": password }),
        )
        .await
    }

    /// Registers `username` with [`PASSWORD`].
    pub async fn register(&self, username: &str) -> Session {
        let body = self.register_reply(username, PASSWORD).await.expect(201);
        session_of(&body)
    }

    /// Registers every name at once: each registration costs an Argon2id hash.
    pub async fn register_all(&self, usernames: &[String]) -> Vec<Session> {
        futures::future::join_all(usernames.iter().map(|name| self.register(name))).await
    }

    pub async fn login_reply(&self, username: &str, password: &str) -> Reply {
        self.post(
            "/auth/login",
            None,
            json!({ "username": username, "password": password }),
        )
        .await
    }

    pub async fn login(&self, username: &str, password: &str) -> Session {
        session_of(&self.login_reply(username, password).await.expect(200))
    }

    /// Logs every account of `names` in at once with [`PASSWORD`]; panics naming one that
    /// cannot (the check that acknowledged registrations survived a crash).
    pub async fn assert_all_log_in(&self, names: &[String]) {
        let logins =
            futures::future::join_all(names.iter().map(|name| self.login_reply(name, PASSWORD)))
                .await;
        for (name, reply) in names.iter().zip(logins) {
            assert_eq!(
                reply.status, 200,
                "acknowledged account {name} cannot log in: {}",
                reply.text
            );
        }
    }

    pub async fn me(&self, token: &str) -> Reply {
        self.get("/auth/me", Some(token)).await
    }
}

fn session_of(body: &Value) -> Session {
    let field = |name: &str| {
        body[name]
            .as_str()
            .unwrap_or_else(|| panic!("no `{name}` in session answer {body}"))
            .to_owned()
    };
    Session {
        username: field("username"),
        token: field("token"),
    }
}
