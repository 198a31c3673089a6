//! A motus game id as the webapp accepts it in its own paths.

/// Opaque to us, but restricted so it can be put into a sibling URL verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GameId(String);

impl GameId {
    pub fn parse(s: &str) -> Option<GameId> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| GameId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
