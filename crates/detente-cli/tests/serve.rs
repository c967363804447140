//! `detente serve` as a person uses it: the binary started on a free port, the app opened in
//! headless Chromium (`tests/browser/check-serve.mjs`): move two saliences and see the Nash deal
//! change, compare the what-ifs side by side, run a negotiation and watch it to its end, play
//! Ukraine to an agreement, and vote Ukraine's way through single text. And the warning when it
//! listens beyond loopback, and a bounded load test.

use crate::common::*;
use crate::html_report::browser_prerequisites;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A running `detente serve`, stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(args: &[&str]) -> (Server, String) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_detente"))
            .arg("serve")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start detente serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().expect("a first line").expect("readable");
        let url = first.strip_prefix("detente serve: ").unwrap_or_else(|| panic!("no URL in `{first}`")).to_string();
        // the rest of stdout is drained, as a terminal would take it; stderr is read after stopping
        std::thread::spawn(move || lines.for_each(drop));
        (Server { child, url }, first)
    }

    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let out = std::mem::replace(&mut self.child, Command::new("true").spawn().unwrap()).wait_with_output().unwrap();
        String::from_utf8_lossy(&out.stderr).to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
#[ignore = "needs Chromium and tests/browser/node_modules"]
fn the_app_follows_a_salience_shows_a_negotiation_and_is_played_to_an_agreement() {
    let chromium = browser_prerequisites();
    let (server, _) = Server::start(&["--port", "0"]);
    assert!(server.url.starts_with("http://127.0.0.1:"), "{}", server.url);
    let shots = tempfile::tempdir().unwrap();
    let check = Command::new("node")
        .arg("tests/browser/check-serve.mjs")
        .args(["--url", &server.url, "--screenshots"])
        .arg(shots.path())
        .env("CHROMIUM", &chromium)
        .current_dir(repo())
        .output()
        .expect("run node");
    let errors = server.stop();
    assert!(check.status.success(), "the app check failed:\n{}\n{}\nserver stderr:\n{errors}", stdout(&check), stderr(&check));
    let seen: serde_json::Value = serde_json::from_str(stdout(&check).trim()).expect("one JSON line");
    assert_ne!(seen["before"], seen["after"]);
    assert_eq!(seen["changes"].as_array().unwrap().len(), 2);
    assert_eq!(seen["end"], "agreed", "{seen}");
    assert!(seen["offers"].as_u64().unwrap() >= 2);
    assert_eq!(seen["game"], "agreed", "{seen}");
    assert_ne!(seen["single_text"], "errored", "{seen}");
    assert!(seen["votes"].as_u64().unwrap() >= 2, "{seen}");
    assert!(seen["marked"].as_u64().unwrap() >= 1, "{seen}");
    for shot in ["explore.png", "compare.png", "watch.png", "play.png", "play-single-text.png"] {
        assert!(std::fs::metadata(shots.path().join(shot)).unwrap().len() > 10_000, "{shot} is empty");
    }
}

#[test]
fn serve_listens_on_loopback_by_default_and_warns_beyond_it() {
    let (server, line) = Server::start(&["--port", "0"]);
    assert!(line.starts_with("detente serve: http://127.0.0.1:"), "{line}");
    assert!(!server.stop().contains("warning"));
    let (server, line) = Server::start(&["--port", "0", "--host", "0.0.0.0"]);
    assert!(line.starts_with("detente serve: http://0.0.0.0:"), "{line}");
    let errors = server.stop();
    assert!(errors.contains("warning: listening on 0.0.0.0, not loopback"), "{errors}");
}

#[test]
fn serve_refuses_a_path_that_does_not_exist() {
    let o = detente(&["serve", "no/such/folder", "--port", "0"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no/such/folder"), "{}", stderr(&o));
}

#[test]
fn a_bounded_load_of_concurrent_clients_gets_no_error() {
    // scripts/load-serve.py (standard library only) against this build: 50 clients running and
    // watching negotiations for 5 s, and 20 live re-analyses; any failed request fails it
    let o = Command::new("python3")
        .arg("scripts/load-serve.py")
        .args(["--binary", env!("CARGO_BIN_EXE_detente"), "--clients", "50", "--seconds", "5", "--explore", "20"])
        .current_dir(repo())
        .output()
        .expect("python3 runs scripts/load-serve.py");
    assert!(o.status.success(), "load test failed:\n{}\n{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(", 0 errors"), "{out}");
    assert!(out.contains("server peak RSS"), "{out}");
}
