//! Files written atomically, and the writers of the final files.

use super::columns::{self, Columns};
use super::Definition;
use super::StoreError;
use crate::{Record, SummaryBuilder};
use arrow_array::RecordBatch;
use arrow_schema::{FieldRef, SchemaRef};
use arrow_select::concat::concat_batches;
use parquet::arrow::arrow_writer::{compute_leaves, ArrowColumnWriter, ArrowRowGroupWriterFactory};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use rayon::prelude::*;
use std::collections::VecDeque;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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

/// Batches encoded at once, in parallel: a quarter of a row group.
const WINDOW: usize = 4;

/// Writes `results.parquet`, `results.csv`, `timings.csv` and `summary.json` of one directory
/// from its rows in order, in batches of [`BATCH`] rows counted from the first.
///
/// The work is spread over the rayon pool [`WINDOW`] batches at a time: each batch's CSV text
/// and timings on one side, the Parquet columns (one encoder per
/// column, as parquet's `ArrowColumnWriter` allows) on the other, while the previous window's
/// text is appended to the CSV files and its rows to the summary (read from the columns in
/// place), in order. The bytes are those a single `ArrowWriter` and CSV writer fed
/// the same batches would write, whatever the number of threads.
pub(crate) struct Finalizer {
    dir: PathBuf,
    max_parties: usize,
    timed_schema: SchemaRef,
    summary: SummaryBuilder,
    /// Rows handed over one at a time ([`Finalizer::push`]), until a batch is full.
    columns: Columns,
    /// Batches (with the `time_s` column) not yet written, in order, and their rows.
    pending: VecDeque<RecordBatch>,
    pending_rows: usize,
    parquet: ParquetFile,
    csv: (AtomicFile, BufWriter<File>),
    timings: (AtomicFile, BufWriter<File>),
    /// The last window's text and batches, encoded but not yet appended.
    unwritten: Vec<Encoded>,
    /// Text buffers appended and emptied, for the next windows (not allocated afresh each time).
    spare: Vec<Buffers>,
    rows: u64,
}

/// `results.parquet` being written a row group at a time, one encoder per column.
struct ParquetFile {
    file: AtomicFile,
    writer: SerializedFileWriter<BufWriter<File>>,
    factory: ArrowRowGroupWriterFactory,
    fields: Vec<FieldRef>,
    /// The column encoders of the row group in progress, and its rows.
    group: Vec<ArrowColumnWriter>,
    group_rows: usize,
}

impl ParquetFile {
    fn create(dir: &Path, schema: SchemaRef) -> Result<ParquetFile, StoreError> {
        let (file, w) = AtomicFile::create(dir, PARQUET)?;
        let err = StoreError::parquet(file.tmp().to_path_buf());
        let fields: Vec<FieldRef> = schema.fields().iter().cloned().collect();
        // the ArrowWriter writes the header and the Arrow schema's metadata; its low-level
        // halves then take one row group at a time
        let writer = ArrowWriter::try_new(w, schema, Some(properties())).map_err(&err)?;
        let (writer, factory) = writer.into_serialized_writer().map_err(&err)?;
        let group = factory.create_column_writers(0).map_err(&err)?;
        if group.len() != fields.len() {
            return Err(StoreError::corrupt(file.tmp(), "a results column that is not one Parquet column"));
        }
        Ok(ParquetFile { file, writer, factory, fields, group, group_rows: 0 })
    }

    /// Encodes `batches` (untimed) into the row group in progress, a column per task.
    fn write(&mut self, batches: &[RecordBatch]) -> Result<(), StoreError> {
        let fields = &self.fields;
        self.group
            .par_iter_mut()
            .enumerate()
            .try_for_each(|(j, w)| {
                for b in batches.iter().filter(|b| b.num_rows() > 0) {
                    for leaf in compute_leaves(&fields[j], b.column(j))? {
                        w.write(&leaf)?;
                    }
                }
                Ok(())
            })
            .map_err(StoreError::parquet(self.file.tmp()))?;
        self.group_rows += batches.iter().map(RecordBatch::num_rows).sum::<usize>();
        if self.group_rows >= ROW_GROUP {
            self.close_group()?;
        }
        Ok(())
    }

    /// Closes the row group in progress (if it has rows) and appends it to the file.
    fn close_group(&mut self) -> Result<(), StoreError> {
        if self.group_rows == 0 {
            return Ok(());
        }
        let err = StoreError::parquet(self.file.tmp().to_path_buf());
        let next = self.factory.create_column_writers(self.writer.flushed_row_groups().len() + 1).map_err(&err)?;
        let group = std::mem::replace(&mut self.group, next);
        let chunks = group.into_par_iter().map(ArrowColumnWriter::close).collect::<Result<Vec<_>, _>>().map_err(&err)?;
        let mut row_group = self.writer.next_row_group().map_err(&err)?;
        for chunk in chunks {
            chunk.append_to_row_group(&mut row_group).map_err(&err)?;
        }
        row_group.close().map_err(&err)?;
        self.group_rows = 0;
        Ok(())
    }

    /// Writes the last row group and the footer, and renames the file into place.
    fn finish(mut self) -> Result<(), StoreError> {
        self.close_group()?;
        let w = self.writer.into_inner().map_err(StoreError::parquet(self.file.tmp()))?;
        self.file.commit(w)?;
        Ok(())
    }
}

/// One batch's share of the final files, encoded on the pool, with the batch itself (for the
/// summary, read in order when the text is appended).
struct Encoded {
    csv: Vec<u8>,
    timings: Vec<u8>,
    batch: RecordBatch,
}

impl Finalizer {
    pub(crate) fn new(dir: &Path, max_parties: usize, definition: &Definition) -> Result<Finalizer, StoreError> {
        let scenarios: Vec<String> = definition.scenarios.iter().map(|s| s.id.clone()).collect();
        let summary = SummaryBuilder::new(&definition.negotiators, &scenarios);
        let parquet = ParquetFile::create(dir, columns::schema(max_parties, false))?;
        let csv = AtomicFile::create(dir, CSV)?;
        let timings = AtomicFile::create(dir, TIMINGS)?;
        Ok(Finalizer {
            dir: dir.to_path_buf(),
            max_parties,
            timed_schema: columns::schema(max_parties, true),
            summary,
            columns: Columns::new(max_parties, true),
            pending: VecDeque::new(),
            pending_rows: 0,
            parquet,
            csv,
            timings,
            unwritten: Vec::new(),
            spare: Vec::new(),
            rows: 0,
        })
    }

    /// Adds the next row.
    pub(crate) fn push(&mut self, record: &Record, time_s: f64) -> Result<(), StoreError> {
        self.columns.push(record, time_s).map_err(|reason| StoreError::corrupt(&self.dir, reason))?;
        if self.columns.len() == BATCH {
            let batch = self.columns.finish().map_err(StoreError::arrow(&self.dir))?;
            self.push_batch(batch)?;
        }
        Ok(())
    }

    /// Adds the next rows: a batch of the checkpoint parts' schema (with `time_s`), any size.
    pub(crate) fn push_batch(&mut self, batch: RecordBatch) -> Result<(), StoreError> {
        if batch.schema().fields() != self.timed_schema.fields() {
            return Err(StoreError::corrupt(&self.dir, "the columns are not those of the tournament's results"));
        }
        if self.columns.len() > 0 {
            return Err(StoreError::corrupt(&self.dir, "rows and batches mixed"));
        }
        self.pending_rows += batch.num_rows();
        self.pending.push_back(batch);
        while self.pending_rows >= WINDOW * BATCH {
            self.write_window(WINDOW * BATCH)?;
        }
        Ok(())
    }

    /// The next `rows` pending rows as one batch: a slice of the first pending batch when it
    /// holds them (no copy: the parts' batches end where these do), else the pieces joined.
    fn take(&mut self, rows: usize) -> Result<RecordBatch, StoreError> {
        self.pending_rows -= rows;
        let Some(front) = self.pending.front() else { return Ok(RecordBatch::new_empty(self.timed_schema.clone())) };
        if front.num_rows() >= rows {
            let batch = front.slice(0, rows);
            if front.num_rows() == rows {
                self.pending.pop_front();
            } else if let Some(f) = self.pending.front_mut() {
                *f = f.slice(rows, f.num_rows() - rows);
            }
            return Ok(batch);
        }
        let mut pieces = Vec::new();
        let mut need = rows;
        while need > 0 {
            let Some(f) = self.pending.pop_front() else { break };
            if f.num_rows() > need {
                pieces.push(f.slice(0, need));
                self.pending.push_front(f.slice(need, f.num_rows() - need));
                need = 0;
            } else {
                need -= f.num_rows();
                pieces.push(f);
            }
        }
        concat_batches(&self.timed_schema, &pieces).map_err(StoreError::arrow(&self.dir))
    }

    /// Writes the first `rows` pending rows, in batches of [`BATCH`] (the last one shorter
    /// only at the end).
    fn write_window(&mut self, rows: usize) -> Result<(), StoreError> {
        let timed: Vec<RecordBatch> =
            (0..rows.div_ceil(BATCH).max(1)).map(|k| self.take(BATCH.min(rows - k * BATCH))).collect::<Result<_, _>>()?;
        let last = self.timed_schema.fields().len() - 1;
        let untimed: Vec<RecordBatch> = timed
            .iter()
            .map(|b| b.project(&(0..last).collect::<Vec<_>>()))
            .collect::<Result<_, _>>()
            .map_err(StoreError::arrow(&self.dir))?;
        let buffers: Vec<Buffers> = timed.iter().map(|_| self.spare.pop().unwrap_or_default()).collect();
        let first = self.rows == 0;
        let Finalizer { dir, max_parties, summary, parquet, csv, timings, unwritten, .. } = self;
        let (max_parties, dir) = (*max_parties, &*dir);
        // the last window's text goes to the files while this one is encoded
        let last = std::mem::take(unwritten);
        let (appended, (encoded, written)) = rayon::join(
            || append(last, csv, timings, summary, max_parties, dir),
            || {
                rayon::join(
                    || {
                        timed
                            .par_iter()
                            .zip(&untimed)
                            .zip(buffers)
                            .enumerate()
                            .map(|(k, ((t, u), b))| encode(t, u, first && k == 0, dir, b))
                            .collect::<Result<Vec<Encoded>, StoreError>>()
                    },
                    || parquet.write(&untimed),
                )
            },
        );
        self.spare.extend(appended?);
        written?;
        *unwritten = encoded?;
        self.rows += rows as u64;
        Ok(())
    }

    /// Writes the last rows (the CSV headers alone when there were none), closes the files
    /// and renames them into place; returns the rows written.
    pub(crate) fn finish(mut self) -> Result<u64, StoreError> {
        if self.columns.len() > 0 {
            let batch = self.columns.finish().map_err(StoreError::arrow(&self.dir))?;
            self.pending_rows += batch.num_rows();
            self.pending.push_back(batch);
        }
        if self.pending_rows > 0 || self.rows == 0 {
            // with no rows at all: one empty batch, for the headers
            self.write_window(self.pending_rows)?;
        }
        let _ =
            append(std::mem::take(&mut self.unwritten), &mut self.csv, &mut self.timings, &mut self.summary, self.max_parties, &self.dir)?;
        self.parquet.finish()?;
        let (cf, csv) = self.csv;
        cf.commit(csv)?;
        let (tf, timings) = self.timings;
        tf.commit(timings)?;
        let path = self.dir.join(SUMMARY);
        let mut json = serde_json::to_vec_pretty(&self.summary.finish()).map_err(|e| StoreError::corrupt(&path, e.to_string()))?;
        json.push(b'\n');
        write_atomic(&self.dir, SUMMARY, &json)?;
        sync_dir(&self.dir)?;
        Ok(self.rows)
    }
}

/// A batch's CSV text and timings text.
type Buffers = (Vec<u8>, Vec<u8>);

/// Appends encoded batches to the CSV files and their rows to the summary, in order; gives
/// back the emptied buffers.
fn append(
    encoded: Vec<Encoded>,
    csv: &mut (AtomicFile, BufWriter<File>),
    timings: &mut (AtomicFile, BufWriter<File>),
    summary: &mut SummaryBuilder,
    max_parties: usize,
    dir: &Path,
) -> Result<Vec<Buffers>, StoreError> {
    let mut spare = Vec::with_capacity(encoded.len());
    for mut e in encoded {
        csv.1.write_all(&e.csv).map_err(StoreError::io(csv.0.tmp()))?;
        timings.1.write_all(&e.timings).map_err(StoreError::io(timings.0.tmp()))?;
        columns::summarize(&e.batch, max_parties, summary, dir)?;
        e.csv.clear();
        e.timings.clear();
        spare.push((e.csv, e.timings));
    }
    Ok(spare)
}

/// One batch's CSV text (with the header when `header`) and its timings, written into
/// `buffers`.
fn encode(timed: &RecordBatch, untimed: &RecordBatch, header: bool, dir: &Path, buffers: Buffers) -> Result<Encoded, StoreError> {
    let (mut text, mut times) = buffers;
    // about 470 bytes a row: sized once, not grown by doubling
    text.reserve(512 * untimed.num_rows() + 1024);
    times.reserve(32 * untimed.num_rows() + 64);
    let mut csv = arrow_csv::WriterBuilder::new().with_header(header).build(text);
    csv.write(untimed).map_err(StoreError::arrow(dir.join(CSV)))?;
    let last = timed.num_columns() - 1;
    let index_time = RecordBatch::try_new(columns::timings_schema(), vec![timed.column(0).clone(), timed.column(last).clone()])
        .map_err(StoreError::arrow(dir.join(TIMINGS)))?;
    let mut timings = arrow_csv::WriterBuilder::new().with_header(header).build(times);
    timings.write(&index_time).map_err(StoreError::arrow(dir.join(TIMINGS)))?;
    Ok(Encoded { csv: csv.into_inner(), timings: timings.into_inner(), batch: timed.clone() })
}

#[cfg(test)]
mod tests {
    //! The parallel [`Finalizer`] against the oracle it must equal: one `ArrowWriter`, one CSV
    //! writer and one [`SummaryBuilder`] fed the same rows in [`BATCH`]-row batches on one
    //! thread.
    use super::*;
    use crate::store::ScenarioDefinition;
    use crate::{SeatRecord, Status};
    use std::sync::Arc;

    const NEGOTIATORS: [&str; 3] = ["boulware", "conceder", "aspiration"];

    /// Row `i` of a made-up tournament: every status, missing values, two- and three-seat rows.
    fn record(i: u64) -> Record {
        let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11;
        let status = Status::ALL[(h % Status::ALL.len() as u64) as usize];
        let agreed = status == Status::Agreed;
        let x = (h % 1000) as f64 / 997.0;
        let seats = (0..2 + (h % 2) as usize)
            .map(|s| SeatRecord {
                actor: format!("a{s}"),
                negotiator: NEGOTIATORS[(h as usize + s) % 3].to_string(),
                utility: (status != Status::Refused).then_some(x * (s + 1) as f64 / 3.0),
                reservation: (status != Status::Refused).then_some(0.1 * s as f64),
                advantage: (status != Status::Refused).then_some(x - 0.1 * s as f64),
                score: (status != Status::Refused && !h.is_multiple_of(7)).then_some(x / 2.0),
            })
            .collect();
        Record {
            index: i,
            scenario: format!("s{}", h % 4),
            scenario_index: h % 4,
            seating: h % 9,
            opener: h % 2,
            repetition: (h % 3) as u32,
            seed: h,
            protocol: "sao".into(),
            status,
            reason: matches!(status, Status::Errored | Status::Refused).then(|| format!("why, \"{i}\"\nsecond line")),
            agreement: agreed,
            round: agreed.then_some((h % 100) as u32 + 1),
            rounds: 100,
            deadline: 100,
            outcome_index: agreed.then_some(h % 50),
            deal: agreed.then(|| format!("price={}, term=x", h % 50)),
            welfare: agreed.then_some(x * 2.0),
            pareto_distance: agreed.then_some(x / 3.0),
            nash_distance: (!h.is_multiple_of(5)).then_some(x / 5.0),
            ks_distance: None,
            seats,
        }
    }

    fn definition() -> Definition {
        Definition {
            negotiators: NEGOTIATORS.iter().map(|s| s.to_string()).collect(),
            scenarios: (0..4)
                .map(|k| ScenarioDefinition { id: format!("s{k}"), source: String::new(), fingerprint: String::new() })
                .collect(),
            protocol: None,
            rounds: None,
            repetitions: 1,
            seed: 0,
            self_play: true,
            rotate: false,
            time_limit: None,
            max_parties: 3,
            total: 0,
        }
    }

    /// The files the oracle writes for `rows` rows, by name.
    fn oracle(rows: u64) -> Vec<(&'static str, Vec<u8>)> {
        let def = definition();
        let mut summary = SummaryBuilder::new(&def.negotiators, &def.scenarios.iter().map(|s| s.id.clone()).collect::<Vec<_>>());
        let mut parquet = ArrowWriter::try_new(Vec::new(), columns::schema(3, false), Some(properties())).unwrap();
        let mut csv = arrow_csv::WriterBuilder::new().with_header(true).build(Vec::new());
        let mut timings = arrow_csv::WriterBuilder::new().with_header(true).build(Vec::new());
        let mut cols = Columns::new(3, false);
        let mut times: Vec<(u64, f64)> = Vec::new();
        let mut flush = |cols: &mut Columns, times: &mut Vec<(u64, f64)>| {
            let batch = cols.finish().unwrap();
            parquet.write(&batch).unwrap();
            csv.write(&batch).unwrap();
            let t = RecordBatch::try_new(
                columns::timings_schema(),
                vec![
                    Arc::new(arrow_array::UInt64Array::from_iter_values(times.iter().map(|t| t.0))),
                    Arc::new(arrow_array::Float64Array::from_iter_values(times.iter().map(|t| t.1))),
                ],
            )
            .unwrap();
            timings.write(&t).unwrap();
            times.clear();
        };
        for i in 0..rows {
            let r = record(i);
            cols.push(&r, 0.0).unwrap();
            summary.push(&r);
            times.push((i, i as f64 / 8.0));
            if cols.len() == BATCH {
                flush(&mut cols, &mut times);
            }
        }
        if cols.len() > 0 || rows == 0 {
            flush(&mut cols, &mut times);
        }
        let mut json = serde_json::to_vec_pretty(&summary.finish()).unwrap();
        json.push(b'\n');
        vec![(PARQUET, parquet.into_inner().unwrap()), (CSV, csv.into_inner()), (TIMINGS, timings.into_inner()), (SUMMARY, json)]
    }

    /// The files the [`Finalizer`] writes for `rows` rows handed over in batches of `pieces`
    /// rows (`None`: one row at a time).
    fn finalized(rows: u64, pieces: Option<usize>) -> Vec<(&'static str, Vec<u8>)> {
        let dir = tempfile::tempdir().unwrap();
        let mut f = Finalizer::new(dir.path(), 3, &definition()).unwrap();
        let mut cols = Columns::new(3, true);
        for i in 0..rows {
            match pieces {
                None => f.push(&record(i), i as f64 / 8.0).unwrap(),
                Some(n) => {
                    cols.push(&record(i), i as f64 / 8.0).unwrap();
                    if cols.len() == n {
                        f.push_batch(cols.finish().unwrap()).unwrap();
                    }
                }
            }
        }
        if cols.len() > 0 {
            f.push_batch(cols.finish().unwrap()).unwrap();
        }
        assert_eq!(f.finish().unwrap(), rows);
        [PARQUET, CSV, TIMINGS, SUMMARY].into_iter().map(|name| (name, fs::read(dir.path().join(name)).unwrap())).collect()
    }

    #[test]
    fn the_parallel_finalizer_writes_the_bytes_of_one_writer_on_one_thread() {
        let batch = BATCH as u64;
        let cases = [(0, &[None, Some(1000)][..]), (1, &[None]), (batch - 1, &[Some(1000)]), (batch, &[None]), (batch + 1, &[Some(1000)])];
        check(cases.into_iter().chain([(4 * batch + 5, &[None, Some(10_000)][..])]));
    }

    #[test]
    fn the_parallel_finalizer_writes_the_bytes_of_one_writer_over_row_groups() {
        // more than a row group, so two of them, the second ending mid-window
        check([(ROW_GROUP as u64 + 3 * BATCH as u64 + 17, &[Some(10_000)][..])]);
    }

    fn check<'a>(cases: impl IntoIterator<Item = (u64, &'a [Option<usize>])>) {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        for (rows, pieces) in cases {
            let expected = oracle(rows);
            for &pieces in pieces {
                let got = pool.install(|| finalized(rows, pieces));
                for ((name, want), (_, got)) in expected.iter().zip(&got) {
                    assert!(want == got, "{name} differs for {rows} rows handed over in pieces of {pieces:?}");
                }
            }
        }
    }
}
