//! `detente tournament`: every negotiator against every other on many scenarios. The library
//! plans and runs it (`detente_tournament`), stores it (`detente_tournament::store`: Parquet,
//! CSV, checkpoints, resume, shards, merge) and summarises it (`detente_tournament::Summary`);
//! this command expands the scenario arguments, loads them, shows progress and prints the
//! summary (`detente_report::tournament`).

use super::Options;
use crate::load::{load, Failure};
use detente_agents::Protocol;
use detente_tournament::store::{self, RunOptions, ScenarioSource, Shard};
use detente_tournament::{parse_negotiators, BatchError, Prepared, Summary, Tournament};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// What `detente tournament` was asked.
#[derive(Debug, Clone)]
pub(crate) struct Request<'a> {
    /// `--negotiators a,b,...`.
    pub(crate) negotiators: &'a str,
    /// `--scenarios PATH...` (files, folders, glob patterns).
    pub(crate) scenarios: &'a [String],
    /// `--protocol`.
    pub(crate) protocol: Option<Protocol>,
    /// `--rounds`.
    pub(crate) rounds: Option<u32>,
    /// `--repetitions`.
    pub(crate) repetitions: u32,
    /// `--seed`.
    pub(crate) seed: u64,
    /// `--no-self-play`.
    pub(crate) no_self_play: bool,
    /// `--rotate`: every party opens in turn.
    pub(crate) rotate: bool,
    /// `--time-limit SECONDS` per negotiation.
    pub(crate) time_limit: Option<f64>,
    /// `--jobs J` (default: every core).
    pub(crate) jobs: Option<usize>,
    /// `--out DIR`.
    pub(crate) out: Option<&'a Path>,
    /// `--shard k/N`.
    pub(crate) shard: Option<Shard>,
    /// `--checkpoint N` rows per part file.
    pub(crate) checkpoint: Option<u64>,
    /// `--force`: replace a different tournament in DIR.
    pub(crate) force: bool,
}

/// Runs a tournament: in memory (summary only) or into `--out DIR` (resumable).
pub(crate) fn run(req: &Request<'_>, opts: &Options<'_>) -> Result<(), Failure> {
    if req.shard.is_some() && req.out.is_none() {
        return Err(Failure::Usage("--shard needs --out: a shard's rows are merged from its folder".into()));
    }
    if req.checkpoint.is_some() && req.out.is_none() {
        return Err(Failure::Usage("--checkpoint has no effect without --out: nothing is written".into()));
    }
    if req.checkpoint == Some(0) {
        return Err(Failure::Usage("--checkpoint: expected at least 1 negotiation per part".into()));
    }
    if req.jobs == Some(0) {
        return Err(Failure::Usage("--jobs: expected at least 1".into()));
    }
    let negotiators =
        parse_negotiators(super::negotiate::split_specs(req.negotiators)).map_err(|e| Failure::Usage(format!("--negotiators: {e}")))?;
    let paths = expand(req.scenarios)?;
    let (scenarios, sources) = load_all(&paths, opts)?;
    let tournament = Tournament {
        protocol: req.protocol,
        rounds: req.rounds,
        repetitions: req.repetitions,
        seed: req.seed,
        self_play: !req.no_self_play,
        rotate: req.rotate,
        time_limit: req.time_limit,
        ..Tournament::new(negotiators, scenarios)
    };
    let plan = tournament.plan().map_err(refusal)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(req.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Failure::Input(format!("cannot start {} threads: {e}", req.jobs.unwrap_or(0))))?;
    let summary = pool.install(|| -> Result<Summary, Failure> {
        match req.out {
            None => {
                let bar = progress(plan.len());
                let summary = plan.summarize(0..plan.len(), &mut || bar.inc(1));
                bar.finish_and_clear();
                Ok(summary)
            }
            Some(dir) => {
                let definition = store::Definition::new(&plan, sources).map_err(stored)?;
                let options = RunOptions {
                    shard: req.shard,
                    checkpoint: req.checkpoint.unwrap_or(store::DEFAULT_CHECKPOINT),
                    force: req.force,
                    ..RunOptions::default()
                };
                let bar = progress(0);
                let outcome = store::run(&plan, &definition, dir, &options, &mut |done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .map_err(stored)?;
                bar.finish_and_clear();
                if outcome.already_done > 0 {
                    eprintln!(
                        "note: {}: resumed: {} of {} negotiations were already done, {} ran now",
                        dir.display(),
                        outcome.already_done,
                        outcome.total,
                        outcome.ran
                    );
                }
                eprintln!("wrote {}", dir.display());
                store::read_summary(dir).map_err(stored)
            }
        }
    })?;
    print(&summary, opts)
}

/// `detente tournament report DIR [--html FILE]`: the summary of a finished tournament folder,
/// printed, or as a page with plots.
pub(crate) fn report(dir: &Path, html: Option<&Path>, force: bool, opts: &Options<'_>) -> Result<(), Failure> {
    if let Some(path) = html {
        crate::render::check_page(path, force, opts.json, None)?;
    }
    let summary = store::read_summary(dir).map_err(stored)?;
    match html {
        Some(path) => {
            let page = detente_report::html::tournament(&summary, &dir.display().to_string());
            crate::output::write_file(path, page.as_bytes(), force, None)?;
            outln!("Wrote {} ({} KB): open it in any browser; it needs no network.", path.display(), page.len().div_ceil(1024));
            Ok(())
        }
        None => print(&summary, opts),
    }
}

/// `detente tournament merge --out DIR SHARD...`: the shards' results as one tournament.
pub(crate) fn merge(shards: &[PathBuf], out: &Path, force: bool, opts: &Options<'_>) -> Result<(), Failure> {
    let outcome = store::merge(shards, out, force).map_err(stored)?;
    eprintln!("wrote {} ({} negotiations from {} shards)", out.display(), outcome.total, shards.len());
    let summary = store::read_summary(out).map_err(stored)?;
    print(&summary, opts)
}

fn print(summary: &Summary, opts: &Options<'_>) -> Result<(), Failure> {
    if opts.json {
        let text = serde_json::to_string_pretty(summary).map_err(|e| Failure::Input(format!("cannot write JSON: {e}")))?;
        outln!("{text}");
    } else {
        out!("{}", detente_report::tournament::text(summary));
    }
    Ok(())
}

/// A progress bar on stderr with rate and ETA when stderr is a terminal; hidden otherwise.
fn progress(len: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {human_pos}/{human_len} negotiations  {per_sec}  eta {eta}  {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

/// The scenario arguments as paths: a glob pattern (`*`, `?`, `[`) stands for the folders and
/// scenario files (`.toml`, `.json`, `.csv`) it matches, sorted — anything else it matches (a
/// README beside the domains) is left out with a note; a pattern that matches nothing is an
/// error. A path given as it is is read as it is.
fn expand(args: &[String]) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    for arg in args {
        if arg.contains(['*', '?', '[']) {
            let paths = glob::glob(arg).map_err(|e| Failure::Usage(format!("--scenarios {arg}: not a glob pattern: {e}")))?;
            let mut matched: Vec<PathBuf> =
                paths.collect::<Result<_, _>>().map_err(|e| Failure::Input(format!("--scenarios {arg}: {e}")))?;
            if matched.is_empty() {
                return Err(Failure::Input(format!("--scenarios {arg}: the pattern matches no file or folder")));
            }
            matched.sort();
            let before = out.len();
            for path in matched {
                let scenario_file = path.extension().and_then(|e| e.to_str()).is_some_and(|e| ["toml", "json", "csv"].contains(&e));
                if path.is_dir() || scenario_file {
                    out.push(path);
                } else {
                    eprintln!("note: --scenarios {arg}: left out {}: neither a folder nor a scenario file", path.display());
                }
            }
            if out.len() == before {
                return Err(Failure::Input(format!("--scenarios {arg}: the pattern matches no scenario file or folder")));
            }
        } else {
            out.push(PathBuf::from(arg));
        }
    }
    Ok(out)
}

/// Loads every scenario (with `--variant` and `--semantics`), reporting every one that fails
/// before giving up, and fingerprints each for the store: a resumed run must be the same
/// tournament, on the same bytes.
fn load_all(paths: &[PathBuf], opts: &Options<'_>) -> Result<(Vec<Prepared>, Vec<ScenarioSource>), Failure> {
    let mut scenarios = Vec::with_capacity(paths.len());
    let mut sources = Vec::with_capacity(paths.len());
    let mut failed = false;
    for path in paths {
        let prepared = load(Some(path), opts.variant, opts.semantics)
            .and_then(|loaded| Prepared::new(loaded.scenario).map_err(|e| Failure::Input(format!("{}: {e}", path.display()))));
        match prepared.and_then(|p| Ok((p, fingerprint(path, opts)?))) {
            Ok((p, fingerprint)) => {
                scenarios.push(p);
                sources.push(ScenarioSource { source: path.display().to_string(), fingerprint });
            }
            Err(failure) => {
                crate::render::report_failure(&failure);
                failed = true;
            }
        }
    }
    if failed {
        return Err(Failure::Reported);
    }
    Ok((scenarios, sources))
}

/// SHA-256 over what the scenario was read from: the file's bytes, or every regular file of a
/// folder (by name, in order), with the variant and the reading, so that an edited file or a
/// different `--variant` is a different tournament.
fn fingerprint(path: &Path, opts: &Options<'_>) -> Result<String, Failure> {
    use sha2::{Digest, Sha256};
    let cannot = |e: std::io::Error| Failure::Input(format!("{}: cannot read: {e}", path.display()));
    let mut hash = Sha256::new();
    if path.is_dir() {
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(path).map_err(cannot)?.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
        files.sort();
        for file in files {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let bytes = std::fs::read(&file).map_err(cannot)?;
            hash.update((name.len() as u64).to_le_bytes());
            hash.update(name.as_bytes());
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(&bytes);
        }
    } else {
        hash.update(std::fs::read(path).map_err(cannot)?);
    }
    hash.update(format!("\0variant={:?}\0semantics={:?}", opts.variant, opts.semantics.map(|s| s.as_str())));
    Ok(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The library's refusals in the CLI's words: a setting out of range is a usage error naming
/// the flag; a scenario the protocol cannot run is a bad input.
fn refusal(e: BatchError) -> Failure {
    match e {
        BatchError::Rounds(_) | BatchError::ScenarioRounds { .. } => Failure::Usage(format!("--rounds: {e}")),
        BatchError::Repetitions(_) => Failure::Usage(format!("--repetitions: {e}")),
        BatchError::TimeLimit(_) => Failure::Usage(format!("--time-limit: {e}")),
        BatchError::Rotate { .. } => Failure::Usage(format!("--rotate: {e}")),
        BatchError::Negotiator { .. } | BatchError::NoNegotiators => Failure::Usage(format!("--negotiators: {e}")),
        e => Failure::Input(e.to_string()),
    }
}

fn stored(e: store::StoreError) -> Failure {
    Failure::Input(e.to_string())
}
