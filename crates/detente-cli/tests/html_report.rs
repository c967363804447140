//! End-to-end tests of `detente study --html`: the self-contained report, opened in headless
//! Chromium as a reader would (through `tests/browser/check-report.mjs`), and the file guard.

use crate::common::*;
use std::path::PathBuf;
use std::process::Command;

/// What the browser check needs: Node, Chromium and `tests/browser/node_modules`.
///
/// Returns the Chromium executable. The tests that need it are `#[ignore = "needs Chromium …"]`:
/// a plain `cargo test` lists them as ignored; `--include-ignored` (CI, the README) runs them.
///
/// # Panics
/// When something is missing: a test that is run must check what it says, never pass by
/// skipping.
pub(crate) fn browser_prerequisites() -> PathBuf {
    let chromium = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let playwright = repo().join("tests/browser/node_modules/playwright-core");
    let mut missing = Vec::new();
    if !chromium.is_file() {
        missing.push(format!("Chromium at {} (install it: apt-get install chromium, or set CHROMIUM)", chromium.display()));
    }
    if !playwright.is_dir() {
        missing.push(format!("{} (install it: npm ci --prefix tests/browser)", playwright.display()));
    }
    if !Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success()) {
        missing.push("node on PATH (install Node.js 20 or later)".to_owned());
    }
    if !missing.is_empty() {
        panic!("browser test prerequisites missing: {}", missing.join("; "));
    }
    chromium
}

#[test]
#[ignore = "needs Chromium and tests/browser/node_modules"]
fn study_html_report_renders_offline_with_every_plot() {
    let chromium = browser_prerequisites();
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let png = dir.path().join("report.png");

    let o = detente(&["study", "--html", html.to_str().unwrap()]);
    assert!(o.status.success(), "detente study --html failed:\n{}", stderr(&o));
    assert!(html.is_file(), "detente study --html did not write {}", html.display());

    let check = Command::new("node")
        .arg("tests/browser/check-report.mjs")
        .arg("--html")
        .arg(&html)
        .arg("--screenshot")
        .arg(&png)
        .args([
            "--min-plots",
            "8",
            "--expect",
            "plot-positions,plot-utility-space,plot-concession,plot-trajectory-territory,plot-robustness,plot-sensitivity",
        ])
        .env("CHROMIUM", &chromium)
        .current_dir(repo())
        .output()
        .expect("node runs");
    let (out, err) = (stdout(&check), stderr(&check));
    assert!(check.status.success(), "the browser check of {} failed ({}):\n{out}\n{err}", html.display(), check.status);
    println!("{out}");
    assert!(png.is_file(), "no screenshot at {}", png.display());
}

#[test]
fn html_report_is_not_clobbered() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let path = html.to_str().unwrap();
    let before = "not a report: detente must not overwrite me without --force\n";
    std::fs::write(&html, before).unwrap();

    let o = detente(&["study", "--html", path]);
    assert!(!o.status.success(), "detente study --html overwrote an existing file without --force:\n{}", stdout(&o));
    assert!(!stderr(&o).contains("unexpected argument"), "detente study does not know --html yet:\n{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&html).unwrap(), before, "the existing file changed although the command failed");

    let o = detente(&["study", "--html", path, "--force"]);
    assert!(o.status.success(), "detente study --html --force failed:\n{}", stderr(&o));
    let after = std::fs::read_to_string(&html).unwrap();
    assert_ne!(after, before, "--force did not replace the file");
    assert!(
        after.to_ascii_lowercase().contains("<html"),
        "--force wrote something that is not HTML:\n{}",
        after.chars().take(500).collect::<String>()
    );
}

/// Runs the browser check on a page and asserts it passes.
fn check_page(chromium: &std::path::Path, html: &std::path::Path, min_plots: &str, expect: &str) {
    let png = html.with_extension("png");
    let check = Command::new("node")
        .arg("tests/browser/check-report.mjs")
        .arg("--html")
        .arg(html)
        .arg("--screenshot")
        .arg(&png)
        .args(["--min-plots", min_plots, "--expect", expect])
        .env("CHROMIUM", chromium)
        .current_dir(repo())
        .output()
        .expect("node runs");
    assert!(check.status.success(), "the browser check of {} failed:\n{}\n{}", html.display(), stdout(&check), stderr(&check));
}

/// The tournament page: its plots drawn offline, in Chromium, as a person opens it.
#[test]
#[ignore = "needs Chromium and tests/browser/node_modules"]
fn the_tournament_page_renders_offline_with_its_plots() {
    let chromium = browser_prerequisites();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = detente(&[
        "tournament",
        "--negotiators",
        "boulware,conceder,tft",
        "--scenarios",
        "scenarios/textbook-bilateral.toml",
        "--repetitions",
        "5",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = dir.path().join("tournament.html");
    let o = detente(&["tournament", "report", out.to_str().unwrap(), "--html", html.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).unwrap();
    for name in ["boulware", "conceder", "tft", "Significant differences", "textbook-bilateral"] {
        assert!(page.contains(name), "the page names {name}");
    }
    check_page(&chromium, &html, "2", "plot-scores,plot-agreements");
    // --html and --json are two printers of one summary: choose one
    let o = detente(&["tournament", "report", out.to_str().unwrap(), "--html", html.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
#[ignore = "needs Chromium and tests/browser/node_modules"]
fn the_lens_pages_render_offline_with_their_plots() {
    let chromium = browser_prerequisites();
    let dir = tempfile::tempdir().unwrap();
    for (args, min, expect) in [
        (vec!["negotiate", "--protocol", "sao", "--rounds", "40"], "1", "plot-concession"),
        (vec!["negotiate", "--protocol", "shuttle", "--mediator-rule", "neutral"], "1", "plot-concession"),
        (vec!["analyze"], "1", "plot-utility-space"),
        (vec!["forecast"], "5", "plot-positions,plot-trajectory-territory"),
    ] {
        let html = dir.path().join(format!("{}.html", args.join("-")));
        let mut all = args.clone();
        all.extend(["--html", html.to_str().unwrap()]);
        let o = detente(&all);
        assert!(o.status.success(), "{all:?}: {}", stderr(&o));
        check_page(&chromium, &html, min, expect);
    }
}

#[test]
fn a_lens_page_refuses_options_it_would_ignore() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("x.html");
    let path = html.to_str().unwrap();
    for (args, needle) in [
        (vec!["forecast", "--runs", "100", "--html", path], "--html shows"),
        (vec!["analyze", "--frontier", "--html", path], "--html shows"),
        (vec!["study", "--json", "--html", path], "--html and --json: choose one"),
        (vec!["negotiate", "--json", "--html", path], "--html and --json: choose one"),
        (vec!["study", "--full", "--html", path], "--full applies to the text briefing"),
    ] {
        let o = detente(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: a usage error");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert!(!html.exists(), "nothing is written when the command is refused");
    }
}

#[test]
fn the_same_study_writes_the_same_page() {
    // No clock, no random names: the page is a function of the scenario, the options and the seed.
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.html"), dir.path().join("b.html"));
    for p in [&a, &b] {
        let o = detente(&["study", "--runs", "5", "--seed", "2", "--html", p.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}
