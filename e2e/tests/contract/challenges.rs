//! The challenge routes of motus and the webapp, each answering as documented: Alice offers a
//! won practice game, Erin (through the webapp) and Frank (with a bearer token) take it up.

use super::apidoc::client::Api;
use super::{PASSWORD, ZERO_ID};
use serde_json::json;

async fn token(api: &Api, body: serde_json::Value, status: u16) -> String {
    let path = if status == 201 {
        "/auth/register"
    } else {
        "/auth/login"
    };
    api.post(path, body).expect(status).await.body["token"]
        .as_str()
        .unwrap()
        .to_string()
}

pub async fn challenge_routes(api: &Api) {
    let alice = token(api, json!({"username": "alice", "password": PASSWORD}), 200).await;
    let practice = api
        .post("/motus/games", json!({"mode": "practice"}))
        .bearer(&alice)
        .expect(201)
        .await;
    let game = practice.body["id"].as_str().unwrap().to_string();
    api.post(
        format!("/motus/games/{game}/guesses"),
        json!({"word": "MAISON"}),
    )
    .bearer(&alice)
    .expect(200)
    .await;
    api.post("/motus/challenges", json!({"game_id": game}))
        .expect(401)
        .await;
    api.post("/motus/challenges", json!({"game": game}))
        .bearer(&alice)
        .expect(400)
        .await;
    api.post("/motus/challenges", json!({"game_id": ZERO_ID}))
        .bearer(&alice)
        .expect(404)
        .await;
    let made = api
        .post("/motus/challenges", json!({"game_id": game}))
        .bearer(&alice)
        .expect(201)
        .await;
    let id = made.body["id"].as_str().unwrap().to_string();
    api.post("/motus/challenges", json!({"game_id": game}))
        .bearer(&alice)
        .expect(200)
        .await;
    let page = format!("/motus/challenges/{id}");
    api.get(&page).bearer(&alice).expect(200).await;
    api.get(format!("/motus/challenges/{ZERO_ID}"))
        .bearer(&alice)
        .expect(404)
        .await;
    let games = format!("{page}/games");
    api.post(&games, json!({})).bearer(&alice).expect(409).await;

    let frank = token(api, json!({"username": "frank", "password": PASSWORD}), 201).await;
    api.get(&page).bearer(&frank).expect(200).await;
    let franks = api.post(&games, json!({})).bearer(&frank).expect(201).await;
    api.post(&games, json!({})).bearer(&frank).expect(200).await;
    let franks = franks.body["id"].as_str().unwrap().to_string();
    let won = api
        .post(
            format!("/motus/games/{franks}/guesses"),
            json!({"word": "MAISON"}),
        )
        .bearer(&frank)
        .expect(200)
        .await;
    assert_eq!(won.body["mode"], "challenge");
    api.get(&page).bearer(&frank).expect(200).await;

    let erin = json!({"username": "erin", "password": PASSWORD});
    let cookies = api.post("/api/register", erin).expect(201).await.cookies();
    let web_page = format!("/api/challenges/{id}");
    api.get(&web_page).expect(401).await;
    api.get(&web_page).cookie(&cookies).expect(200).await;
    api.get(format!("/api/challenges/{ZERO_ID}"))
        .cookie(&cookies)
        .expect(404)
        .await;
    let web_games = format!("{web_page}/games");
    let erins = api
        .post(&web_games, json!({}))
        .cookie(&cookies)
        .expect(201)
        .await;
    api.post(&web_games, json!({}))
        .cookie(&cookies)
        .expect(200)
        .await;
    let erins = erins.body["id"].as_str().unwrap().to_string();
    api.post(
        format!("/api/games/{erins}/guesses"),
        json!({"word": "maison"}),
    )
    .cookie(&cookies)
    .expect(200)
    .await;
    api.post("/api/challenges", json!({"game_id": erins}))
        .cookie(&cookies)
        .expect(422)
        .await;
    let own = api
        .post("/api/games", json!({"mode": "practice"}))
        .cookie(&cookies)
        .expect(201)
        .await;
    let own = own.body["id"].as_str().unwrap().to_string();
    api.post("/api/challenges", json!({"game_id": own}))
        .cookie(&cookies)
        .expect(409)
        .await;
    api.post(
        format!("/api/games/{own}/guesses"),
        json!({"word": "maison"}),
    )
    .cookie(&cookies)
    .expect(200)
    .await;
    api.post("/api/challenges", json!({"game_id": own}))
        .cookie(&cookies)
        .expect(201)
        .await;
}
