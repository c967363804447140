//! `detente study`: the main job. The library computes the report (`detente_study::study`);
//! this command only prints it — as the text briefing, as JSON, or as the HTML report.

use super::Options;
use crate::load::{load, Failure};
use detente_report::TextOptions;
use detente_study::StudyConfig;
use std::path::Path;

/// What `detente study` was asked.
#[derive(Debug, Clone)]
pub(crate) struct Request<'a> {
    /// `--full`: every table.
    pub(crate) full: bool,
    /// `--runs`: robustness runs.
    pub(crate) runs: usize,
    /// `--seeds`: seeds per protocol and rule in the comparison.
    pub(crate) seeds: usize,
    /// `--seed`.
    pub(crate) seed: u64,
    /// `--pair a,b`.
    pub(crate) pair: Option<&'a str>,
    /// `--html FILE`.
    pub(crate) html: Option<&'a Path>,
    /// `--force`: replace an existing `--html` file.
    pub(crate) force: bool,
}

pub(crate) fn run(file: Option<&Path>, req: &Request<'_>, opts: &Options<'_>) -> Result<(), Failure> {
    if let Some(path) = req.html {
        crate::render::check_page(path, req.force, opts.json, file)?;
    }
    if req.full && (opts.json || req.html.is_some()) {
        return Err(Failure::Usage("--full applies to the text briefing; the JSON and the HTML report always hold every table".into()));
    }
    let loaded = load(file, None, opts.semantics)?;
    let pair = match req.pair {
        None => None,
        Some(p) => match p.split_once(',') {
            Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() && !b.contains(',') => {
                Some((a.trim().to_string(), b.trim().to_string()))
            }
            _ => return Err(Failure::Usage(format!("--pair: expected two actor ids as `a,b`, got `{p}`"))),
        },
    };
    let config = StudyConfig { variant: opts.variant.map(String::from), seed: req.seed, runs: req.runs, seeds: req.seeds, pair };
    // The file's `[conflict]` part, for the stability section (the built-in scenario has one).
    let conflict = match file {
        None => Some(detente_formats::reference::conflict()?),
        Some(p) => detente_formats::conflict::load_part(p)?,
    };
    let report = detente_study::study_with_conflict(&loaded.scenario, conflict.as_ref(), &config).map_err(|e| match e {
        detente_study::StudyError::Variant(error) => Failure::Model { file: loaded.source.clone(), error },
        detente_study::StudyError::Conflict(e) => Failure::Input(format!("{}: {e}", loaded.source)),
        // the library checks the options it is given (`runs: …`, `seeds: …`, `pair: …`): say which flag
        other => Failure::Input(format!("--{other}")),
    })?;
    if opts.json {
        outln!("{}", serde_json::to_string_pretty(&report).expect("invariant: the study report serialises"));
        return Ok(());
    }
    if let Some(path) = req.html {
        let html = detente_report::html::render(&report, &loaded.source);
        crate::output::write_file(path, html.as_bytes(), req.force, file)?;
        outln!("Wrote {} ({} KB): open it in any browser; it needs no network.", path.display(), html.len().div_ceil(1024));
        return Ok(());
    }
    out!("{}", detente_report::render_text(&report, &loaded.source, TextOptions { full: req.full }));
    Ok(())
}
