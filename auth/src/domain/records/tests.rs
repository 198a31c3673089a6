use super::*;

fn user() -> UserRecord {
    UserRecord {
        username: "Zoe".into(),
        password_hash: "x".into(),
        created_at: 1,
        account_id: "acc".into(),
        generation: 0,
        sessions: vec![],
    }
}

fn hash(n: u32) -> TokenHash {
    TokenHash::from(format!("h{n}"))
}

fn session(account: &str, generation: u64) -> SessionRecord {
    SessionRecord {
        user: "zoe".into(),
        account_id: account.into(),
        generation,
        created_at: 1,
        expires_at: 100,
    }
}

#[test]
fn a_session_is_accepted_only_by_its_account_and_generation() {
    let user = user();
    assert!(user.accepts(&session("acc", 0)));
    assert!(!user.accepts(&session("other", 0)));
    assert!(!user.accepts(&session("acc", 1)));
}

#[test]
fn adding_sessions_prunes_expired_ones() {
    let mut user = user();
    assert!(user.add_session(&hash(1), 50, 0).is_empty());
    assert!(user.add_session(&hash(2), 500, 0).is_empty());
    assert_eq!(user.add_session(&hash(3), 600, 60), vec!["h1".to_owned()]);
    assert_eq!(user.sessions.len(), 2);
}

#[test]
fn adding_beyond_the_cap_evicts_the_oldest() {
    let mut user = user();
    for n in 0..MAX_SESSIONS_PER_USER as u32 {
        assert!(user
            .add_session(&hash(n), 1_000 + u64::from(n), 0)
            .is_empty());
    }
    assert_eq!(
        user.add_session(&hash(999), 5_000, 0),
        vec!["h0".to_owned()]
    );
    assert_eq!(user.sessions.len(), MAX_SESSIONS_PER_USER);
}

#[test]
fn revoking_keeps_one_session_and_bumps_the_generation() {
    let mut user = user();
    for n in 0..3 {
        user.add_session(&hash(n), 100, 0);
    }
    let mut revoked = user.revoke_all_but(&hash(1));
    revoked.sort();
    assert_eq!(revoked, ["h0", "h2"]);
    assert_eq!(user.generation, 1);
    assert_eq!(user.sessions.len(), 1);
    assert!(user.remove_session(&hash(1)));
    assert!(!user.remove_session(&hash(1)));
}
