//! What each route answers, and in which order a request is checked.

use super::*;
use crate::http::PlayerRoute;
use crate::testing::Auth;
use spin_kit::errors::Code;
use spin_kit::game_id::GameId;

const ID: &str = "0123456789abcdef0123456789abcdef";

fn id() -> GameId {
    GameId::parse(ID).unwrap()
}

#[test]
fn documented_routes_are_recognised() {
    use PlayerRoute::*;
    let cases = [
        ("POST", "/motus/games".to_owned(), Route::Player(NewGame)),
        ("POST", "/motus/games/".to_owned(), Route::Player(NewGame)),
        (
            "GET",
            format!("/motus/games/{ID}"),
            Route::Player(Game(id())),
        ),
        (
            "POST",
            format!("/motus/games/{ID}/guesses"),
            Route::Player(Guess(id())),
        ),
        (
            "GET",
            format!("/motus/games/{ID}/result"),
            Route::Result(id()),
        ),
        (
            "POST",
            "/motus/guess".to_owned(),
            Route::Player(GuessCurrent),
        ),
        ("GET", "/motus/daily".to_owned(), Route::Daily),
        (
            "DELETE",
            "/motus/players/Alice".to_owned(),
            Route::Player(DeletePlayer("Alice".into())),
        ),
    ];
    for (method, path, expected) in cases {
        assert_eq!(
            Route::parse(method, &path).unwrap(),
            expected,
            "{method} {path}"
        );
    }
}

#[test]
fn wrong_methods_are_not_allowed_and_say_what_is() {
    let service = Service::default();
    let cases = [
        ("GET", "/motus/games".to_owned(), "POST"),
        ("DELETE", format!("/motus/games/{ID}"), "GET"),
        ("GET", format!("/motus/games/{ID}/guesses"), "POST"),
        ("POST", format!("/motus/games/{ID}/result"), "GET"),
        ("GET", "/motus/guess".to_owned(), "POST"),
        ("POST", "/motus/daily".to_owned(), "GET"),
        ("GET", "/motus/players/alice".to_owned(), "DELETE"),
    ];
    for (method, path, allowed) in cases {
        let reply = service.send(method, &path, Call::default());
        reply.error(405, "method_not_allowed");
        assert_eq!(
            reply.response.header_value("allow"),
            Some(allowed),
            "{path}"
        );
    }
}

#[test]
fn unknown_paths_and_malformed_ids_are_not_found() {
    let service = Service::default();
    for path in [
        "/",
        "/motus",
        "/motus/",
        "/motus/nope",
        "/motusgames",
        "/motus/games/x/y/z",
        "/other/games",
        "/motus/games/abc",
        "/motus/games/..%2F..%2F/result",
        "/motus/games/ABCDEF0123456789ABCDEF0123456789",
    ] {
        service
            .send("GET", path, Call::default())
            .error(404, "not_found");
    }
}

#[test]
fn the_bearer_token_is_checked_before_the_body_is_read() {
    let service = Service::default();
    let too_large = || Some(Err(ApiError::new(Code::PayloadTooLarge)));
    for authorization in [None, Some(""), Some("Basic YWxpY2U="), Some("Bearer ")] {
        let call = Call {
            authorization,
            body: too_large(),
            ..Call::default()
        };
        service
            .send("POST", "/motus/games", call)
            .error(401, "unauthenticated");
    }
    let bearer = format!("Bearer {}", FakeSiblings::token("alice"));
    let call = Call {
        authorization: Some(&bearer),
        body: too_large(),
        ..Call::default()
    };
    service
        .send("POST", "/motus/guess", call)
        .error(413, "payload_too_large");
    service
        .as_player("mallory", "GET", &format!("/motus/games/{ID}"), Value::Null)
        .error(404, "not_found");
    let forged = Call {
        authorization: Some("Bearer forged"),
        ..Call::default()
    };
    service
        .send("GET", &format!("/motus/games/{ID}"), forged)
        .error(401, "unauthenticated");
}

#[test]
fn routes_without_a_body_ignore_one_and_the_store_is_opened_last() {
    let mut service = Service::default();
    let call = Call {
        body: Some(Err(ApiError::new(Code::PayloadTooLarge))),
        ..Call::default()
    };
    let daily = service.send("GET", "/motus/daily", call);
    assert_eq!(daily.status, 200);
    assert_eq!(
        (
            &daily.body["date"],
            &daily.body["length"],
            &daily.body["first_letter"]
        ),
        (&json!("2024-05-01"), &json!(6), &json!("M"))
    );

    service.broken = Some(ApiError::new(Code::Misconfigured));
    service
        .send("GET", "/motus/nope", Call::default())
        .error(404, "not_found");
    service
        .send("POST", "/motus/games", Call::default())
        .error(401, "unauthenticated");
    service
        .send("GET", "/motus/daily", Call::default())
        .error(500, "misconfigured");
}

#[test]
fn bodies_of_the_wrong_shape_are_invalid_json() {
    let service = Service::default();
    for body in [
        json!({ "mode": "marathon" }),
        json!({}),
        json!({ "mode": "practice", "extra": 1 }),
        json!({ "mode": "practice", "length": "7" }),
        json!([]),
    ] {
        service
            .as_player("alice", "POST", "/motus/games", body)
            .error(400, "invalid_json");
    }
    let call = |body: &[u8]| {
        let bearer = format!("Bearer {}", FakeSiblings::token("alice"));
        let call = Call {
            authorization: Some(&bearer),
            body: Some(Ok(body.to_vec())),
            ..Call::default()
        };
        service.send("POST", "/motus/guess", call)
    };
    for body in [&b""[..], b"{", b"word=maison", b"\xff", b"{\"word\":1}"] {
        call(body).error(400, "invalid_json");
    }
    service
        .as_player(
            "alice",
            "POST",
            "/motus/games",
            json!({ "mode": "practice", "length": 11 }),
        )
        .error(400, "invalid_length");
}

#[test]
fn a_game_is_created_played_won_and_recorded() {
    let service = Service::default();
    let created = service.new_game("alice", "practice");
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.response.header_value("location"),
        Some(format!("/motus/games/{id}").as_str())
    );

    service
        .guess("alice", &id, "mou")
        .error(422, "wrong_length");
    service
        .guess("alice", &id, "m0uton")
        .error(422, "invalid_word");
    service
        .guess("alice", &id, "bateau")
        .error(422, "wrong_first_letter");
    service
        .guess("alice", &id, "mzzzzz")
        .error(422, "not_in_dictionary");
    let won = service.guess("alice", &id, "Maison");
    assert_eq!(won.status, 200, "{}", won.body);
    assert_eq!(
        (
            &won.body["status"],
            &won.body["answer"],
            &won.body["recorded"]
        ),
        (&json!("won"), &json!("MAISON"), &json!(true))
    );
    service
        .guess("alice", &id, "maison")
        .error(409, "game_over");
    assert_eq!(
        service.siblings.record_calls(),
        [GameId::parse(&id).unwrap()]
    );
}

#[test]
fn the_daily_game_is_created_once_then_resumed() {
    let service = Service::default();
    let first = service.new_game("alice", "daily");
    let again = service.new_game("Alice", "daily");
    assert_eq!((first.status, again.status), (201, 200));
    assert_eq!(first.body["id"], again.body["id"]);
    let seed = service.as_player("alice", "POST", "/motus/guess", json!({ "word": "mouton" }));
    assert_eq!(seed.body["id"], first.body["id"]);
    assert_eq!(seed.body["guesses"].as_array().unwrap().len(), 1);
}

#[test]
fn a_result_goes_to_its_player_or_the_holder_of_the_secret_once_the_game_is_over() {
    let service = Service::default();
    let id = service.practice("alice");
    let path = format!("/motus/games/{id}/result");
    let get = |authorization: Option<&str>, result_secret: Option<&str>| {
        let call = Call {
            authorization,
            result_secret,
            ..Call::default()
        };
        service.send("GET", &path, call)
    };
    let alice = format!("Bearer {}", FakeSiblings::token("alice"));
    let mallory = format!("Bearer {}", FakeSiblings::token("mallory"));

    get(None, None).error(401, "unauthenticated");
    get(None, Some("guessed")).error(401, "unauthenticated");
    get(Some(&alice), None).error(409, "game_not_finished");
    service.guess("alice", &id, "maison");
    get(Some(&mallory), None).error(404, "not_found");
    for reply in [get(Some(&alice), None), get(None, Some(RESULT_SECRET))] {
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(
            (
                &reply.body["player"],
                &reply.body["answer"],
                &reply.body["won"]
            ),
            (&json!("alice"), &json!("MAISON"), &json!(true))
        );
    }
}

#[test]
fn auth_failures_are_the_services_own_answers_naming_auth() {
    let service = Service::default();
    service.siblings.set_auth(Auth::Down);
    let down = service.new_game("alice", "practice");
    down.error(503, "service_unavailable");
    assert_eq!(down.body["error"]["service"], "auth");
    service.siblings.set_auth(Auth::Garbled);
    let garbled = service.new_game("alice", "practice");
    garbled.error(502, "bad_gateway");
    assert_eq!(garbled.body["error"]["service"], "auth");
}

#[test]
fn a_player_is_deleted_with_their_own_token_only() {
    let service = Service::default();
    let id = service.practice("alice");
    service
        .as_player("mallory", "DELETE", "/motus/players/alice", Value::Null)
        .error(403, "forbidden");
    let deleted = service.as_player("alice", "DELETE", "/motus/players/Alice", Value::Null);
    assert_eq!((deleted.status, &deleted.body), (204, &Value::Null));
    service
        .as_player("alice", "GET", &format!("/motus/games/{id}"), Value::Null)
        .error(404, "not_found");
    let again = service.as_player("alice", "DELETE", "/motus/players/alice", Value::Null);
    assert_eq!(again.status, 204, "nothing left to delete is done too");
}
