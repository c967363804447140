//! Versioned JSONL traces: a header line, one line per action, one end line.
//!
//! ```text
//! {"trace":"detente/2","protocol":"sao","rules":"negmas","scenario":"laptop","issues":["brand","hdd"],"outcomes":27,"rounds":10,"seed":0,"parties":[{"actor":"buyer","negotiator":"boulware"},...]}
//! {"i":0,"round":1,"actor":0,"action":"offer","outcome":18,"values":["HP","60 Gb"]}
//! {"i":1,"round":1,"actor":1,"action":"accept"}
//! {"end":"agreed","round":1,"rounds":1,"outcome":18,"values":["HP","60 Gb"],"utilities":[30.0,12.4]}
//! ```
//!
//! **Rounds are numbered from 1**, as the text and JSON reports number them ("a deal in round 3
//! of 10" is `"round":3`); `rounds` is how many were played or begun. (Format `detente/1`
//! numbered event rounds from 0, the in-memory [`Event::round`] index, so a trace and a report
//! of the same run disagreed by one.)
//!
//! A mediated trace's header adds `required` (the parties whose acceptance an agreement needs),
//! `start` (the first text and where it came from), `knowledge` (what the mediator knows;
//! detente rules only) and, when set, `stall`. A mediator's text put to the parties as final
//! (ratification) carries `"final":true`; a shuttle mediator's new text after a
//! counter-proposal carries `"revised":true` (the parties see it when next visited), so a
//! mediated trace replays through [`crate::MediatedState`] alone; the mediator walking away (it
//! cannot mediate) is its `end` action. These keys are absent from SAO traces.
//!
//! Lines are written with `serde_json` (shortest round-trip float formatting), keys in a fixed
//! order, no maps with unordered keys, no timestamps: the same scenario, negotiators and seed
//! give the same bytes. The format name changes (`detente/3`) when a field changes meaning.

use crate::action::{Action, Event, OutcomeId};
use crate::session::{Observer, Status};
use detente_core::OutcomeSpace;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::sync::Arc;

/// The format tag of the header line.
pub const TRACE_FORMAT: &str = "detente/2";

/// One participant in the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceParty {
    /// Actor id in the scenario.
    pub actor: String,
    /// Negotiator spec as given (`boulware`, `tft(kindness=0.01)`).
    pub negotiator: String,
}

/// The header line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceHeader {
    /// Always [`TRACE_FORMAT`].
    pub trace: String,
    /// Protocol name (`sao`, …).
    pub protocol: String,
    /// Rule set name.
    pub rules: String,
    /// Scenario id.
    pub scenario: String,
    /// Issue ids, in order (the `values` arrays follow this order).
    pub issues: Vec<String>,
    /// Number of outcomes.
    pub outcomes: u64,
    /// Deadline in rounds.
    pub rounds: u32,
    /// Seed of the run.
    pub seed: u64,
    /// Participants in speaking order.
    pub parties: Vec<TraceParty>,
    /// Mediated protocols: the parties (indices into `parties`) whose acceptance an agreement
    /// needs. Absent in SAO traces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<Vec<u32>>,
    /// Mediated protocols: the first text and where it came from. Absent in SAO traces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<TraceStart>,
    /// Single text: the stall limit, when one is set (absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stall: Option<u32>,
    /// Mediated protocols under detente rules: what the mediator knows, `votes` or
    /// `omniscient` ([`crate::Knowledge`]). Absent in SAO traces and under NegMAS rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knowledge: Option<String>,
}

/// The first text of a mediated negotiation, in the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceStart {
    /// Its outcome index (`null`: no text, NegMAS veto without an opening text).
    pub outcome: Option<OutcomeId>,
    /// Its values, one per issue (empty without a text).
    pub values: Vec<String>,
    /// Where it came from: `opening_text`, `objective`, `fallback`, `ideal`, `middle`, `random`, `none`
    /// ([`crate::StartSource`]).
    pub from: String,
}

impl TraceHeader {
    /// A header with the format tag filled in and the issues and outcome count taken from
    /// `space`.
    pub fn new(
        protocol: &str,
        rules: &str,
        scenario: &str,
        space: &OutcomeSpace,
        rounds: u32,
        seed: u64,
        parties: Vec<TraceParty>,
    ) -> Self {
        TraceHeader {
            trace: TRACE_FORMAT.to_string(),
            protocol: protocol.to_string(),
            rules: rules.to_string(),
            scenario: scenario.to_string(),
            issues: space.issues().iter().map(|i| i.id.clone()).collect(),
            outcomes: space.cardinality().as_u64().unwrap_or(0),
            rounds,
            seed,
            parties,
            required: None,
            start: None,
            stall: None,
            knowledge: None,
        }
    }

    /// The header of a mediated negotiation: [`TraceHeader::new`] with the required parties,
    /// the first text (`space` names its values), the stall limit and what the mediator knows
    /// (`None` under NegMAS rules).
    pub fn mediated(
        mut self,
        space: &OutcomeSpace,
        required: Vec<u32>,
        start: Option<OutcomeId>,
        from: crate::StartSource,
        stall: Option<u32>,
        knowledge: Option<crate::Knowledge>,
    ) -> Self {
        let values = start.map(|o| values_of(space, o)).unwrap_or_default();
        self.required = Some(required);
        self.start = Some(TraceStart { outcome: start, values, from: from.as_str().to_string() });
        self.stall = stall;
        self.knowledge = knowledge.map(|k| k.as_str().to_string());
        self
    }
}

/// The values of outcome `o`, one per issue, as the trace writes them.
fn values_of(space: &OutcomeSpace, o: OutcomeId) -> Vec<String> {
    let mut idx = vec![0; space.issues().len()];
    if !space.value_indices_at(o, &mut idx) {
        return Vec::new();
    }
    space.issues().iter().zip(&idx).map(|(issue, &v)| issue.value_at(v).map(|x| issue.format_value(&x)).unwrap_or_default()).collect()
}

#[derive(Serialize)]
struct EventLine<'a> {
    i: u64,
    #[serde(serialize_with = "crate::action::one_based")]
    round: u32,
    actor: u32,
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<OutcomeId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<&'a [String]>,
    /// A mediator's text put to the parties as final (ratification).
    #[serde(rename = "final", skip_serializing_if = "std::ops::Not::not")]
    final_text: bool,
    /// A shuttle mediator's new text after a counter-proposal.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    revised: bool,
}

/// The agreement round of an end line, numbered from 1 ([`crate::one_based`]; absent without
/// an agreement, which `skip_serializing_if` handles).
fn one_based_round<S: serde::Serializer>(round: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
    match round {
        Some(r) => crate::action::one_based(r, s),
        None => s.serialize_none(),
    }
}

/// How an event line is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    None,
    Final,
    Revised,
}

#[derive(Serialize)]
struct EndLine<'a> {
    end: &'static str,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "one_based_round")]
    round: Option<u32>,
    rounds: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<OutcomeId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    utilities: &'a [f64],
}

/// An [`Observer`] that writes the JSONL trace to any writer. The header goes out at
/// construction; I/O errors are kept and returned by [`JsonlTrace::finish`] (the negotiation
/// itself never fails because of its trace).
#[derive(Debug)]
pub struct JsonlTrace<W: Write> {
    out: W,
    space: Arc<OutcomeSpace>,
    n: u64,
    error: Option<std::io::Error>,
    scratch: Vec<u32>,
}

impl<W: Write> JsonlTrace<W> {
    /// Writes the header and returns the observer.
    pub fn new(mut out: W, header: &TraceHeader, space: Arc<OutcomeSpace>) -> Self {
        let error = serde_json::to_writer(&mut out, header).map_err(std::io::Error::from).and_then(|()| out.write_all(b"\n")).err();
        let scratch = vec![0; space.issues().len()];
        JsonlTrace { out, space, n: 0, error, scratch }
    }

    fn values(&mut self, o: OutcomeId) -> Vec<String> {
        if !self.space.value_indices_at(o, &mut self.scratch) {
            return Vec::new();
        }
        self.space
            .issues()
            .iter()
            .zip(&self.scratch)
            .map(|(issue, &v)| issue.value_at(v).map(|x| issue.format_value(&x)).unwrap_or_default())
            .collect()
    }

    fn line<T: Serialize>(&mut self, v: &T) {
        if self.error.is_some() {
            return;
        }
        let r = serde_json::to_writer(&mut self.out, v).map_err(std::io::Error::from).and_then(|()| self.out.write_all(b"\n"));
        if let Err(e) = r {
            self.error = Some(e);
        }
    }

    /// Flushes and returns the writer, or the first I/O error.
    pub fn finish(mut self) -> std::io::Result<W> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> JsonlTrace<W> {
    fn event(&mut self, ev: &Event, mark: Mark) {
        let (outcome, values) = match ev.action {
            Action::Offer(o) => (Some(o), Some(self.values(o))),
            _ => (None, None),
        };
        let line = EventLine {
            i: self.n,
            round: ev.round,
            actor: ev.actor,
            action: ev.action.name(),
            outcome,
            values: values.as_deref(),
            final_text: mark == Mark::Final,
            revised: mark == Mark::Revised,
        };
        self.line(&line);
        self.n += 1;
    }
}

impl<W: Write> Observer for JsonlTrace<W> {
    fn on_event(&mut self, ev: &Event) {
        self.event(ev, Mark::None);
    }

    fn on_final(&mut self, ev: &Event) {
        self.event(ev, Mark::Final);
    }

    fn on_revised(&mut self, ev: &Event) {
        self.event(ev, Mark::Revised);
    }

    fn on_end(&mut self, status: &Status, rounds: u32, utilities: &[f64]) {
        let (round, outcome, by, reason) = match status {
            Status::Agreed { outcome, round } => (Some(*round), Some(*outcome), None, None),
            Status::Broken { by } => (None, None, Some(*by), None),
            Status::Errored { by, reason } => (None, None, Some(*by), Some(reason.as_str())),
            Status::Running | Status::TimedOut => (None, None, None, None),
        };
        let values = outcome.map(|o| self.values(o));
        let line = EndLine { end: status.name(), round, rounds, outcome, values: values.as_deref(), by, reason, utilities };
        self.line(&line);
    }
}
