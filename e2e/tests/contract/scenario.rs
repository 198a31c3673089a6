//! Calls every operation of the spec with real data (and its usual errors), service by service.

use crate::apidoc::client::Api;
use crate::{ADMIN, PASSWORD, ZERO_ID};
use serde_json::json;

pub async fn auth_routes(api: &Api) {
    let alice = json!({"username": "alice", "password": PASSWORD});
    api.post("/auth/register", alice.clone()).expect(201).await;
    api.post(
        "/auth/register",
        json!({"username": "ALICE", "password": PASSWORD}),
    )
    .expect(409)
    .await;
    api.post(
        "/auth/register",
        json!({"username": "a", "password": PASSWORD}),
    )
    .expect(400)
    .await;
    api.post(
        "/auth/login",
        json!({"username": "alice", "password": "wrong password"}),
    )
    .expect(401)
    .await;
    api.post("/auth/login", json!({"username": "alice"}))
        .expect(400)
        .await;
    let token = api.post("/auth/login", alice).expect(200).await.body["token"]
        .as_str()
        .unwrap()
        .to_string();

    api.get("/auth/me").bearer(&token).expect(200).await;
    api.get("/auth/me").expect(401).await;
    let access = api
        .req("POST", "/auth/access")
        .bearer(&token)
        .expect(200)
        .await
        .body["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    api.req("POST", "/auth/access")
        .bearer(&access)
        .expect(401)
        .await;
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    api.req("PUT", "/auth/password")
        .bearer(&token)
        .json(change("nope nope", "battery staple"))
        .expect(403)
        .await;
    api.req("PUT", "/auth/password")
        .bearer(&token)
        .json(change(PASSWORD, "short"))
        .expect(400)
        .await;
    api.req("PUT", "/auth/password")
        .bearer(&token)
        .json(change(PASSWORD, "battery staple"))
        .expect(204)
        .await;
    api.req("PUT", "/auth/password")
        .bearer(&token)
        .json(change("battery staple", PASSWORD))
        .expect(204)
        .await;

    let zoe = json!({"username": "zoe", "password": PASSWORD});
    let zoe_token = api.post("/auth/register", zoe).expect(201).await.body["token"]
        .as_str()
        .unwrap()
        .to_string();
    api.req("DELETE", "/auth/me")
        .bearer(&zoe_token)
        .json(json!({"password": "not hers"}))
        .expect(403)
        .await;
    api.req("DELETE", "/auth/me")
        .bearer(&zoe_token)
        .json(json!({"password": PASSWORD}))
        .expect(204)
        .await;
    api.req("DELETE", "/auth/me")
        .bearer(&zoe_token)
        .json(json!({"password": PASSWORD}))
        .expect(401)
        .await;

    api.req("POST", "/auth/logout")
        .bearer(&token)
        .expect(204)
        .await;
    api.req("POST", "/auth/logout")
        .bearer(&token)
        .expect(401)
        .await;
}

async fn login(api: &Api) -> String {
    let body = json!({"username": "alice", "password": PASSWORD});
    api.post("/auth/login", body).expect(200).await.body["token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Plays alice's daily game to a win and returns its id.
pub async fn motus_routes(api: &Api) -> String {
    let token = login(api).await;
    api.get("/motus/daily").expect(200).await;
    api.post("/motus/games", json!({"mode": "daily"}))
        .expect(401)
        .await;
    api.post("/motus/games", json!({"mode": "weekly"}))
        .bearer(&token)
        .expect(400)
        .await;
    api.post("/motus/games", json!({"mode": "practice", "length": 7}))
        .bearer(&token)
        .expect(422)
        .await;
    let game = api
        .post("/motus/games", json!({"mode": "daily"}))
        .bearer(&token)
        .expect(201)
        .await;
    let id = game.body["id"].as_str().unwrap().to_string();
    api.post("/motus/games", json!({"mode": "daily"}))
        .bearer(&token)
        .expect(200)
        .await;

    api.get(format!("/motus/games/{id}"))
        .bearer(&token)
        .expect(200)
        .await;
    api.get("/motus/games/open")
        .bearer(&token)
        .expect(200)
        .await;
    api.get(format!("/motus/games/{ZERO_ID}"))
        .bearer(&token)
        .expect(404)
        .await;
    api.get(format!("/motus/games/{id}/result"))
        .bearer(&token)
        .expect(409)
        .await;
    let guesses = format!("/motus/games/{id}/guesses");
    api.post(&guesses, json!({"word": "MXXXXX"}))
        .bearer(&token)
        .expect(422)
        .await;
    api.post(&guesses, json!({"words": "MAISON"}))
        .bearer(&token)
        .expect(400)
        .await;
    api.post(&guesses, json!({"word": "marche"}))
        .bearer(&token)
        .expect(200)
        .await;
    let won = api
        .post(&guesses, json!({"word": "MAISON"}))
        .bearer(&token)
        .expect(200)
        .await;
    assert_eq!(won.body["status"], "won");
    api.post(&guesses, json!({"word": "MAISON"}))
        .bearer(&token)
        .expect(409)
        .await;
    api.get(format!("/motus/games/{id}/result"))
        .expect(401)
        .await;
    api.get(format!("/motus/games/{id}/result"))
        .bearer(&token)
        .expect(200)
        .await;

    api.post("/motus/games", json!({"mode": "practice"}))
        .bearer(&token)
        .expect(201)
        .await;
    api.post("/motus/guess", json!({"word": "MXXXXX"}))
        .bearer(&token)
        .expect(422)
        .await;
    api.post("/motus/guess", json!({}))
        .bearer(&token)
        .expect(400)
        .await;
    api.post("/motus/guess", json!({"word": "MAISON"}))
        .bearer(&token)
        .expect(200)
        .await;
    api.post("/motus/guess", json!({"word": "MAISON"}))
        .bearer(&token)
        .expect(409)
        .await;
    id
}

pub async fn score_routes(api: &Api, game: &str) {
    let token = login(api).await;
    // motus recorded the game when it ended: this is the repeat.
    let recorded = api
        .post("/score/games", json!({"game_id": game}))
        .bearer(&token)
        .expect(200)
        .await;
    assert_eq!(recorded.body["points"], 300);
    api.post("/score/games", json!({"game_id": ZERO_ID}))
        .bearer(&token)
        .expect(409)
        .await;
    api.post("/score/games", json!({"game_id": ZERO_ID}))
        .expect(401)
        .await;
    api.post("/score/games", json!({"game_id": "not an id!"}))
        .expect(400)
        .await;

    api.get("/score/alice").expect(200).await;
    api.get("/score/x").expect(400).await;
    api.get("/score/alice/history")
        .bearer("not-a-token")
        .expect(401)
        .await;
    api.get("/score/alice/history")
        .bearer(&token)
        .expect(200)
        .await;
    let page = api.get("/score/Alice/history?limit=1").expect(200).await;
    let cursor = page.body["next_cursor"]
        .as_str()
        .expect("two games: a next page")
        .to_string();
    api.get(format!("/score/alice/history?limit=1&cursor={cursor}"))
        .expect(200)
        .await;
    api.get("/score/alice/history?limit=0").expect(400).await;
    api.get("/score/leaderboard?period=week&limit=5")
        .expect(200)
        .await;
    api.get("/score/leaderboard?period=year").expect(400).await;

    let credit = json!({"player": "alice", "score": 5});
    api.post("/score/update", credit.clone())
        .bearer(ADMIN)
        .expect(200)
        .await;
    api.post("/score/update", credit)
        .bearer("guess")
        .expect(403)
        .await;
    api.post("/score/update", json!({"player": "alice", "score": 0}))
        .bearer(ADMIN)
        .expect(400)
        .await;
}

pub async fn webapp_routes(api: &Api) {
    let carol = json!({"username": "carol", "password": PASSWORD});
    api.post("/api/register", carol.clone()).expect(201).await;
    api.post("/api/register", carol.clone()).expect(409).await;
    api.req("POST", "/api/login")
        .raw(&carol.to_string(), "text/plain")
        .expect(415)
        .await;
    api.post("/api/login", carol.clone())
        .header("origin", "https://evil.example")
        .expect(403)
        .await;
    api.req("POST", "/api/login")
        .raw("[1]", "application/json")
        .expect(400)
        .await;
    api.post(
        "/api/login",
        json!({"username": "carol", "password": "wrong password"}),
    )
    .expect(401)
    .await;
    let cookies = api.post("/api/login", carol).expect(200).await.cookies();
    assert!(cookies.contains("motus_session="), "{cookies}");

    api.get("/api/me").expect(200).await;
    api.get("/api/me").cookie(&cookies).expect(200).await;
    api.get("/api/daily").expect(200).await;
    api.post("/api/games", json!({"mode": "daily"}))
        .expect(401)
        .await;
    let game = api
        .post("/api/games", json!({"mode": "daily"}))
        .cookie(&cookies)
        .expect(201)
        .await;
    let id = game.body["id"].as_str().unwrap().to_string();
    api.get(format!("/api/games/{id}"))
        .cookie(&cookies)
        .expect(200)
        .await;
    api.get(format!("/api/games/{ZERO_ID}"))
        .cookie(&cookies)
        .expect(404)
        .await;
    let guesses = format!("/api/games/{id}/guesses");
    api.post(&guesses, json!({"word": "MOUTON1"}))
        .cookie(&cookies)
        .expect(422)
        .await;
    let won = api
        .post(&guesses, json!({"word": "maison"}))
        .cookie(&cookies)
        .expect(200)
        .await;
    assert_eq!(won.body["score"]["points"], 360);
    api.post(&guesses, json!({"word": "maison"}))
        .cookie(&cookies)
        .expect(409)
        .await;

    api.get("/api/history?limit=5")
        .cookie(&cookies)
        .expect(200)
        .await;
    api.get("/api/history?limit=500")
        .cookie(&cookies)
        .expect(400)
        .await;
    api.get("/api/leaderboard?period=day").expect(200).await;
    api.get("/api/leaderboard?period=year").expect(400).await;
    api.req("POST", "/api/logout")
        .header("content-type", "application/json")
        .cookie(&cookies)
        .expect(204)
        .await;
    // The logout cleared every cookie; a browser that kept the session one finds it revoked. (An
    // access cookie replayed after logout lives out its minute: docs/security.md.)
    let session_only: Vec<&str> = cookies
        .split("; ")
        .filter(|c| !c.starts_with("motus_access="))
        .collect();
    api.get("/api/me")
        .cookie(&session_only.join("; "))
        .expect(401)
        .await;
}

/// Deleting a player in motus and score, as auth does when an account is deleted.
pub async fn deletion_routes(api: &Api) {
    let dave = json!({"username": "dave", "password": PASSWORD});
    let token = api.post("/auth/register", dave).expect(201).await.body["token"]
        .as_str()
        .unwrap()
        .to_string();
    let alice = login(api).await;
    for service in ["motus", "score"] {
        let path = format!("/{service}/players/dave");
        api.req("DELETE", &path).expect(401).await;
        api.req("DELETE", &path).bearer(&alice).expect(403).await;
        api.req("DELETE", &path).bearer(&token).expect(204).await;
    }
}
