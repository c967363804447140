//! `detente scenario show|validate|convert`.

use super::Options;
use crate::describe;
use crate::load::{load, Failure};
use crate::render::{print_serialized, report_failure};
use std::path::{Path, PathBuf};

/// One file checked by `scenario validate --json`.
#[derive(serde::Serialize)]
struct Checked {
    file: String,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    issues: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actors: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcomes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    variants: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// `scenario validate --json`.
#[derive(serde::Serialize)]
struct Validation<'a> {
    files: &'a [Checked],
    valid: usize,
    invalid: usize,
}

/// `scenario convert --json`.
#[derive(serde::Serialize)]
struct Converted {
    input: String,
    written: Vec<String>,
}

/// Target formats of `scenario convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Target {
    /// detente TOML.
    Toml,
    /// detente JSON.
    Json,
    /// A GENIUS domain plus one profile per actor, in a folder.
    Genius,
}

pub(crate) fn show(file: Option<&Path>, opts: &Options<'_>) -> Result<(), Failure> {
    let loaded = load(file, opts.variant, opts.semantics)?;
    let s = &loaded.scenario;
    if opts.json {
        print_serialized(&describe::scenario_json(s, &loaded.source));
        return Ok(());
    }
    out!("{}", describe::header_text(s, &loaded.source));
    outln!("\nIssues\n");
    out!("{}", describe::issues_text(s));
    outln!("\nActors\n");
    out!("{}", describe::actors_text(s));
    if let Some(t) = describe::positions_text(s) {
        outln!("\nPositions (ideal point: numeric issues in their units, ordered options on the 0-100 scale / salience 0-1)\n");
        out!("{t}");
    }
    if !s.variants.is_empty() {
        outln!("\nVariants\n");
        out!("{}", describe::variants_text(s));
    }
    Ok(())
}

pub(crate) fn validate(files: &[PathBuf], opts: &Options<'_>) -> Result<(), Failure> {
    let mut failed = 0usize;
    let mut results = Vec::new();
    for f in files {
        let loaded = load(Some(f), opts.variant, opts.semantics);
        match loaded {
            Ok(l) => {
                let s = &l.scenario;
                let line = format!(
                    "ok      {}: {} issues, {} actors, {} outcomes, {} variant{}",
                    f.display(),
                    s.space.issues().len(),
                    s.actors.len(),
                    s.space.cardinality(),
                    s.variants.len(),
                    if s.variants.len() == 1 { "" } else { "s" }
                );
                results.push(Checked {
                    file: f.display().to_string(),
                    ok: true,
                    issues: Some(s.space.issues().len()),
                    actors: Some(s.actors.len()),
                    outcomes: Some(s.space.cardinality().to_string()),
                    variants: Some(s.variants.len()),
                    error: None,
                });
                if !opts.json {
                    outln!("{line}");
                }
            }
            Err(e) => {
                failed += 1;
                let msg = failure_text(&e);
                results.push(Checked {
                    file: f.display().to_string(),
                    ok: false,
                    issues: None,
                    actors: None,
                    outcomes: None,
                    variants: None,
                    error: Some(msg),
                });
                if !opts.json {
                    outln!("invalid {}", f.display());
                    report_failure(&e);
                }
            }
        }
    }
    if opts.json {
        print_serialized(&Validation { files: &results, valid: files.len() - failed, invalid: failed });
    } else {
        outln!("{} of {} valid", files.len() - failed, files.len());
    }
    if failed > 0 {
        Err(Failure::Reported)
    } else {
        Ok(())
    }
}

fn failure_text(f: &Failure) -> String {
    match f {
        Failure::Format(e) => e.to_string(),
        Failure::Model { file, error } => format!("{file}: {error}"),
        Failure::Input(m) | Failure::Usage(m) => m.clone(),
        Failure::Reported => String::new(),
    }
}

pub(crate) fn convert(input: &Path, to: Target, output: &Path, force: bool, opts: &Options<'_>) -> Result<(), Failure> {
    // The output is checked before the (possibly slow) load, and again when it is written.
    match to {
        Target::Toml | Target::Json => crate::output::check_file(output, force, Some(input))?,
        Target::Genius => crate::output::check_folder(output, force, Some(input))?,
    }
    let loaded = load(Some(input), opts.variant, opts.semantics)?;
    let s = &loaded.scenario;
    let written: Vec<PathBuf> = match to {
        Target::Toml => {
            crate::output::write_file(output, detente_formats::native::to_toml_string(s)?.as_bytes(), force, Some(input))?;
            vec![output.to_path_buf()]
        }
        Target::Json => {
            crate::output::write_file(output, detente_formats::native::to_json_string(s)?.as_bytes(), force, Some(input))?;
            vec![output.to_path_buf()]
        }
        Target::Genius => {
            let files = detente_formats::genius::to_strings(s)?;
            let all: Vec<(String, String)> = std::iter::once(files.domain).chain(files.profiles).collect();
            let written = crate::output::write_folder(output, &all, force, Some(input))?;
            // Nothing the user stated is dropped silently: say what GENIUS cannot carry.
            let lost = genius_losses(s);
            if !lost.is_empty() {
                eprintln!(
                    "note: GENIUS keeps issues, utilities, discounts and reservation values; not written from {}: {}",
                    input.display(),
                    lost.join(", ")
                );
            }
            written
        }
    };
    if opts.json {
        print_serialized(&Converted {
            input: input.display().to_string(),
            written: written.iter().map(|p| p.display().to_string()).collect(),
        });
    } else {
        for p in &written {
            outln!("wrote {}", p.display());
        }
    }
    Ok(())
}

/// What a GENIUS export of `s` cannot carry (only what the scenario actually states).
fn genius_losses(s: &detente_core::Scenario) -> Vec<String> {
    use detente_core::Role;
    let mut lost = Vec::new();
    let mut count = |n: usize, what: &str| {
        if n > 0 {
            lost.push(format!("{n} {what}"));
        }
    };
    count(s.variants.len(), "variant(s) (export one with --variant)");
    count(s.spread_count(), "stated spread(s) of uncertain inputs");
    count(s.openings.len(), "opening concession(s)");
    count(s.actors.iter().map(|a| a.red_lines.len()).sum(), "red line(s)");
    count(s.actors.iter().filter(|a| a.role != Role::Party).count(), "non-party role(s)");
    count(s.actors.iter().filter(|a| !a.required).count(), "optional-party flag(s)");
    count(s.actors.iter().filter(|a| a.strategy.is_some()).count(), "default strategy(ies)");
    count(s.actors.iter().filter(|a| a.capability != 1.0).count(), "capability value(s)");
    if s.protocol.mediator.is_some() || s.protocol.rounds.is_some() || s.protocol.protocol.is_some() {
        lost.push("protocol defaults".into());
    }
    lost
}
