//! Files written atomically, and the writers of the final files.

use super::columns::{self, Columns};
use super::Definition;
use super::StoreError;
use crate::{Record, SummaryBuilder};
use arrow_array::builder::{Float64Builder, UInt64Builder};
use arrow_array::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rows per record batch fed to the final files' writers, counted from the first row of the
/// directory's share: the batches (so the pages and row groups) are the same whatever the
/// checkpoints, threads, interruptions or shards that produced the rows.
pub(crate) const BATCH: usize = 8192;
/// Rows per Parquet row group (a multiple of [`BATCH`]).
pub(crate) const ROW_GROUP: usize = 16 * BATCH;

/// Prefix of every temporary file the store writes; a leftover one is removed on resume.
pub(crate) const TMP: &str = ".tmp-";

/// Syncs a directory, so that a rename in it is durable (a no-op where directories cannot be
/// opened as files).
pub(crate) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        File::open(dir).and_then(|d| d.sync_all()).map_err(StoreError::io(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// A file written under a temporary name in its directory and renamed into place once synced.
pub(crate) struct AtomicFile {
    tmp: PathBuf,
    path: PathBuf,
}

impl AtomicFile {
    /// Creates `dir/.tmp-name`, to become `dir/name`.
    pub(crate) fn create(dir: &Path, name: &str) -> Result<(AtomicFile, BufWriter<File>), StoreError> {
        let tmp = dir.join(format!("{TMP}{name}"));
        let file = File::create(&tmp).map_err(StoreError::io(&tmp))?;
        Ok((AtomicFile { tmp, path: dir.join(name) }, BufWriter::new(file)))
    }

    /// Flushes and syncs `writer` (the file's), then renames the file into place; the
    /// directory is synced by the caller ([`sync_dir`]).
    pub(crate) fn commit(self, writer: BufWriter<File>) -> Result<PathBuf, StoreError> {
        let file = writer.into_inner().map_err(|e| StoreError::Io { path: self.tmp.clone(), source: e.into_error() })?;
        file.sync_all().map_err(StoreError::io(&self.tmp))?;
        drop(file);
        fs::rename(&self.tmp, &self.path).map_err(StoreError::io(&self.path))?;
        Ok(self.path)
    }

    pub(crate) fn tmp(&self) -> &Path {
        &self.tmp
    }
}

/// Writes `bytes` to `dir/name` atomically (temporary file, sync, rename, directory sync).
pub(crate) fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let (file, mut w) = AtomicFile::create(dir, name)?;
    w.write_all(bytes).map_err(StoreError::io(file.tmp()))?;
    file.commit(w)?;
    sync_dir(dir)
}

/// The final files' names.
pub(crate) const PARQUET: &str = "results.parquet";
pub(crate) const CSV: &str = "results.csv";
pub(crate) const TIMINGS: &str = "timings.csv";
pub(crate) const SUMMARY: &str = "summary.json";

/// The Parquet writer's settings: fixed, with nothing that depends on the run (parquet-rs
/// writes no timestamps; its `created_by` is the library's version).
fn properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP))
        .set_max_row_group_bytes(None)
        .build()
}

/// Writes `results.parquet`, `results.csv`, `timings.csv` and `summary.json` of one directory
/// from its rows in order, in batches of [`BATCH`] rows counted from the first.
pub(crate) struct Finalizer {
    dir: PathBuf,
    summary: SummaryBuilder,
    columns: Columns,
    timing_index: UInt64Builder,
    timing_time: Float64Builder,
    parquet: (AtomicFile, ArrowWriter<BufWriter<File>>),
    csv: (AtomicFile, arrow_csv::Writer<BufWriter<File>>),
    timings: (AtomicFile, arrow_csv::Writer<BufWriter<File>>),
    rows: u64,
}

impl Finalizer {
    pub(crate) fn new(dir: &Path, max_parties: usize, definition: &Definition) -> Result<Finalizer, StoreError> {
        let scenarios: Vec<String> = definition.scenarios.iter().map(|s| s.id.clone()).collect();
        let summary = SummaryBuilder::new(&definition.negotiators, &scenarios);
        let columns = Columns::new(max_parties, false);
        let schema = columns::schema(max_parties, false);
        let (pf, pw) = AtomicFile::create(dir, PARQUET)?;
        let parquet = ArrowWriter::try_new(pw, schema, Some(properties())).map_err(StoreError::parquet(pf.tmp()))?;
        let (cf, cw) = AtomicFile::create(dir, CSV)?;
        let csv = arrow_csv::WriterBuilder::new().with_header(true).build(cw);
        let (tf, tw) = AtomicFile::create(dir, TIMINGS)?;
        let timings = arrow_csv::WriterBuilder::new().with_header(true).build(tw);
        Ok(Finalizer {
            dir: dir.to_path_buf(),
            summary,
            columns,
            timing_index: UInt64Builder::new(),
            timing_time: Float64Builder::new(),
            parquet: (pf, parquet),
            csv: (cf, csv),
            timings: (tf, timings),
            rows: 0,
        })
    }

    /// Adds the next row.
    pub(crate) fn push(&mut self, record: &Record, time_s: f64) -> Result<(), StoreError> {
        self.columns.push(record, 0.0).map_err(|reason| StoreError::corrupt(&self.dir, reason))?;
        self.summary.push(record);
        self.timing_index.append_value(record.index);
        self.timing_time.append_value(time_s);
        self.rows += 1;
        if self.columns.len() == BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        let batch = self.columns.finish().map_err(StoreError::arrow(self.parquet.0.tmp()))?;
        self.parquet.1.write(&batch).map_err(StoreError::parquet(self.parquet.0.tmp()))?;
        self.csv.1.write(&batch).map_err(StoreError::arrow(self.csv.0.tmp()))?;
        let timings = RecordBatch::try_new(
            columns::timings_schema(),
            vec![Arc::new(self.timing_index.finish()), Arc::new(self.timing_time.finish())],
        )
        .map_err(StoreError::arrow(self.timings.0.tmp()))?;
        self.timings.1.write(&timings).map_err(StoreError::arrow(self.timings.0.tmp()))?;
        Ok(())
    }

    /// Writes the last batch (an empty one when there were no rows, so the CSV files have
    /// their header), closes the files and renames them into place; returns the rows written.
    pub(crate) fn finish(mut self) -> Result<u64, StoreError> {
        if self.columns.len() > 0 || self.rows == 0 {
            self.flush()?;
        }
        let (pf, parquet) = self.parquet;
        // writes the footer and hands the file back
        let pw = parquet.into_inner().map_err(StoreError::parquet(pf.tmp()))?;
        pf.commit(pw)?;
        let (cf, csv) = self.csv;
        cf.commit(csv.into_inner())?;
        let (tf, timings) = self.timings;
        tf.commit(timings.into_inner())?;
        let path = self.dir.join(SUMMARY);
        let mut json = serde_json::to_vec_pretty(&self.summary.finish()).map_err(|e| StoreError::corrupt(&path, e.to_string()))?;
        json.push(b'\n');
        write_atomic(&self.dir, SUMMARY, &json)?;
        sync_dir(&self.dir)?;
        Ok(self.rows)
    }
}
