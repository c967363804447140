//! The table's columns: records to Arrow record batches and back.

use super::StoreError;
use crate::{Record, SeatRecord, Status};
use arrow_array::builder::{BooleanBuilder, Float64Builder, StringBuilder, UInt32Builder, UInt64Builder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use std::path::Path;
use std::sync::Arc;

/// Columns before the seat groups.
const FIXED: usize = 20;
/// Columns per seat group.
const PER_SEAT: usize = 6;

/// The results table's schema for `max_parties` seat groups, with a trailing `time_s` column
/// when `timed` (the checkpoint parts).
pub(crate) fn schema(max_parties: usize, timed: bool) -> SchemaRef {
    use DataType::{Boolean, Float64, UInt32, UInt64, Utf8};
    let mut fields = vec![
        Field::new("index", UInt64, false),
        Field::new("scenario", Utf8, false),
        Field::new("scenario_index", UInt64, false),
        Field::new("seating", UInt64, false),
        Field::new("opener", UInt64, false),
        Field::new("repetition", UInt32, false),
        Field::new("seed", UInt64, false),
        Field::new("protocol", Utf8, false),
        Field::new("status", Utf8, false),
        Field::new("reason", Utf8, true),
        Field::new("agreement", Boolean, false),
        Field::new("round", UInt32, true),
        Field::new("rounds", UInt32, false),
        Field::new("deadline", UInt32, false),
        Field::new("outcome_index", UInt64, true),
        Field::new("deal", Utf8, true),
        Field::new("welfare", Float64, true),
        Field::new("pareto_distance", Float64, true),
        Field::new("nash_distance", Float64, true),
        Field::new("ks_distance", Float64, true),
    ];
    for i in 1..=max_parties {
        fields.push(Field::new(format!("seat{i}_actor"), Utf8, true));
        fields.push(Field::new(format!("seat{i}_negotiator"), Utf8, true));
        fields.push(Field::new(format!("seat{i}_utility"), Float64, true));
        fields.push(Field::new(format!("seat{i}_reservation"), Float64, true));
        fields.push(Field::new(format!("seat{i}_advantage"), Float64, true));
        fields.push(Field::new(format!("seat{i}_score"), Float64, true));
    }
    if timed {
        fields.push(Field::new("time_s", Float64, false));
    }
    Arc::new(Schema::new(fields))
}

/// The `timings.csv` schema.
pub(crate) fn timings_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new("index", DataType::UInt64, false), Field::new("time_s", DataType::Float64, false)]))
}

struct SeatColumns {
    actor: StringBuilder,
    negotiator: StringBuilder,
    utility: Float64Builder,
    reservation: Float64Builder,
    advantage: Float64Builder,
    score: Float64Builder,
}

/// Records (and their times) gathered into columns.
pub(crate) struct Columns {
    schema: SchemaRef,
    timed: bool,
    len: usize,
    index: UInt64Builder,
    scenario: StringBuilder,
    scenario_index: UInt64Builder,
    seating: UInt64Builder,
    opener: UInt64Builder,
    repetition: UInt32Builder,
    seed: UInt64Builder,
    protocol: StringBuilder,
    status: StringBuilder,
    reason: StringBuilder,
    agreement: BooleanBuilder,
    round: UInt32Builder,
    rounds: UInt32Builder,
    deadline: UInt32Builder,
    outcome_index: UInt64Builder,
    deal: StringBuilder,
    welfare: Float64Builder,
    pareto_distance: Float64Builder,
    nash_distance: Float64Builder,
    ks_distance: Float64Builder,
    seats: Vec<SeatColumns>,
    time: Float64Builder,
}

impl Columns {
    pub(crate) fn new(max_parties: usize, timed: bool) -> Columns {
        Columns {
            schema: schema(max_parties, timed),
            timed,
            len: 0,
            index: UInt64Builder::new(),
            scenario: StringBuilder::new(),
            scenario_index: UInt64Builder::new(),
            seating: UInt64Builder::new(),
            opener: UInt64Builder::new(),
            repetition: UInt32Builder::new(),
            seed: UInt64Builder::new(),
            protocol: StringBuilder::new(),
            status: StringBuilder::new(),
            reason: StringBuilder::new(),
            agreement: BooleanBuilder::new(),
            round: UInt32Builder::new(),
            rounds: UInt32Builder::new(),
            deadline: UInt32Builder::new(),
            outcome_index: UInt64Builder::new(),
            deal: StringBuilder::new(),
            welfare: Float64Builder::new(),
            pareto_distance: Float64Builder::new(),
            nash_distance: Float64Builder::new(),
            ks_distance: Float64Builder::new(),
            seats: (0..max_parties)
                .map(|_| SeatColumns {
                    actor: StringBuilder::new(),
                    negotiator: StringBuilder::new(),
                    utility: Float64Builder::new(),
                    reservation: Float64Builder::new(),
                    advantage: Float64Builder::new(),
                    score: Float64Builder::new(),
                })
                .collect(),
            time: Float64Builder::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Adds a record (and its time in seconds, kept when the columns are timed). A record with
    /// more seats than there are seat groups is an error.
    pub(crate) fn push(&mut self, r: &Record, time_s: f64) -> Result<(), String> {
        if r.seats.len() > self.seats.len() {
            return Err(format!("negotiation {} has {} seats, the table {}", r.index, r.seats.len(), self.seats.len()));
        }
        self.len += 1;
        self.index.append_value(r.index);
        self.scenario.append_value(&r.scenario);
        self.scenario_index.append_value(r.scenario_index);
        self.seating.append_value(r.seating);
        self.opener.append_value(r.opener);
        self.repetition.append_value(r.repetition);
        self.seed.append_value(r.seed);
        self.protocol.append_value(&r.protocol);
        self.status.append_value(r.status.as_str());
        self.reason.append_option(r.reason.as_deref());
        self.agreement.append_value(r.agreement);
        self.round.append_option(r.round);
        self.rounds.append_value(r.rounds);
        self.deadline.append_value(r.deadline);
        self.outcome_index.append_option(r.outcome_index);
        self.deal.append_option(r.deal.as_deref());
        self.welfare.append_option(r.welfare);
        self.pareto_distance.append_option(r.pareto_distance);
        self.nash_distance.append_option(r.nash_distance);
        self.ks_distance.append_option(r.ks_distance);
        for (i, c) in self.seats.iter_mut().enumerate() {
            let seat = r.seats.get(i);
            c.actor.append_option(seat.map(|s| s.actor.as_str()));
            c.negotiator.append_option(seat.map(|s| s.negotiator.as_str()));
            c.utility.append_option(seat.and_then(|s| s.utility));
            c.reservation.append_option(seat.and_then(|s| s.reservation));
            c.advantage.append_option(seat.and_then(|s| s.advantage));
            c.score.append_option(seat.and_then(|s| s.score));
        }
        if self.timed {
            self.time.append_value(time_s);
        }
        Ok(())
    }

    /// The gathered rows as a batch; the columns are left empty.
    pub(crate) fn finish(&mut self) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(self.index.finish()),
            Arc::new(self.scenario.finish()),
            Arc::new(self.scenario_index.finish()),
            Arc::new(self.seating.finish()),
            Arc::new(self.opener.finish()),
            Arc::new(self.repetition.finish()),
            Arc::new(self.seed.finish()),
            Arc::new(self.protocol.finish()),
            Arc::new(self.status.finish()),
            Arc::new(self.reason.finish()),
            Arc::new(self.agreement.finish()),
            Arc::new(self.round.finish()),
            Arc::new(self.rounds.finish()),
            Arc::new(self.deadline.finish()),
            Arc::new(self.outcome_index.finish()),
            Arc::new(self.deal.finish()),
            Arc::new(self.welfare.finish()),
            Arc::new(self.pareto_distance.finish()),
            Arc::new(self.nash_distance.finish()),
            Arc::new(self.ks_distance.finish()),
        ];
        for c in &mut self.seats {
            columns.push(Arc::new(c.actor.finish()));
            columns.push(Arc::new(c.negotiator.finish()));
            columns.push(Arc::new(c.utility.finish()));
            columns.push(Arc::new(c.reservation.finish()));
            columns.push(Arc::new(c.advantage.finish()));
            columns.push(Arc::new(c.score.finish()));
        }
        if self.timed {
            columns.push(Arc::new(self.time.finish()));
        }
        self.len = 0;
        RecordBatch::try_new(self.schema.clone(), columns)
    }
}

/// The records of a batch of `schema(max_parties, timed)`, each with its time (0 untimed).
pub(crate) fn records(batch: &RecordBatch, max_parties: usize, timed: bool, path: &Path) -> Result<Vec<(Record, f64)>, StoreError> {
    let expected = schema(max_parties, timed);
    if batch.schema().fields() != expected.fields() {
        return Err(StoreError::corrupt(path, "the columns are not those of the tournament's results"));
    }
    let bad = || StoreError::corrupt(path, "a column of an unexpected type");
    let c = |i: usize| batch.column(i);
    let u64s = |i: usize| c(i).as_primitive_opt::<UInt64Type>().ok_or_else(bad);
    let u32s = |i: usize| c(i).as_primitive_opt::<UInt32Type>().ok_or_else(bad);
    let f64s = |i: usize| c(i).as_primitive_opt::<Float64Type>().ok_or_else(bad);
    let strs = |i: usize| c(i).as_string_opt::<i32>().ok_or_else(bad);
    let (index, scenario, scenario_index, seating, opener) = (u64s(0)?, strs(1)?, u64s(2)?, u64s(3)?, u64s(4)?);
    let (repetition, seed) = (u32s(5)?, u64s(6)?);
    let (protocol, status, reason) = (strs(7)?, strs(8)?, strs(9)?);
    let agreement = c(10).as_boolean_opt().ok_or_else(bad)?;
    let (round, rounds, deadline, outcome_index, deal) = (u32s(11)?, u32s(12)?, u32s(13)?, u64s(14)?, strs(15)?);
    let (welfare, pareto, nash, ks) = (f64s(16)?, f64s(17)?, f64s(18)?, f64s(19)?);
    let seats = (0..max_parties)
        .map(|s| {
            let b = FIXED + PER_SEAT * s;
            Ok((strs(b)?, strs(b + 1)?, f64s(b + 2)?, f64s(b + 3)?, f64s(b + 4)?, f64s(b + 5)?))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let time = if timed { Some(f64s(FIXED + PER_SEAT * max_parties)?) } else { None };
    let opt_str = |a: &arrow_array::StringArray, i: usize| a.is_valid(i).then(|| a.value(i).to_string());
    let opt = |a: &dyn Array, i: usize| a.is_valid(i);
    let mut out = Vec::with_capacity(batch.num_rows());
    for i in 0..batch.num_rows() {
        let status =
            Status::parse(status.value(i)).ok_or_else(|| StoreError::corrupt(path, format!("unknown status `{}`", status.value(i))))?;
        let mut seat_records = Vec::new();
        for (actor, negotiator, utility, reservation, advantage, score) in &seats {
            if !actor.is_valid(i) {
                break;
            }
            seat_records.push(SeatRecord {
                actor: actor.value(i).to_string(),
                negotiator: negotiator.value(i).to_string(),
                utility: opt(*utility, i).then(|| utility.value(i)),
                reservation: opt(*reservation, i).then(|| reservation.value(i)),
                advantage: opt(*advantage, i).then(|| advantage.value(i)),
                score: opt(*score, i).then(|| score.value(i)),
            });
        }
        let record = Record {
            index: index.value(i),
            scenario: scenario.value(i).to_string(),
            scenario_index: scenario_index.value(i),
            seating: seating.value(i),
            opener: opener.value(i),
            repetition: repetition.value(i),
            seed: seed.value(i),
            protocol: protocol.value(i).to_string(),
            status,
            reason: opt_str(reason, i),
            agreement: agreement.value(i),
            round: opt(round, i).then(|| round.value(i)),
            rounds: rounds.value(i),
            deadline: deadline.value(i),
            outcome_index: opt(outcome_index, i).then(|| outcome_index.value(i)),
            deal: opt_str(deal, i),
            welfare: opt(welfare, i).then(|| welfare.value(i)),
            pareto_distance: opt(pareto, i).then(|| pareto.value(i)),
            nash_distance: opt(nash, i).then(|| nash.value(i)),
            ks_distance: opt(ks, i).then(|| ks.value(i)),
            seats: seat_records,
        };
        out.push((record, time.map_or(0.0, |t| t.value(i))));
    }
    Ok(out)
}

/// Adds the rows of `batch` (the results table's columns, with or without `time_s`) to
/// `summary`, in order, reading the columns in place: what [`records`] followed by
/// [`crate::SummaryBuilder::push`] gives, without building a record.
pub(crate) fn summarize(
    batch: &RecordBatch,
    max_parties: usize,
    summary: &mut crate::SummaryBuilder,
    path: &Path,
) -> Result<(), StoreError> {
    let bad = || StoreError::corrupt(path, "a column of an unexpected type");
    let c = |i: usize| batch.column(i);
    let f64s = |i: usize| c(i).as_primitive_opt::<Float64Type>().ok_or_else(bad);
    let strs = |i: usize| c(i).as_string_opt::<i32>().ok_or_else(bad);
    let (scenario, status) = (strs(1)?, strs(8)?);
    let round = c(11).as_primitive_opt::<UInt32Type>().ok_or_else(bad)?;
    let (welfare, pareto, nash, ks) = (f64s(16)?, f64s(17)?, f64s(18)?, f64s(19)?);
    let seats = (0..max_parties)
        .map(|s| {
            let b = FIXED + PER_SEAT * s;
            Ok((strs(b)?, strs(b + 1)?, f64s(b + 2)?, f64s(b + 4)?, f64s(b + 5)?))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let get = |a: &arrow_array::Float64Array, i: usize| a.is_valid(i).then(|| a.value(i));
    for i in 0..batch.num_rows() {
        let status =
            Status::parse(status.value(i)).ok_or_else(|| StoreError::corrupt(path, format!("unknown status `{}`", status.value(i))))?;
        let row = crate::summary::SummaryRow {
            scenario: scenario.value(i),
            status,
            round: round.is_valid(i).then(|| round.value(i)),
            welfare: get(welfare, i),
            pareto_distance: get(pareto, i),
            nash_distance: get(nash, i),
            ks_distance: get(ks, i),
        };
        let seated = seats.iter().take_while(|(actor, ..)| actor.is_valid(i)).map(|(_, negotiator, utility, advantage, score)| {
            crate::summary::SummarySeat {
                negotiator: negotiator.value(i),
                utility: get(utility, i),
                advantage: get(advantage, i),
                score: get(score, i),
            }
        });
        summary.push_row(&row, seated);
    }
    Ok(())
}
