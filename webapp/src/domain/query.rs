//! Validating the browser's query parameters and re-encoding them for a sibling.

use spin_kit::percent;

/// A query parameter the API cannot take; names the parameter (and its rule) for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidQuery(pub &'static str);

const MAX_LIMIT: u32 = 100;
const MAX_CURSOR: usize = 256;

/// Decoded `key=value` pairs; later repeats of a key are ignored.
fn pairs(query: &str) -> Result<Vec<(String, String)>, InvalidQuery> {
    let mut out: Vec<(String, String)> = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let k = percent::decode_utf8(&k.replace('+', " ")).ok_or(InvalidQuery("encodage"))?;
        let v = percent::decode_utf8(&v.replace('+', " ")).ok_or(InvalidQuery("encodage"))?;
        if !out.iter().any(|(seen, _)| *seen == k) {
            out.push((k, v));
        }
    }
    Ok(out)
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn limit(pairs: &[(String, String)]) -> Result<Option<u32>, InvalidQuery> {
    match get(pairs, "limit") {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .map(Some)
            .ok_or(InvalidQuery("limit (1 à 100)")),
    }
}

fn encode(params: &[(&str, String)]) -> String {
    let joined: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", percent::encode(v)))
        .collect();
    if joined.is_empty() {
        String::new()
    } else {
        format!("?{}", joined.join("&"))
    }
}

/// `?limit=&cursor=` for score's history, rebuilt from validated values only.
pub fn history(query: &str) -> Result<String, InvalidQuery> {
    let pairs = pairs(query)?;
    let mut params = Vec::new();
    if let Some(n) = limit(&pairs)? {
        params.push(("limit", n.to_string()));
    }
    match get(&pairs, "cursor") {
        None | Some("") => {}
        Some(c) if c.len() <= MAX_CURSOR && !c.chars().any(char::is_control) => {
            params.push(("cursor", c.to_owned()))
        }
        Some(_) => return Err(InvalidQuery("cursor")),
    }
    Ok(encode(&params))
}

/// `?period=&limit=` for score's leaderboard.
pub fn leaderboard(query: &str) -> Result<String, InvalidQuery> {
    let pairs = pairs(query)?;
    let mut params = Vec::new();
    match get(&pairs, "period") {
        None | Some("") => {}
        Some(p @ ("all" | "week" | "day")) => params.push(("period", p.to_owned())),
        Some(_) => return Err(InvalidQuery("period (all, week ou day)")),
    }
    if let Some(n) = limit(&pairs)? {
        params.push(("limit", n.to_string()));
    }
    Ok(encode(&params))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_keeps_valid_limit_and_cursor() {
        assert_eq!(history(""), Ok(String::new()));
        assert_eq!(history("limit=20"), Ok("?limit=20".into()));
        assert_eq!(
            history("cursor=abc%3D&limit=5"),
            Ok("?limit=5&cursor=abc%3D".into())
        );
        assert_eq!(history("cursor=a/b&x=1"), Ok("?cursor=a%2Fb".into()));
    }

    #[test]
    fn a_cursor_cannot_smuggle_extra_parameters() {
        assert_eq!(
            history("cursor=x%26player%3Dbob"),
            Ok("?cursor=x%26player%3Dbob".into())
        );
    }

    #[test]
    fn out_of_range_or_malformed_limits_are_refused() {
        for q in ["limit=0", "limit=101", "limit=-1", "limit=ten", "limit=1e2"] {
            assert!(matches!(history(q), Err(InvalidQuery(_))), "{q}");
            assert!(matches!(leaderboard(q), Err(InvalidQuery(_))), "{q}");
        }
    }

    #[test]
    fn leaderboard_accepts_only_known_periods() {
        assert_eq!(
            leaderboard("period=week&limit=10"),
            Ok("?period=week&limit=10".into())
        );
        assert_eq!(leaderboard("period="), Ok(String::new()));
        for q in ["period=month", "period=WEEK", "period=%ZZ"] {
            assert!(matches!(leaderboard(q), Err(InvalidQuery(_))), "{q}");
        }
    }

    #[test]
    fn the_first_of_repeated_parameters_wins() {
        assert_eq!(
            leaderboard("period=day&period=all"),
            Ok("?period=day".into())
        );
    }
}
