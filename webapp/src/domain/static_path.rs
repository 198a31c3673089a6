//! Turns a request path into a file path under the static root, or refuses it.
//!
//! The rule is a whitelist rather than a blacklist: every decoded segment must be made of
//! `A-Z a-z 0-9 - _ .`, must not start with a dot (no `.`/`..`, no dotfiles) and segments are joined
//! with `/` only. Anything that smells of traversal (dot segments, encoded separators, backslashes, NUL,
//! empty segments) is a *bad request*; anything merely unusual is *not found*.

const MAX_PATH_LEN: usize = 256;
const MAX_DEPTH: usize = 4;

/// A relative path (`css/style.css`) that is safe to join onto the static root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetPath(String);

impl AssetPath {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file extension, lower-cased, if any.
    pub fn extension(&self) -> Option<String> {
        let file = self.0.rsplit('/').next()?;
        let (_, ext) = file.rsplit_once('.')?;
        Some(ext.to_ascii_lowercase())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The path tries to escape the root or hide a separator.
    Traversal,
    /// The path is well-formed but cannot name one of our files.
    NotFound,
}

/// Maps the raw (still percent-encoded) request path to an asset; `/` is `index.html`.
pub fn parse(raw_path: &str) -> Result<AssetPath, Refusal> {
    if raw_path.len() > MAX_PATH_LEN {
        return Err(Refusal::NotFound);
    }
    let rest = raw_path.strip_prefix('/').ok_or(Refusal::Traversal)?;
    if rest.is_empty() {
        return Ok(AssetPath("index.html".into()));
    }
    if rest.contains('\\') || rest.contains('\0') {
        return Err(Refusal::Traversal);
    }
    let mut segments = Vec::new();
    for raw in rest.split('/') {
        segments.push(segment(raw)?);
    }
    if segments.len() > MAX_DEPTH {
        return Err(Refusal::NotFound);
    }
    Ok(AssetPath(segments.join("/")))
}

fn segment(raw: &str) -> Result<String, Refusal> {
    let decoded = spin_kit::percent::decode(raw).ok_or(Refusal::Traversal)?;
    if decoded.is_empty() {
        // `//` or a trailing slash: some resolvers treat an empty segment as the root.
        return Err(Refusal::Traversal);
    }
    if decoded.iter().any(|b| matches!(b, b'/' | b'\\' | 0)) {
        return Err(Refusal::Traversal);
    }
    if decoded.iter().all(|&b| b == b'.') {
        return Err(Refusal::Traversal);
    }
    if decoded[0] == b'.' {
        return Err(Refusal::NotFound);
    }
    if !decoded
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(Refusal::NotFound);
    }
    Ok(String::from_utf8(decoded).expect("ASCII checked above"))
}

#[cfg(test)]
mod tests;
