//! Play: a person's seat under each protocol, move by move, through the API.

use crate::common::app;
use axum::http::StatusCode;
use axum::Router;
use serde_json::{json, Value};

/// A request's status and JSON body.
async fn send(app: &Router, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (status, _, value) = crate::common::send(app, method, uri, body).await;
    (status, value)
}

async fn new_game(app: &Router, seat: &str, opponents: &str) -> Value {
    let req = json!({"target": {"scenario": "builtin"}, "seat": seat, "opponents": opponents, "rounds": 30, "seed": 1});
    let (status, g) = send(app, "POST", "/api/games", Some(req)).await;
    assert_eq!(status, StatusCode::CREATED, "{g}");
    g
}

#[tokio::test]
async fn a_person_plays_ukraine_to_an_agreement_and_sees_the_agent_beside_it() {
    let app = app();
    let g = new_game(&app, "ukraine", "conceder").await;
    let id = g["id"].as_u64().unwrap();
    assert_eq!(g["status"], "waiting");
    assert_eq!(g["you"], "ukraine");
    assert!(g["parties"].as_array().unwrap().iter().any(|p| p[0] == "ukraine" && p[1] == "you"));
    let issues = g["issues"].as_array().unwrap().clone();
    assert_eq!(issues.len(), 10);
    // build an offer: every issue at its first option; its value, and each single change's
    let draft: Vec<u32> = vec![0; issues.len()];
    let (status, e) = send(&app, "POST", &format!("/api/games/{id}/evaluate"), Some(json!({"options": draft}))).await;
    assert_eq!(status, StatusCode::OK, "{e}");
    let options = e["options"].as_array().unwrap();
    assert_eq!(options.len(), issues.len());
    for (k, issue) in issues.iter().enumerate() {
        assert_eq!(options[k].as_array().unwrap().len(), issue["options"].as_array().unwrap().len());
        // the draft's own option gives the draft's utility
        assert_eq!(options[k][0], e["utility"]);
    }
    // Russia (boulware) has spoken or speaks first: play on until an offer stands, then accept it
    let mut g = g;
    let mut moves = 0;
    while g["status"] == "waiting" {
        // accept an offer that crosses none of Ukraine's red lines and beats walking away; else
        // answer with Russia's own offer moved to Ukraine's side on the issues it cannot accept
        let standing = &g["standing"];
        let m = if standing["acceptable"] == true && standing["your_utility"].as_f64() >= g["reservation"].as_f64() {
            json!({"kind": "accept"})
        } else {
            let mut offer: Vec<u32> = match standing["options"].as_array() {
                Some(o) => o.iter().map(|v| v.as_u64().unwrap() as u32).collect(),
                None => draft.clone(),
            };
            // each issue where another option serves Ukraine better, one at a time, until it may be offered
            for _ in 0..issues.len() {
                let (_, e) = send(&app, "POST", &format!("/api/games/{id}/evaluate"), Some(json!({"options": offer}))).await;
                if e["acceptable"] == true && e["utility"].as_f64() >= g["reservation"].as_f64() {
                    break;
                }
                let (k, v) = (0..issues.len())
                    .flat_map(|k| e["options"][k].as_array().unwrap().iter().enumerate().map(move |(v, u)| (k, v, u.as_f64().unwrap())))
                    .max_by(|a, b| (a.2 - e["utility"].as_f64().unwrap()).total_cmp(&(b.2 - e["utility"].as_f64().unwrap())))
                    .map(|(k, v, _)| (k, v as u32))
                    .unwrap();
                offer[k] = v;
            }
            json!({"kind": "offer", "options": offer})
        };
        let (status, next) = send(&app, "POST", &format!("/api/games/{id}/moves"), Some(m)).await;
        assert_eq!(status, StatusCode::OK, "{next}");
        g = next;
        moves += 1;
        assert!(moves < 35, "no end after {moves} moves");
    }
    assert_eq!(g["status"], "agreed", "{} after {moves} moves", g["status"]);
    let result = &g["result"];
    assert_eq!(result["report"]["status"], "agreed");
    assert!(result["report"]["quality"]["nash_distance"].is_number(), "{}", result["report"]["quality"]);
    assert!(result["agent"]["utilities"].is_array(), "the agent in the same seat");
    assert!(result["html"].as_str().unwrap().contains("<svg"));
    // the game as stored is the game shown
    let (status, again) = send(&app, "GET", &format!("/api/games/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["history"], g["history"]);
    // no move after the end
    let (status, e) = send(&app, "POST", &format!("/api/games/{id}/moves"), Some(json!({"kind": "walk_away"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["error"].as_str().unwrap().contains("over"), "{e}");
}

#[tokio::test]
async fn a_move_that_breaks_a_rule_is_refused_and_the_game_is_unchanged() {
    let app = app();
    // the first party to speak has nothing to accept
    let g = new_game(&app, "russia", "boulware").await;
    let id = g["id"].as_u64().unwrap();
    let opener = g["parties"][0][0].as_str().unwrap().to_string();
    if opener == "russia" && g["standing"].is_null() {
        let (status, e) = send(&app, "POST", &format!("/api/games/{id}/moves"), Some(json!({"kind": "accept"}))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
        assert!(e["error"].as_str().unwrap().contains("not allowed"), "{e}");
        let (_, same) = send(&app, "GET", &format!("/api/games/{id}"), None).await;
        assert_eq!(same["history"], g["history"]);
    }
    // an offer with the wrong number of options, an option beyond its issue, an unknown kind
    for bad in [json!({"kind": "offer", "options": [0, 0]}), json!({"kind": "offer", "options": vec![99; 10]}), json!({"kind": "bribe"})] {
        let (status, e) = send(&app, "POST", &format!("/api/games/{id}/moves"), Some(bad.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {e}");
        assert!(e["error"].is_string());
    }
    // an offer across Russia's own red line (NATO membership) is refused with the rule named
    let issues = g["issues"].as_array().unwrap();
    let nato = issues.iter().position(|i| i["issue"] == "nato").unwrap();
    let member = issues[nato]["options"].as_array().unwrap().iter().position(|o| o == "membership").unwrap() as u32;
    let mut offer = vec![0u32; issues.len()];
    offer[nato] = member;
    let (status, e) = send(&app, "POST", &format!("/api/games/{id}/moves"), Some(json!({"kind": "offer", "options": offer}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["error"].as_str().unwrap().contains("red line"), "{e}");
    // unknown seat, unknown game
    let (status, e) = send(&app, "POST", "/api/games", Some(json!({"target": {"scenario": "builtin"}, "seat": "usa"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["error"].as_str().unwrap().contains("usa"));
    let (status, _) = send(&app, "GET", "/api/games/777", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn walking_away_ends_the_game_without_a_deal() {
    let app = app();
    let g = new_game(&app, "ukraine", "boulware").await;
    let id = g["id"].as_u64().unwrap();
    let (status, g) = send(&app, "POST", &format!("/api/games/{id}/moves"), Some(json!({"kind": "walk_away"}))).await;
    assert_eq!(status, StatusCode::OK, "{g}");
    assert_eq!(g["status"], "broken", "{g}");
    assert!(g["result"]["report"]["agreement"] == false);
}

#[tokio::test]
async fn two_moves_at_once_on_one_game_are_both_played() {
    let app = app();
    let g = new_game(&app, "ukraine", "boulware").await;
    let id = g["id"].as_u64().unwrap();
    // Ukraine's best offer on every issue, sent twice at the same moment (two tabs)
    let n = g["issues"].as_array().unwrap().len();
    let (_, e) = send(&app, "POST", &format!("/api/games/{id}/evaluate"), Some(json!({"options": vec![0; n]}))).await;
    let best: Vec<usize> = e["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let o: Vec<f64> = o.as_array().unwrap().iter().map(|u| u.as_f64().unwrap()).collect();
            (0..o.len()).max_by(|&a, &b| o[a].total_cmp(&o[b])).unwrap()
        })
        .collect();
    let offer = json!({"kind": "offer", "options": best});
    let uri = format!("/api/games/{id}/moves");
    let (a, b) = tokio::join!(send(&app, "POST", &uri, Some(offer.clone())), send(&app, "POST", &uri, Some(offer)));
    assert_eq!((a.0, b.0), (StatusCode::OK, StatusCode::OK), "{} {}", a.1, b.1);
    let (_, now) = send(&app, "GET", &format!("/api/games/{id}"), None).await;
    let mine = now["history"].as_array().unwrap().iter().filter(|h| h["actor"] == "ukraine").count();
    assert_eq!(mine, 2, "both moves are in the game");
}

/// A mediated game: plays the seat by `answer` (given the view, the move) to the end, checking
/// at every step that what is asked and allowed is the protocol's.
async fn play_mediated(app: &Router, protocol: &str, seat: &str, answer: impl Fn(&Value) -> Value) -> Value {
    let req = json!({"target": {"scenario": "builtin"}, "seat": seat, "protocol": protocol, "rounds": 12, "seed": 3});
    let (status, mut g) = send(app, "POST", "/api/games", Some(req)).await;
    assert_eq!(status, StatusCode::CREATED, "{g}");
    let id = g["id"].as_u64().unwrap();
    assert_eq!(g["protocol"], protocol);
    assert!(g["mediator"].is_string(), "{g}");
    let mut moves = 0;
    while g["status"] == "waiting" {
        let asked = g["asked"].as_str().unwrap();
        let allowed: Vec<&str> = g["allowed"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        match asked {
            "candidate" | "final" => assert_eq!(allowed, ["accept", "reject"], "{protocol}"),
            "visit" => assert_eq!(allowed, ["offer", "accept", "reject", "walk_away"], "{protocol}"),
            other => panic!("{protocol}: asked {other}"),
        }
        // what is before you comes from the mediator
        assert_eq!(g["standing"]["by"], g["mediator"], "{g}");
        let (status, next) = send(app, "POST", &format!("/api/games/{id}/moves"), Some(answer(&g))).await;
        assert_eq!(status, StatusCode::OK, "{next}");
        // your move is in the history, and nothing before it changed
        let before = g["history"].as_array().unwrap();
        assert_eq!(next["history"].as_array().unwrap()[..before.len()], before[..]);
        g = next;
        moves += 1;
        assert!(moves < 200, "no end after {moves} moves");
    }
    assert!(g["result"]["report"]["status"].is_string(), "{g}");
    assert!(g["result"]["agent"]["utilities"].is_array(), "the agent in the same seat");
    g
}

/// Yes to what beats the current text (or walking away) and crosses none of your red lines.
fn hill_climber(g: &Value) -> Value {
    let s = &g["standing"];
    let floor = match g["text"]["your_utility"].as_f64() {
        Some(t) if g["asked"] == "candidate" => t,
        _ => g["reservation"].as_f64().unwrap(),
    };
    let yes = s["acceptable"] == true && s["your_utility"].as_f64().unwrap() >= floor;
    json!({"kind": if yes { "accept" } else { "reject" }})
}

#[tokio::test]
async fn a_person_votes_through_single_text_as_the_default_voter_would_and_gets_its_result() {
    let app = app();
    for protocol in ["single_text", "single_text_veto", "single_text_steepest"] {
        let g = play_mediated(&app, protocol, "ukraine", hill_climber).await;
        // the mediator proposed, the parties voted, the seat among them
        let history = g["history"].as_array().unwrap();
        assert!(history.iter().any(|h| h["actor"] == g["mediator"] && h["action"] == "offer"));
        assert!(history.iter().any(|h| h["actor"] == "ukraine" && (h["action"] == "accept" || h["action"] == "reject")));
        // voting as GENIUS's HillClimber voter does, the default every negotiator keeps, the
        // person gets what the agent in the seat gets
        let r = &g["result"];
        assert_eq!(r["report"]["utilities"], r["agent"]["utilities"], "{protocol}");
        assert_eq!(r["report"]["status"], r["agent"]["status"], "{protocol}");
    }
}

#[tokio::test]
async fn a_person_answers_the_shuttle_mediator_and_a_vote_is_no_answer_where_an_offer_is_due() {
    let app = app();
    // accept what beats walking away, else reject
    let g = play_mediated(&app, "shuttle", "russia", |g| {
        let s = &g["standing"];
        if g["asked"] != "visit" {
            return hill_climber(g);
        }
        if s["acceptable"] == true && s["your_utility"].as_f64().unwrap() >= g["reservation"].as_f64().unwrap() {
            json!({"kind": "accept"})
        } else {
            json!({"kind": "reject"})
        }
    })
    .await;
    assert!(g["history"].as_array().unwrap().iter().any(|h| h["actor"] == "russia"));
    // a counter-proposal: the seat's best option on every issue; the mediator revises the text
    let req = json!({"target": {"scenario": "builtin"}, "seat": "russia", "protocol": "shuttle", "rounds": 12});
    let (_, g) = send(&app, "POST", "/api/games", Some(req)).await;
    let id = g["id"].as_u64().unwrap();
    assert_eq!(g["asked"], "visit");
    let text: Vec<u64> = g["standing"]["options"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    let (_, e) = send(&app, "POST", &format!("/api/games/{id}/evaluate"), Some(json!({"options": text}))).await;
    let best: Vec<usize> = e["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let u: Vec<f64> = o.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
            (0..u.len()).max_by(|&a, &b| u[a].total_cmp(&u[b])).unwrap()
        })
        .collect();
    let (status, next) = send(&app, "POST", &format!("/api/games/{id}/moves"), Some(json!({"kind": "offer", "options": best}))).await;
    assert_eq!(status, StatusCode::OK, "{next}");
    let history = next["history"].as_array().unwrap();
    let at = history.iter().position(|h| h["actor"] == "russia" && h["action"] == "offer").expect("the counter-proposal is played");
    assert_eq!(history[at + 1]["actor"], next["mediator"], "the mediator revises the text next: {}", history[at + 1]);
    // in single text an offer or walking away is not a vote: refused, the game unchanged
    let req = json!({"target": {"scenario": "builtin"}, "seat": "russia", "protocol": "single_text", "rounds": 12});
    let (_, g) = send(&app, "POST", "/api/games", Some(req)).await;
    let id = g["id"].as_u64().unwrap();
    for bad in [json!({"kind": "offer", "options": vec![0; 10]}), json!({"kind": "walk_away"})] {
        let (status, e) = send(&app, "POST", &format!("/api/games/{id}/moves"), Some(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
        assert!(e["error"].as_str().unwrap().contains("vote"), "{e}");
    }
    let (_, same) = send(&app, "GET", &format!("/api/games/{id}"), None).await;
    assert_eq!(same["history"], g["history"]);
    // the mediator has no seat; an unknown protocol is named with the known ones
    let req = json!({"target": {"scenario": "builtin"}, "seat": "usa", "protocol": "shuttle"});
    let (status, e) = send(&app, "POST", "/api/games", Some(req)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["error"].as_str().unwrap().contains("shuttle"), "{e}");
    let req = json!({"target": {"scenario": "builtin"}, "seat": "russia", "protocol": "auction"});
    let (status, e) = send(&app, "POST", "/api/games", Some(req)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["error"].as_str().unwrap().contains("single_text"), "{e}");
}
