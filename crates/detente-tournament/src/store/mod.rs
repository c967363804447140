//! A tournament's results written to a directory: crash-safe, resumable, shardable, mergeable,
//! and the same bytes on every run.
//!
//! # Layout
//!
//! ```text
//! DIR/tournament.json   the manifest (Manifest): {"schema": 1, "detente": <version>,
//!                       "definition": Definition, "shard": null | {"index": k, "count": N},
//!                       "total": <negotiations in the tournament>, "complete": bool}
//! DIR/parts/<start:020>-<end:020>.arrow
//!                       checkpoints while running: Arrow IPC files of rows start..end (end
//!                       excluded) of this directory's share, with a trailing `time_s` column
//! DIR/results.parquet   final: one row per negotiation of the share, in index order
//! DIR/results.csv       final: the same rows as CSV, with a header
//! DIR/timings.csv       final: `index,time_s`, each negotiation's wall time: the only output
//!                       that differs between runs
//! DIR/summary.json      final: the share's Summary (SummaryBuilder over the rows in order)
//! ```
//!
//! The columns of `results.parquet` and `results.csv`, in order: `index` (u64), `scenario`,
//! `scenario_index` (u64), `seating` (u64), `opener` (u64), `repetition` (u32), `seed` (u64), `protocol`,
//! `status` ([`crate::Status::as_str`]), `reason` (null), `agreement` (bool), `round` (u32, null),
//! `rounds` (u32), `deadline` (u32), `outcome_index` (u64, null), `deal` (null), `welfare`,
//! `pareto_distance`, `nash_distance`, `ks_distance` (f64, null), then for each seat `i` in
//! `1..=max_parties`: `seat{i}_actor`, `seat{i}_negotiator` (null when the negotiation seats
//! fewer parties), `seat{i}_utility`, `seat{i}_reservation`, `seat{i}_advantage`, `seat{i}_score` (f64, null): a
//! [`crate::Record`] per row. Text columns are UTF-8; an empty CSV field is a null.
//!
//! # Crash safety and resume
//!
//! Every file is written under a temporary name (`.tmp-…`), synced, renamed into place and its
//! directory synced: a file with its final name is whole. [`run`] on a directory whose manifest
//! has the same definition and shard resumes: leftover temporary files are removed, the parts
//! present are done, and only the missing negotiations run. Once every negotiation of the
//! share is in a part, the final files are written from the parts, the manifest is marked
//! complete, and `parts/` is removed.
//!
//! # Determinism
//!
//! Rows are a function of the tournament and its seed ([`crate::Plan::try_run_timed`]), and the
//! final files are written from them in batches of a fixed number of rows counted from the first
//! row of the share, with fixed Parquet settings (Snappy pages, fixed row groups; parquet-rs
//! writes no timestamps): `results.parquet` and `results.csv` are byte-identical whatever the
//! checkpoint size, the number of threads, where runs were interrupted and resumed, and whether
//! the tournament was run whole or in shards and merged ([`merge`]). Wall times go to
//! `timings.csv` alone.
//!
//! # Shards
//!
//! A tournament can be split over machines: shard `k/N` ([`Shard`]) runs the blocks of
//! [`SHARD_BLOCK`] consecutive negotiations numbered `b` with `b mod N = k − 1` (interleaved, so
//! shards get similar work whatever the scenarios' sizes: [`shard_ranges`]). [`merge`] checks
//! that its directories are the `N` complete shards of one definition and writes exactly what
//! an unsharded [`run`] writes.
//!
//! Memory stays flat in the number of negotiations: rows are streamed through, a batch at a time.

mod columns;
mod error;
mod files;
mod manifest;

pub use error::{ShardError, StoreError};
pub use manifest::{Definition, Manifest, ScenarioDefinition, ScenarioSource, Shard, MANIFEST_SCHEMA};

use crate::{Plan, Record};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt64Type};
use files::{sync_dir, write_atomic, Finalizer, BATCH, CSV, PARQUET, SUMMARY, TIMINGS, TMP};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Negotiations in a block of the sharding ([`shard_ranges`]).
pub const SHARD_BLOCK: u64 = 1024;
/// Rows per checkpoint part ([`RunOptions::checkpoint`]).
pub const DEFAULT_CHECKPOINT: u64 = 8 * BATCH as u64;
/// The manifest's file name.
pub const MANIFEST_FILE: &str = "tournament.json";
/// The checkpoint directory's name.
const PARTS: &str = "parts";

/// How [`run`] runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// The share of the tournament this directory holds; `None`: all of it.
    pub shard: Option<Shard>,
    /// Rows per checkpoint part (at least 1; [`DEFAULT_CHECKPOINT`]): the most work lost to a
    /// crash.
    pub checkpoint: u64,
    /// Replace a directory that holds another tournament or another shard (only the store's own
    /// files are removed).
    pub force: bool,
    /// Run at most this many negotiations now, then stop with the directory resumable (and
    /// [`RunOutcome::complete`] false when some are left): for running a tournament a slice
    /// at a time, and for tests of resuming. `None`: run to the end.
    pub stop_after: Option<u64>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions { shard: None, checkpoint: DEFAULT_CHECKPOINT, force: false, stop_after: None }
    }
}

/// What [`run`] (or [`merge`]) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOutcome {
    /// Negotiations in this directory's share.
    pub total: u64,
    /// Of them, done before this call (found in parts or final files).
    pub already_done: u64,
    /// Of them, run by this call.
    pub ran: u64,
    /// Whether the final files are written (false only after [`RunOptions::stop_after`]).
    pub complete: bool,
}

/// The negotiations of a tournament of `total` that `shard` runs, in order, as maximal ranges:
/// every block of [`SHARD_BLOCK`] negotiations `b` with `b mod N = k − 1`; `None` (or `1/1`):
/// `0..total` (no range when `total` is 0). An invalid shard (`k` not in `1..=N`) has none.
pub fn shard_ranges(total: u64, shard: Option<Shard>) -> Vec<Range<u64>> {
    let (k, n) = match shard {
        None => (0, 1),
        Some(s) if s.index == 0 || s.index > s.count => return Vec::new(),
        Some(s) => (u64::from(s.index - 1), u64::from(s.count)),
    };
    let blocks = total.div_ceil(SHARD_BLOCK);
    let mut ranges: Vec<Range<u64>> = Vec::new();
    let mut b = k;
    while b < blocks {
        let start = b * SHARD_BLOCK;
        let end = total.min(start + SHARD_BLOCK);
        match ranges.last_mut() {
            Some(last) if last.end == start => last.end = end,
            _ => ranges.push(start..end),
        }
        b += n;
    }
    ranges
}

/// The manifest of the tournament directory `dir`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, StoreError> {
    Manifest::read(&dir.join(MANIFEST_FILE))
}

/// Runs (or resumes) `plan`'s share of negotiations into `dir` (created if missing) and writes
/// the final files; see the [module](self) for the layout. `definition` must describe `plan`
/// ([`Definition::new`]). `progress(done, total)` is called once at the start and after each
/// part is written, with the negotiations of the share done so far and their number.
///
/// Refused: a path that is a file, a non-empty directory without a manifest (even with
/// `force`), a directory of another definition or shard (unless `force`, which removes the
/// store's own files and nothing else).
pub fn run(
    plan: &Plan,
    definition: &Definition,
    dir: &Path,
    options: &RunOptions,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<RunOutcome, StoreError> {
    definition.check(plan)?;
    let share = shard_ranges(plan.len(), options.shard);
    let total: u64 = share.iter().map(|r| r.end - r.start).sum();
    let max_parties = plan.max_parties();
    let existing = open_dir(dir, definition, options.shard, options.force)?;
    let parts = dir.join(PARTS);
    match existing {
        Some(m) if m.complete && [PARQUET, CSV, TIMINGS, SUMMARY].iter().all(|f| dir.join(f).is_file()) => {
            remove_dir_all_if_any(&parts)?;
            progress(total, total);
            return Ok(RunOutcome { total, already_done: total, ran: 0, complete: true });
        }
        Some(m) if !m.complete => {}
        // new, or complete with a final file lost (and the parts gone with it): start over
        _ => {
            remove_owned(dir)?;
            write_manifest(dir, &Manifest::new(definition, options.shard, false))?;
        }
    }
    fs::create_dir_all(&parts).map_err(StoreError::io(&parts))?;
    sync_dir(dir)?;

    let done = scan_parts(&parts, &share)?;
    let already_done: u64 = done.iter().map(|r| r.end - r.start).sum();
    progress(already_done, total);
    let mut budget = options.stop_after.unwrap_or(u64::MAX);
    let mut count = already_done;
    for range in missing(&share, &done) {
        if budget == 0 {
            break;
        }
        let range = range.start..range.end.min(range.start.saturating_add(budget));
        budget -= range.end - range.start;
        run_range(plan, range, &parts, options.checkpoint.max(1), max_parties, &mut count, total, progress)?;
    }
    let ran = count - already_done;
    if count < total {
        return Ok(RunOutcome { total, already_done, ran, complete: false });
    }
    finalize(dir, definition, options.shard, &share, max_parties)?;
    Ok(RunOutcome { total, already_done, ran, complete: true })
}

/// A tournament's share of negotiations run in memory ([`run_in_memory`]).
#[derive(Debug, Clone)]
pub struct InMemory {
    /// The results table's schema: `results.parquet`'s, the same columns in the same order.
    pub schema: arrow_schema::SchemaRef,
    /// The rows in index order, in batches of up to 8192.
    pub batches: Vec<arrow_array::RecordBatch>,
    /// Their summary, as `summary.json` holds it.
    pub summary: crate::Summary,
}

/// Runs `plan`'s share of negotiations (all of them without a `shard`) in memory: the rows
/// `results.parquet` would hold, as Arrow record batches, and their summary; nothing is written.
/// For callers that hold the rows themselves (Python, a notebook); a run too large for memory
/// belongs in [`run`].
pub fn run_in_memory(plan: &Plan, shard: Option<Shard>) -> Result<InMemory, StoreError> {
    let max_parties = plan.max_parties();
    let scenarios: Vec<String> = plan.tournament().scenarios.iter().map(|p| p.id().to_string()).collect();
    let mut summary = crate::SummaryBuilder::new(plan.negotiator_names(), &scenarios);
    let mut columns = columns::Columns::new(max_parties, false);
    let memory = Path::new("(memory)");
    let mut batches = Vec::new();
    for range in shard_ranges(plan.len(), shard) {
        plan.try_run_map(
            range,
            |row, _| Record::from(&row),
            |record| -> Result<(), StoreError> {
                summary.push(&record);
                columns.push(&record, 0.0).map_err(|e| StoreError::corrupt(memory, e))?;
                if columns.len() == BATCH {
                    batches.push(columns.finish().map_err(StoreError::arrow(memory))?);
                }
                Ok(())
            },
        )?;
    }
    if columns.len() > 0 || batches.is_empty() {
        batches.push(columns.finish().map_err(StoreError::arrow(memory))?);
    }
    Ok(InMemory { schema: columns::schema(max_parties, false), batches, summary: summary.finish() })
}

/// The summary of a plan's rows given as record batches of the results table (rows from
/// [`run_in_memory`]'s shards, gathered from several machines, say), in index order; the same
/// `summary.json` a single run of the plan gives. Every row of the plan must be there once.
pub fn summarize_batches(plan: &Plan, batches: &[arrow_array::RecordBatch]) -> Result<crate::Summary, StoreError> {
    let memory = Path::new("(rows)");
    let scenarios: Vec<String> = plan.tournament().scenarios.iter().map(|p| p.id().to_string()).collect();
    let mut summary = crate::SummaryBuilder::new(plan.negotiator_names(), &scenarios);
    let mut next = 0u64;
    for batch in batches {
        for (record, _) in columns::records(batch, plan.max_parties(), false, memory)? {
            if record.index != next {
                return Err(StoreError::corrupt(
                    memory,
                    format!("row {} where row {next} was expected: give every row once, in order", record.index),
                ));
            }
            next += 1;
            summary.push(&record);
        }
    }
    if next != plan.len() {
        return Err(StoreError::corrupt(memory, format!("{next} rows of the plan's {}", plan.len())));
    }
    Ok(summary.finish())
}

/// Merges the `N` complete shard directories of one tournament into `out`, which gets exactly
/// the files (the same bytes) an unsharded [`run`] writes, with the shards' wall times. Rows
/// are streamed (a k-way merge by index of the shards' `results.parquet`).
///
/// Refused, each with its error: no directories, one that is not a complete shard, shards of
/// different definitions or counts, a shard given twice or missing, `out` among the shards,
/// and `out` as [`run`] refuses it (`force` as there).
pub fn merge(shards: &[PathBuf], out: &Path, force: bool) -> Result<RunOutcome, StoreError> {
    let manifests = shards.iter().map(|d| Ok((d.clone(), read_manifest(d)?))).collect::<Result<Vec<_>, StoreError>>()?;
    let Some((first_dir, first)) = manifests.first() else {
        return Err(StoreError::NoShards);
    };
    let definition = first.definition.clone();
    let count = first.shard.ok_or_else(|| StoreError::Unsharded { dir: first_dir.clone() })?.count;
    let mut seen: Vec<Option<&PathBuf>> = vec![None; count as usize];
    for (dir, m) in &manifests {
        if m.definition != definition {
            return Err(StoreError::Different { dir: dir.clone(), what: format!("definition, from that of {}", first_dir.display()) });
        }
        let shard = m.shard.ok_or_else(|| StoreError::Unsharded { dir: dir.clone() })?;
        if shard.count != count {
            return Err(StoreError::ShardCount { dir: dir.clone(), expected: count, found: shard.count });
        }
        let slot = shard
            .index
            .checked_sub(1)
            .and_then(|k| seen.get_mut(k as usize))
            .ok_or_else(|| StoreError::corrupt(dir.join(MANIFEST_FILE), format!("shard {shard} out of range")))?;
        if let Some(prior) = slot {
            return Err(StoreError::DuplicateShard { index: shard.index, count, first: prior.to_path_buf(), second: dir.clone() });
        }
        *slot = Some(dir);
    }
    let missing: Vec<u32> = (1..=count).filter(|k| seen[*k as usize - 1].is_none()).collect();
    if !missing.is_empty() {
        return Err(StoreError::MissingShards { count, missing });
    }
    if let Some((dir, _)) = manifests.iter().find(|(_, m)| !m.complete) {
        return Err(StoreError::Incomplete { dir: dir.clone() });
    }
    if let Ok(o) = out.canonicalize() {
        if let Some(dir) = shards.iter().find(|d| d.canonicalize().is_ok_and(|d| d == o)) {
            return Err(StoreError::Different { dir: dir.clone(), what: "shard: it is one of the shards merged".into() });
        }
    }

    let max_parties =
        usize::try_from(definition.max_parties).map_err(|_| StoreError::corrupt(first_dir.join(MANIFEST_FILE), "max_parties too large"))?;
    open_dir(out, &definition, None, force)?;
    remove_owned(out)?;
    write_manifest(out, &Manifest::new(&definition, None, false))?;
    let mut streams = manifests.iter().map(|(dir, m)| Ok((dir.clone(), Stream::open(dir, m)?))).collect::<Result<Vec<_>, StoreError>>()?;
    let mut heads = streams.iter_mut().map(|(_, s)| s.next()).collect::<Result<Vec<_>, StoreError>>()?;
    let mut finalizer = Finalizer::new(out, max_parties, &definition)?;
    let mut next = 0u64;
    // the stream whose next row has the smallest index (N is small: a scan)
    let smallest =
        |heads: &[Option<(Record, f64)>]| (0..heads.len()).filter_map(|k| heads[k].as_ref().map(|h| (h.0.index, k))).min().map(|(_, k)| k);
    while let Some(k) = smallest(&heads) {
        let Some((record, time)) = heads[k].take() else { break };
        if record.index != next {
            return Err(StoreError::corrupt(streams[k].0.join(PARQUET), format!("negotiation {} where {next} was due", record.index)));
        }
        finalizer.push(&record, time)?;
        next += 1;
        heads[k] = streams[k].1.next()?;
    }
    if next != definition.total {
        return Err(StoreError::corrupt(out, format!("the shards hold {next} negotiations of {}", definition.total)));
    }
    finalizer.finish()?;
    write_manifest(out, &Manifest::new(&definition, None, true))?;
    Ok(RunOutcome { total: next, already_done: next, ran: 0, complete: true })
}

/// The summary of a complete tournament directory (`summary.json`, written with the results:
/// [`crate::SummaryBuilder`] over its rows in order).
pub fn read_summary(dir: &Path) -> Result<crate::Summary, StoreError> {
    let manifest = read_manifest(dir)?;
    if !manifest.complete {
        return Err(StoreError::Incomplete { dir: dir.to_path_buf() });
    }
    let path = dir.join(SUMMARY);
    let bytes = fs::read(&path).map_err(StoreError::io(&path))?;
    serde_json::from_slice(&bytes).map_err(|e| StoreError::corrupt(&path, e.to_string()))
}

/// Streams the records of a complete tournament directory's `results.parquet`, in index order,
/// a batch at a time.
pub fn read_records(dir: &Path) -> Result<Records, StoreError> {
    let manifest = read_manifest(dir)?;
    if !manifest.complete {
        return Err(StoreError::Incomplete { dir: dir.to_path_buf() });
    }
    Records::open(dir, &manifest)
}

/// The records of a `results.parquet`, in order ([`read_records`]).
pub struct Records {
    path: PathBuf,
    reader: ParquetRecordBatchReader,
    max_parties: usize,
    buffer: std::vec::IntoIter<(Record, f64)>,
    failed: bool,
}

impl Records {
    fn open(dir: &Path, manifest: &Manifest) -> Result<Records, StoreError> {
        let path = dir.join(PARQUET);
        let file = File::open(&path).map_err(StoreError::io(&path))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .and_then(|b| b.with_batch_size(BATCH).build())
            .map_err(StoreError::parquet(&path))?;
        let max_parties = usize::try_from(manifest.definition.max_parties)
            .map_err(|_| StoreError::corrupt(dir.join(MANIFEST_FILE), "max_parties too large"))?;
        Ok(Records { path, reader, max_parties, buffer: Vec::new().into_iter(), failed: false })
    }
}

impl Iterator for Records {
    type Item = Result<Record, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((record, _)) = self.buffer.next() {
                return Some(Ok(record));
            }
            if self.failed {
                return None;
            }
            let batch = match self.reader.next()? {
                Ok(batch) => batch,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(StoreError::Arrow { path: self.path.clone(), source: e }));
                }
            };
            match columns::records(&batch, self.max_parties, false, &self.path) {
                Ok(rows) => self.buffer = rows.into_iter(),
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

impl std::fmt::Debug for Records {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records").field("path", &self.path).finish_non_exhaustive()
    }
}

/// A shard's rows with their times, in order: `results.parquet` beside `timings.csv`.
struct Stream {
    records: Records,
    timings_path: PathBuf,
    timings: arrow_csv::Reader<BufReader<File>>,
    times: std::vec::IntoIter<(u64, f64)>,
}

impl Stream {
    fn open(dir: &Path, manifest: &Manifest) -> Result<Stream, StoreError> {
        let records = Records::open(dir, manifest)?;
        let timings_path = dir.join(TIMINGS);
        let file = File::open(&timings_path).map_err(StoreError::io(&timings_path))?;
        let timings = arrow_csv::ReaderBuilder::new(columns::timings_schema())
            .with_header(true)
            .with_batch_size(BATCH)
            .build(BufReader::new(file))
            .map_err(StoreError::arrow(&timings_path))?;
        Ok(Stream { records, timings_path, timings, times: Vec::new().into_iter() })
    }

    fn next_time(&mut self) -> Result<Option<(u64, f64)>, StoreError> {
        loop {
            if let Some(t) = self.times.next() {
                return Ok(Some(t));
            }
            let Some(batch) = self.timings.next() else { return Ok(None) };
            let batch = batch.map_err(StoreError::arrow(&self.timings_path))?;
            let bad = || StoreError::corrupt(&self.timings_path, "not the columns index,time_s");
            let index = batch.column(0).as_primitive_opt::<UInt64Type>().ok_or_else(bad)?;
            let time = batch.column(1).as_primitive_opt::<Float64Type>().ok_or_else(bad)?;
            self.times = index.values().iter().copied().zip(time.values().iter().copied()).collect::<Vec<_>>().into_iter();
        }
    }

    fn next(&mut self) -> Result<Option<(Record, f64)>, StoreError> {
        let Some(record) = self.records.next().transpose()? else { return Ok(None) };
        match self.next_time()? {
            Some((index, time)) if index == record.index => Ok(Some((record, time))),
            _ => Err(StoreError::corrupt(&self.timings_path, format!("no time for negotiation {}", record.index))),
        }
    }
}

/// Checks `dir` for [`run`] or [`merge`]: creates it if missing; the manifest when it holds
/// the same tournament and shard; `None` when it is new (or was replaced with `force`).
fn open_dir(dir: &Path, definition: &Definition, shard: Option<Shard>, force: bool) -> Result<Option<Manifest>, StoreError> {
    if dir.exists() && !dir.is_dir() {
        return Err(StoreError::NotADirectory { path: dir.to_path_buf() });
    }
    if !dir.exists() {
        fs::create_dir_all(dir).map_err(StoreError::io(dir))?;
        return Ok(None);
    }
    let manifest_path = dir.join(MANIFEST_FILE);
    if !manifest_path.exists() {
        let tmp_manifest = format!("{TMP}{MANIFEST_FILE}");
        for entry in fs::read_dir(dir).map_err(StoreError::io(dir))? {
            let entry = entry.map_err(StoreError::io(dir))?;
            if entry.file_name().to_str() != Some(tmp_manifest.as_str()) {
                return Err(StoreError::NotATournament { dir: dir.to_path_buf() });
            }
        }
        return Ok(None);
    }
    let different = match Manifest::read(&manifest_path) {
        Ok(m) if m.definition != definition.clone() => "definition".to_string(),
        Ok(m) if m.shard != shard => format!(
            "shard: {} here, {} asked",
            m.shard.map_or("none".into(), |s| s.to_string()),
            shard.map_or("none".into(), |s| s.to_string())
        ),
        Ok(m) => return Ok(Some(m)),
        Err(e) if !force => return Err(e),
        Err(_) => "manifest".to_string(),
    };
    if !force {
        return Err(StoreError::Different { dir: dir.to_path_buf(), what: different });
    }
    remove_owned(dir)?;
    Ok(None)
}

/// Removes the store's own files from `dir` (manifest, parts, final files and their
/// temporary versions), and nothing else.
fn remove_owned(dir: &Path) -> Result<(), StoreError> {
    remove_dir_all_if_any(&dir.join(PARTS))?;
    for name in [PARQUET, CSV, TIMINGS, SUMMARY, MANIFEST_FILE] {
        for name in [name.to_string(), format!("{TMP}{name}")] {
            let path = dir.join(name);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(StoreError::Io { path, source: e }),
                _ => {}
            }
        }
    }
    sync_dir(dir)
}

fn remove_dir_all_if_any(dir: &Path) -> Result<(), StoreError> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(StoreError::Io { path: dir.to_path_buf(), source: e }),
        _ => Ok(()),
    }
}

fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<(), StoreError> {
    let bytes = manifest.to_bytes(&dir.join(MANIFEST_FILE))?;
    write_atomic(dir, MANIFEST_FILE, &bytes)
}

/// The name of the part holding rows `range`.
fn part_name(range: &Range<u64>) -> String {
    format!("{:020}-{:020}.arrow", range.start, range.end)
}

fn parse_part_name(name: &str) -> Option<Range<u64>> {
    let stem = name.strip_suffix(".arrow")?;
    let (a, b) = stem.split_once('-')?;
    let number = |t: &str| (t.len() == 20 && t.bytes().all(|c| c.is_ascii_digit())).then(|| t.parse::<u64>().ok()).flatten();
    Some(number(a)?..number(b)?)
}

/// The parts in `parts` (sorted, checked to lie within `share` without overlapping), after
/// removing leftover temporary files. Other files are left alone.
fn scan_parts(parts: &Path, share: &[Range<u64>]) -> Result<Vec<Range<u64>>, StoreError> {
    let mut found = Vec::new();
    for entry in fs::read_dir(parts).map_err(StoreError::io(parts))? {
        let entry = entry.map_err(StoreError::io(parts))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with(TMP) {
            let path = entry.path();
            fs::remove_file(&path).map_err(StoreError::io(&path))?;
        } else if let Some(range) = parse_part_name(name) {
            found.push(range);
        }
    }
    found.sort_by_key(|r| r.start);
    for (i, r) in found.iter().enumerate() {
        let within = share.iter().any(|s| s.start <= r.start && r.end <= s.end);
        let overlaps = i > 0 && found[i - 1].end > r.start;
        if r.start >= r.end || !within || overlaps {
            return Err(StoreError::corrupt(parts.join(part_name(r)), "a part outside this directory's share or overlapping another"));
        }
    }
    if !found.is_empty() {
        sync_dir(parts)?;
    }
    Ok(found)
}

/// The ranges of `share` not in `done` (both sorted; `done` within `share`).
fn missing(share: &[Range<u64>], done: &[Range<u64>]) -> Vec<Range<u64>> {
    let mut out = Vec::new();
    let mut d = done.iter().peekable();
    for s in share {
        let mut at = s.start;
        while let Some(r) = d.next_if(|r| r.start < s.end) {
            if r.start > at {
                out.push(at..r.start);
            }
            at = r.end;
        }
        if at < s.end {
            out.push(at..s.end);
        }
    }
    out
}

/// A checkpoint part being written: an Arrow IPC file under a temporary name, fed a batch at a
/// time.
struct Part {
    start: u64,
    rows: u64,
    tmp: PathBuf,
    columns: columns::Columns,
    writer: arrow_ipc::writer::FileWriter<BufWriter<File>>,
}

impl Part {
    fn create(parts: &Path, start: u64, max_parties: usize) -> Result<Part, StoreError> {
        let tmp = parts.join(format!("{TMP}{start:020}.arrow"));
        let file = File::create(&tmp).map_err(StoreError::io(&tmp))?;
        let schema = columns::schema(max_parties, true);
        let writer = arrow_ipc::writer::FileWriter::try_new(BufWriter::new(file), &schema).map_err(StoreError::arrow(&tmp))?;
        Ok(Part { start, rows: 0, tmp, columns: columns::Columns::new(max_parties, true), writer })
    }

    fn push(&mut self, record: &Record, time_s: f64) -> Result<(), StoreError> {
        if record.index != self.start + self.rows {
            return Err(StoreError::corrupt(&self.tmp, format!("negotiation {} out of order", record.index)));
        }
        self.columns.push(record, time_s).map_err(|reason| StoreError::corrupt(&self.tmp, reason))?;
        self.rows += 1;
        // batches end where the final files' batches end (in an unsharded run), so that those
        // are written from the parts' batches as they are, without copying
        if (self.start + self.rows).is_multiple_of(BATCH as u64) {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        let batch = self.columns.finish().map_err(StoreError::arrow(&self.tmp))?;
        self.writer.write(&batch).map_err(StoreError::arrow(&self.tmp))
    }

    /// Finishes the file, syncs it and renames it to its final name.
    fn commit(mut self, parts: &Path) -> Result<(), StoreError> {
        if self.columns.len() > 0 {
            self.flush()?;
        }
        self.writer.finish().map_err(StoreError::arrow(&self.tmp))?;
        let w = self.writer.get_mut();
        w.flush().map_err(StoreError::io(&self.tmp))?;
        w.get_ref().sync_all().map_err(StoreError::io(&self.tmp))?;
        let path = parts.join(part_name(&(self.start..self.start + self.rows)));
        fs::rename(&self.tmp, &path).map_err(StoreError::io(&path))?;
        sync_dir(parts)
    }
}

/// Runs the negotiations `range` into parts of at most `checkpoint` rows.
#[allow(clippy::too_many_arguments)]
fn run_range(
    plan: &Plan,
    range: Range<u64>,
    parts: &Path,
    checkpoint: u64,
    max_parties: usize,
    count: &mut u64,
    total: u64,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<(), StoreError> {
    let mut part: Option<Part> = None;
    // rows become records on the pool; this thread only appends them to the part
    plan.try_run_map(
        range,
        |row, time| (Record::from(&row), time.as_secs_f64()),
        |(record, time)| {
            let p = match &mut part {
                Some(p) => p,
                None => part.insert(Part::create(parts, record.index, max_parties)?),
            };
            p.push(&record, time)?;
            if p.rows >= checkpoint {
                if let Some(p) = part.take() {
                    let rows = p.rows;
                    p.commit(parts)?;
                    *count += rows;
                    progress(*count, total);
                }
            }
            Ok::<(), StoreError>(())
        },
    )?;
    if let Some(p) = part.take() {
        let rows = p.rows;
        p.commit(parts)?;
        *count += rows;
        progress(*count, total);
    }
    Ok(())
}

/// Writes the final files from the parts, marks the manifest complete and removes the parts.
fn finalize(dir: &Path, definition: &Definition, shard: Option<Shard>, share: &[Range<u64>], max_parties: usize) -> Result<(), StoreError> {
    let parts = dir.join(PARTS);
    let found = scan_parts(&parts, share)?;
    if !missing(share, &found).is_empty() {
        return Err(StoreError::corrupt(&parts, "parts missing at the end of the run"));
    }
    let mut finalizer = Finalizer::new(dir, max_parties, definition)?;
    for range in &found {
        let path = parts.join(part_name(range));
        let file = File::open(&path).map_err(StoreError::io(&path))?;
        let reader = arrow_ipc::reader::FileReader::try_new(BufReader::new(file), None).map_err(StoreError::arrow(&path))?;
        let mut next = range.start;
        for batch in reader {
            let batch = batch.map_err(StoreError::arrow(&path))?;
            let index = batch
                .column(0)
                .as_primitive_opt::<UInt64Type>()
                .ok_or_else(|| StoreError::corrupt(&path, "an index column that is not u64"))?;
            if let Some(i) = index.values().iter().zip(next..).find_map(|(&i, due)| (i != due).then_some(i)) {
                return Err(StoreError::corrupt(&path, format!("negotiation {i} out of order (from {next})")));
            }
            next += batch.num_rows() as u64;
            finalizer.push_batch(batch)?;
        }
        if next != range.end {
            return Err(StoreError::corrupt(&path, format!("ends at {next}, not {}", range.end)));
        }
    }
    finalizer.finish()?;
    write_manifest(dir, &Manifest::new(definition, shard, true))?;
    remove_dir_all_if_any(&parts)?;
    sync_dir(dir)
}
