//! Every endpoint, with good and bad input: a bad request is a 4xx with a message (and every
//! located problem, for a scenario), and the server answers the next request as before.

use crate::common::{app, app_with, raw, send};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use detente_server::Limits;
use serde_json::{json, Value};

async fn healthy(app: &Router) {
    let (status, _, body) = send(app, "GET", "/api/health", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
}

fn nash(explored: &Value) -> String {
    explored["deal"]["deal"]["nash"]["terms"]
        .as_array()
        .expect("a Nash deal")
        .iter()
        .map(|t| format!("{}={}", t["issue"], t["value"]))
        .collect::<Vec<_>>()
        .join(", ")
}

#[tokio::test]
async fn the_app_and_its_api_document_are_served_with_security_headers() {
    let app = app();
    for (uri, kind) in
        [("/", "text/html"), ("/app.js", "text/javascript"), ("/app.css", "text/css"), ("/api/openapi.json", "application/json")]
    {
        let (status, headers, _) = send(&app, "GET", uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with(kind), "{uri}: {:?}", headers[header::CONTENT_TYPE]);
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("script-src 'self' 'unsafe-inline'"), "{uri}: {csp}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
    let (_, _, doc) = send(&app, "GET", "/api/openapi.json", None).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/health",
        "/api/scenarios",
        "/api/scenarios/{name}",
        "/api/explore",
        "/api/export",
        "/api/study",
        "/api/negotiations",
        "/api/negotiations/{id}/events",
        "/api/negotiations/{id}/trace",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is not documented");
    }
    for schema in ["Target", "Edit", "Explored", "ErrorBody", "NegotiateRequest", "GameRequest", "Move", "GameView"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema} is not documented");
    }
    // the page loads its script from the server only: no inline script
    let (_, _, page) = send(&app, "GET", "/", None).await;
    let page = page.as_str().unwrap();
    assert!(page.contains(r#"<script src="/app.js" defer></script>"#));
    assert_eq!(page.matches("<script").count(), 1);
}

#[tokio::test]
async fn the_builtin_scenario_is_listed_and_shown() {
    let app = app();
    let (status, _, list) = send(&app, "GET", "/api/scenarios", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["name"], "builtin");
    assert_eq!(list[0]["origin"], "builtin");
    let (status, _, view) = send(&app, "GET", "/api/scenarios/builtin", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["summary"]["id"], "ukraine-ceasefire-2025");
    assert!(view["summary"]["actors"].as_array().unwrap().len() >= 4);
    assert!(!view["variants"].as_array().unwrap().is_empty());
    assert!(view["red_lines"].as_array().unwrap().iter().any(|r| r[0] == "russia"));
}

#[tokio::test]
async fn a_salience_changes_the_nash_deal_and_the_changes_are_said() {
    let app = app();
    let (status, _, base) = send(&app, "POST", "/api/explore", Some(json!({"scenario": "builtin"}))).await;
    assert_eq!(status, StatusCode::OK, "{base}");
    assert_eq!(base["case"], "base");
    assert!(base["html"]["analysis"].as_str().unwrap().contains("<svg"));
    assert!(base["html"]["forecast"].as_str().unwrap().starts_with("<!DOCTYPE html>"));
    let edits = json!([{"kind": "position", "actor": "ukraine", "issue": "territory", "salience": 1.0},
                       {"kind": "position", "actor": "russia", "issue": "territory", "salience": 0.05}]);
    let (status, _, edited) = send(&app, "POST", "/api/explore", Some(json!({"scenario": "builtin", "edits": edits}))).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["case"], "edited");
    assert_eq!(edited["changes"].as_array().unwrap().len(), 2, "{}", edited["changes"]);
    assert_ne!(nash(&base), nash(&edited), "the edits should move the Nash deal");
    // the edited scenario downloads as TOML that reads back with the edits in it
    let req = Request::builder()
        .method("POST")
        .uri("/api/export")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"scenario": "builtin", "edits": edits}).to_string()))
        .unwrap();
    let (status, headers, toml) = raw(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment;"));
    let back = detente_formats::native::from_toml_str(toml.as_str().unwrap(), "export.toml").unwrap();
    let ukraine = back.actors.iter().find(|a| a.id == "ukraine").unwrap();
    let summary = detente_study::scenario::summarise(&back);
    let territory =
        summary.actors.iter().find(|a| a.id == "ukraine").unwrap().positions.iter().find(|p| p.issue == "territory").unwrap().salience;
    assert_eq!(territory, 1.0, "{}", ukraine.id);
}

#[tokio::test]
async fn a_variant_is_explored_and_an_unknown_one_is_404() {
    let app = app();
    let (_, _, view) = send(&app, "GET", "/api/scenarios/builtin", None).await;
    let variant = view["variants"][0]["id"].as_str().unwrap().to_string();
    let (status, _, x) = send(&app, "POST", "/api/explore", Some(json!({"scenario": "builtin", "variant": variant}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(x["case"], variant.as_str());
    let (status, _, e) = send(&app, "POST", "/api/explore", Some(json!({"scenario": "builtin", "variant": "no_such"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(e["error"].as_str().unwrap().contains("no_such"));
}

#[tokio::test]
async fn bad_input_is_a_4xx_with_a_message_and_the_server_goes_on() {
    let app = app_with(None, Limits { body_bytes: 64 * 1024, ..Limits::default() });
    let cases: Vec<(&str, &str, Value, StatusCode, &str)> = vec![
        ("POST", "/api/explore", json!({"scenario": "nope"}), StatusCode::NOT_FOUND, "nope"),
        ("POST", "/api/explore", json!({"scenario": "../../Cargo.toml"}), StatusCode::NOT_FOUND, "Cargo.toml"),
        (
            "POST",
            "/api/explore",
            json!({"scenario": "builtin", "edits": [{"kind": "capability", "actor": "atlantis", "capability": 3}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "valid",
        ),
        (
            "POST",
            "/api/explore",
            json!({"scenario": "builtin", "edits": [{"kind": "position", "actor": "russia", "issue": "territory", "salience": -2}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "valid",
        ),
        (
            "POST",
            "/api/explore",
            json!({"scenario": "builtin", "edits": [{"kind": "teleport", "actor": "russia"}]}),
            StatusCode::BAD_REQUEST,
            "teleport",
        ),
        ("POST", "/api/explore", json!({"scenario": "builtin", "colour": "red"}), StatusCode::BAD_REQUEST, "colour"),
        (
            "POST",
            "/api/negotiations",
            json!({"target": {"scenario": "builtin"}, "protocol": "auction"}),
            StatusCode::BAD_REQUEST,
            "auction",
        ),
        ("POST", "/api/negotiations", json!({"target": {"scenario": "builtin"}, "rounds": 0}), StatusCode::BAD_REQUEST, "rounds"),
        (
            "POST",
            "/api/negotiations",
            json!({"target": {"scenario": "builtin"}, "protocol": "sao", "negotiators": ["telepathic", "boulware"]}),
            StatusCode::BAD_REQUEST,
            "telepathic",
        ),
        ("GET", "/api/negotiations/999/events", Value::Null, StatusCode::NOT_FOUND, "999"),
        ("GET", "/api/negotiations/abc/trace", Value::Null, StatusCode::BAD_REQUEST, "abc"),
        ("GET", "/api/scenarios/nope", Value::Null, StatusCode::NOT_FOUND, "nope"),
    ];
    for (method, uri, body, want, mentions) in cases {
        let body = if body.is_null() { None } else { Some(body) };
        let (status, _, e) = send(&app, method, uri, body.clone()).await;
        assert_eq!(status, want, "{method} {uri} {body:?}: {e}");
        let message = e["error"].as_str().unwrap_or_else(|| panic!("{method} {uri}: no error message in {e}"));
        let all = format!("{message} {}", e["problems"]);
        assert!(all.contains(mentions), "{method} {uri}: `{all}` does not mention `{mentions}`");
        healthy(&app).await;
    }
    // not JSON at all, and a body over the limit
    let req = Request::builder()
        .method("POST")
        .uri("/api/explore")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{oops"))
        .unwrap();
    let (status, _, e) = raw(&app, req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["error"].is_string());
    let big = json!({"scenario": "builtin", "edits": vec![json!({"kind": "capability", "actor": "russia", "capability": 1}); 5000]});
    let (status, _, e) = send(&app, "POST", "/api/explore", Some(big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
    assert!(e["error"].is_string());
    healthy(&app).await;
}

#[tokio::test]
async fn an_upload_is_read_with_every_located_problem_or_kept() {
    let app = app();
    let upload = |file: &str, text: &str| {
        Request::builder()
            .method("POST")
            .uri(format!("/api/scenarios?file={file}"))
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from(text.to_string()))
            .unwrap()
    };
    let bad = detente_formats::reference::TOML.replacen("capability = ", "capability = -", 2);
    let (status, _, e) = raw(&app, upload("mine.toml", &bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let problems = e["problems"].as_array().unwrap();
    assert!(problems.len() >= 2, "every problem, not the first: {e}");
    assert!(problems.iter().all(|p| p["line"].as_u64().unwrap() > 0 && p["file"] == "mine.toml"), "{e}");
    let (status, _, e) = raw(&app, upload("mine.xml", "<x/>")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    let (status, _, ok) = raw(&app, upload("my%20talks.toml", detente_formats::reference::TOML)).await;
    assert_eq!(status, StatusCode::CREATED, "{ok}");
    let name = ok["name"].as_str().unwrap();
    assert!(name.starts_with("upload-1-my_talks.toml"), "{name}");
    let (_, _, list) = send(&app, "GET", "/api/scenarios", None).await;
    assert!(list.as_array().unwrap().iter().any(|e| e["name"] == name && e["origin"] == "upload"));
    let (status, _, _) = send(&app, "POST", "/api/explore", Some(json!({"scenario": name}))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_served_folder_offers_its_files_by_name_and_lists_a_broken_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("talks.toml"), detente_formats::reference::TOML).unwrap();
    std::fs::write(dir.path().join("broken.toml"), "format = 2\nid = 1\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a scenario").unwrap();
    let app = app_with(Some(dir.path()), Limits::default());
    let (_, _, list) = send(&app, "GET", "/api/scenarios", None).await;
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["builtin", "broken.toml", "talks.toml"]);
    assert!(list[1]["error"].is_string());
    let (status, _, _) = send(&app, "POST", "/api/explore", Some(json!({"scenario": "talks.toml"}))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, e) = send(&app, "POST", "/api/explore", Some(json!({"scenario": "broken.toml"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (status, _, _) = send(&app, "POST", "/api/explore", Some(json!({"scenario": "notes.txt"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_negotiation_is_run_watched_to_its_end_and_downloaded() {
    let app = app();
    let req =
        json!({"target": {"scenario": "builtin"}, "protocol": "sao", "negotiators": ["boulware", "conceder"], "rounds": 40, "seed": 3});
    let (status, _, n) = send(&app, "POST", "/api/negotiations", Some(req.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{n}");
    let id = n["id"].as_u64().unwrap();
    let lines = n["lines"].as_u64().unwrap() as usize;
    assert!(lines >= 3);
    assert!(n["html"].as_str().unwrap().contains("<svg"));
    assert!(n["report"]["concessions"]["curves"].as_array().unwrap().len() >= 2);

    let (status, headers, events) = send(&app, "GET", &format!("/api/negotiations/{id}/events"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/event-stream"));
    let events = events.as_str().unwrap();
    let kinds: Vec<&str> = events.lines().filter_map(|l| l.strip_prefix("event: ")).collect();
    assert_eq!(kinds.first(), Some(&"header"));
    assert_eq!(kinds.last(), Some(&"done"));
    assert_eq!(kinds.iter().filter(|k| **k == "end").count(), 1);
    assert_eq!(kinds.len(), lines + 1, "{events}");

    let (status, headers, trace) = send(&app, "GET", &format!("/api/negotiations/{id}/trace"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/x-ndjson");
    let trace = trace.as_str().map(str::to_string).unwrap_or_else(|| trace.to_string());
    assert_eq!(trace.lines().count(), lines);
    assert!(trace.starts_with(r#"{"trace":"detente/2""#), "{trace}");

    // the same request, the same negotiation
    let (_, _, again) = send(&app, "POST", "/api/negotiations", Some(req)).await;
    assert_eq!(again["report"], n["report"]);
}

#[tokio::test]
async fn a_slow_computation_is_answered_503_and_the_server_goes_on() {
    // no time at all for a study: the answer is a 503 with a message
    let app = app_with(None, Limits { study_time: std::time::Duration::from_millis(1), ..Limits::default() });
    let (status, _, e) = send(&app, "POST", "/api/study", Some(json!({"scenario": "builtin"}))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{e}");
    assert!(e["error"].as_str().unwrap().contains("longer than"));
    healthy(&app).await;
}

#[tokio::test]
async fn a_scenario_deadline_beyond_the_limit_is_refused_not_run() {
    let app = app();
    let long = detente_formats::reference::TOML.replacen("rounds = 30 ", "rounds = 2000000 ", 1);
    assert_ne!(long, detente_formats::reference::TOML);
    let req = Request::builder()
        .method("POST")
        .uri("/api/scenarios?file=long.toml")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(long))
        .unwrap();
    let (status, _, up) = raw(&app, req).await;
    assert_eq!(status, StatusCode::CREATED, "{up}");
    let target = json!({"scenario": up["name"]});
    let (status, _, e) = send(&app, "POST", "/api/negotiations", Some(json!({"target": target, "protocol": "sao"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["error"].as_str().unwrap().contains("2000000"), "{e}");
    let (status, _, e) = send(&app, "POST", "/api/games", Some(json!({"target": target, "seat": "ukraine"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    // asking for a deadline of one's own is fine
    let (status, _, e) = send(&app, "POST", "/api/negotiations", Some(json!({"target": target, "protocol": "sao", "rounds": 20}))).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
}
