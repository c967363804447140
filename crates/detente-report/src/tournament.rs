//! A tournament's [`Summary`] as text: the standings in words first, then the standings table,
//! the significant pairwise differences and the per-scenario table. A printer only: every
//! number is in the summary already.

use crate::table::table;
use crate::text::wrap;
use detente_study::findings::{percent, thousands};
use detente_tournament::{Estimate, NegotiatorSummary, PairSummary, Summary};
use std::fmt::Write;

pub(crate) fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |x| format!("{x:.3}"))
}

/// `0.410 ± 0.020`, `0.410` with one value, `-` with none.
pub(crate) fn estimate(e: &Estimate) -> String {
    match (e.mean, e.ci) {
        (Some(m), Some(ci)) => format!("{m:.3} ± {ci:.3}"),
        (m, _) => num(m),
    }
}

pub(crate) fn rate(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), percent)
}

/// `p < 0.001`, `p = 0.042`.
fn p_value(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {p:.3}")
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// The standings in one or two sentences: who leads, by how much, and whether its lead over
/// the runner-up is significant.
pub(crate) fn lead(s: &Summary) -> String {
    let standings = s.standings();
    let Some(first) = standings.first().filter(|n| n.rank.is_some()) else {
        return "No negotiator has a score: every negotiation was refused.".into();
    };
    let mut out = format!("{} ranks first with a score of {}", first.negotiator, estimate(&first.scores));
    match standings.get(1).filter(|n| n.rank.is_some()) {
        None => out.push('.'),
        Some(second) if second.rank == first.rank => {
            let _ = write!(out, "; it ties with {}.", second.negotiator);
        }
        Some(second) => {
            let verdict = match s.pair(&first.negotiator, &second.negotiator).and_then(|p| p.test.as_ref()) {
                Some(t) if t.significant => format!("is significant (Holm-adjusted {})", p_value(t.p_holm)),
                Some(t) => format!("is not significant (Holm-adjusted {})", p_value(t.p_holm)),
                None => "cannot be tested (fewer than two seats, or no variance on either side)".into(),
            };
            let _ = write!(out, "; its lead over {} ({}) {verdict}.", second.negotiator, num(second.score));
        }
    }
    out
}

fn standings_row(n: &NegotiatorSummary) -> Vec<String> {
    vec![
        n.rank.map_or_else(|| "-".into(), |r| r.to_string()),
        n.negotiator.clone(),
        estimate(&n.scores),
        estimate(&n.utility),
        estimate(&n.advantage),
        rate(n.agreement_rate),
        thousands(n.seats),
        thousands(n.statuses.errored),
    ]
}

fn pair_row(p: &PairSummary) -> Option<Vec<String>> {
    let t = p.test.as_ref().filter(|t| t.significant)?;
    // the better of the two first
    let (hi, lo, d) = match p.difference {
        Some(d) if d < 0.0 => (&p.b, &p.a, -d),
        d => (&p.a, &p.b, d.unwrap_or(0.0)),
    };
    let p_holm = if t.p_holm < 0.001 { "<0.001".into() } else { format!("{:.3}", t.p_holm) };
    Some(vec![hi.clone(), lo.clone(), format!("{d:.3}"), format!("{:.2}", t.t.abs()), format!("{:.1}", t.df), p_holm])
}

/// The text of a tournament summary.
pub fn text(summary: &Summary) -> String {
    let s = summary;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Tournament: {}, {}, {}",
        plural(s.negotiations, "negotiation", "negotiations"),
        plural(s.negotiators.len() as u64, "negotiator", "negotiators"),
        plural(s.scenarios.len() as u64, "scenario", "scenarios"),
    );
    let c = &s.statuses;
    let _ = writeln!(
        out,
        "agreed {}, timed out {}, broken {}, errored {}, refused {}; agreement rate {}",
        thousands(c.agreed),
        thousands(c.timed_out),
        thousands(c.broken),
        thousands(c.errored),
        thousands(c.refused),
        rate(s.agreement_rate)
    );
    out.push('\n');
    out.push_str(&wrap(&lead(s), "", ""));

    out.push_str("\n## Standings\n\n");
    let rows: Vec<Vec<String>> = s.standings().into_iter().map(standings_row).collect();
    out.push_str(&table(
        &["rank", "negotiator", "score ± 95% CI", "utility ± 95% CI", "advantage ± 95% CI", "agreed", "seats", "errored"].map(String::from),
        &rows,
    ));
    out.push_str(&wrap(
        "Score: NegMAS's tournament score, the mean over every seat played of the gain over walking away as a share of \
         the most the party could gain, (utility − walk-away)/(best − walk-away); advantage: the gain itself, utility − \
         walk-away. Errored negotiations count at the walk-away value, refused ones not at all. Intervals: Student t, 95%.",
        "",
        "",
    ));

    out.push_str("\n## Significant differences\n\n");
    let tested = s.pairs.iter().filter(|p| p.test.is_some()).count() as u64;
    let rows: Vec<Vec<String>> = s.pairs.iter().filter_map(pair_row).collect();
    if rows.is_empty() {
        let text = if tested == 0 {
            "No pair of negotiators could be tested (each needs two seats, and one of them some variance).".to_string()
        } else {
            format!(
                "No difference of scores is significant at 0.05 ({} tested, Welch's t, Holm-adjusted).",
                plural(tested, "pair", "pairs")
            )
        };
        out.push_str(&wrap(&text, "", ""));
    } else {
        out.push_str(&table(&["better", "than", "by", "|t|", "df", "p (Holm)"].map(String::from), &rows));
        out.push_str(&wrap(
            &format!(
                "Welch's t-test of the scores, p-values adjusted by Holm over the {}; only those below 0.05 are shown.",
                plural(tested, "pair tested", "pairs tested")
            ),
            "",
            "",
        ));
    }

    out.push_str("\n## Scenarios\n\n");
    let rows: Vec<Vec<String>> = s
        .scenarios
        .iter()
        .map(|sc| {
            vec![
                sc.scenario.clone(),
                thousands(sc.negotiations),
                rate(sc.agreement_rate),
                sc.rounds.mean.map_or_else(|| "-".into(), |r| format!("{r:.1}")),
                num(sc.welfare.mean),
                num(sc.pareto_distance.mean),
                num(sc.nash_distance.mean),
                num(sc.ks_distance.mean),
                thousands(sc.statuses.errored),
                thousands(sc.statuses.refused),
            ]
        })
        .collect();
    out.push_str(&table(
        &["scenario", "negotiations", "agreed", "round", "welfare", "pareto", "nash", "ks", "errored", "refused"].map(String::from),
        &rows,
    ));
    out.push_str(&wrap(
        "round: mean round of agreement of the agreed negotiations; welfare and distances (to the Pareto frontier, the \
         Nash and the Kalai-Smorodinsky points): means over the negotiations not refused.",
        "",
        "",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_tournament::{PairTest, ScenarioSummary, StatusCounts};

    fn e(n: u64, mean: f64, ci: f64) -> Estimate {
        Estimate { n, mean: Some(mean), std_dev: Some(ci), ci: Some(ci) }
    }

    fn negotiator(name: &str, rank: u32, score: f64, ci: f64, agreed: u64) -> NegotiatorSummary {
        NegotiatorSummary {
            negotiator: name.into(),
            seats: 1200,
            negotiations: 900,
            statuses: StatusCounts { agreed, timed_out: 1200 - agreed - 2, broken: 0, errored: 2, refused: 0 },
            agreement_rate: Some(agreed as f64 / 1200.0),
            utility: e(1200, score + 0.3, ci),
            advantage: e(1200, score * 0.8, ci),
            scores: e(1200, score, ci),
            score: Some(score),
            rank: Some(rank),
            welfare: e(900, 1.2, 0.01),
            pareto_distance: e(900, 0.05, 0.01),
            nash_distance: e(900, 0.1, 0.01),
            ks_distance: e(900, 0.12, 0.01),
        }
    }

    fn summary(significant: bool) -> Summary {
        // without significance, the same pairs with p-values 10⁸ times larger
        let scale = if significant { 1.0 } else { 1e8 };
        let test = |p: f64, p_holm: f64| {
            let (p, p_holm) = ((p * scale).min(1.0), (p_holm * scale).min(1.0));
            Some(PairTest { t: 9.5, df: 2100.0, p, p_holm, significant: p_holm < 0.05 })
        };
        Summary {
            schema: detente_tournament::summary::SCHEMA.into(),
            negotiations: 2700,
            statuses: StatusCounts { agreed: 2000, timed_out: 590, broken: 0, errored: 6, refused: 104 },
            agreement_rate: Some(2000.0 / 2596.0),
            negotiators: vec![
                negotiator("conceder", 2, 0.25, 0.015, 1100),
                negotiator("boulware", 1, 0.41, 0.02, 800),
                negotiator("linear", 3, 0.24, 0.02, 950),
            ],
            pairs: vec![
                PairSummary { a: "conceder".into(), b: "boulware".into(), difference: Some(-0.16), test: test(1e-9, 3e-9) },
                PairSummary { a: "conceder".into(), b: "linear".into(), difference: Some(0.01), test: test(0.4, 0.4) },
                PairSummary { a: "boulware".into(), b: "linear".into(), difference: Some(0.17), test: test(2e-9, 4e-9) },
            ],
            scenarios: vec![
                ScenarioSummary {
                    scenario: "textbook-bilateral".into(),
                    negotiations: 1350,
                    statuses: StatusCounts { agreed: 1100, timed_out: 250, broken: 0, errored: 0, refused: 0 },
                    agreement_rate: Some(1100.0 / 1350.0),
                    rounds: e(1100, 23.4, 1.0),
                    welfare: e(1350, 1.31, 0.01),
                    pareto_distance: e(1350, 0.04, 0.01),
                    nash_distance: e(1350, 0.09, 0.01),
                    ks_distance: e(1350, 0.11, 0.01),
                },
                ScenarioSummary {
                    scenario: "table-thirty-actors".into(),
                    negotiations: 1350,
                    statuses: StatusCounts { agreed: 900, timed_out: 340, broken: 0, errored: 6, refused: 104 },
                    agreement_rate: Some(900.0 / 1246.0),
                    rounds: e(900, 61.0, 2.0),
                    welfare: e(1246, 11.5, 0.2),
                    pareto_distance: Estimate { n: 0, mean: None, std_dev: None, ci: None },
                    nash_distance: Estimate { n: 0, mean: None, std_dev: None, ci: None },
                    ks_distance: Estimate { n: 0, mean: None, std_dev: None, ci: None },
                },
            ],
        }
    }

    #[test]
    fn tournament_text() {
        insta::assert_snapshot!("tournament_text", text(&summary(true)));
    }

    #[test]
    fn nothing_significant() {
        let s = summary(false);
        let l = lead(&s);
        assert!(l.ends_with("its lead over conceder (0.250) is not significant (Holm-adjusted p = 0.300)."), "{l}");
        let t = text(&s);
        assert!(t.contains("No difference of scores is significant at 0.05 (3 pairs tested"), "{t}");
    }
}
