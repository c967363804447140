use detente_forecast::eu::*;
use detente_forecast::{IssueInput, SpatialActor};
fn main() {
    let rows = [
        ("NL", 0.08, 4., 0.8),
        ("BE", 0.08, 7., 0.4),
        ("LU", 0.03, 4., 0.2),
        ("DE", 0.16, 4., 0.8),
        ("FR", 0.16, 10., 0.6),
        ("IT", 0.16, 10., 0.6),
        ("UK", 0.16, 10., 0.9),
        ("IE", 0.05, 7., 0.1),
        ("DK", 0.05, 4., 1.0),
        ("GR", 0.08, 7., 0.7),
    ];
    let input =
        IssueInput { issue: "eu".into(), scale: (4., 10.), actors: rows.iter().map(|r| SpatialActor::new(r.0, r.2, r.3, r.1)).collect() };
    let args: Vec<String> = std::env::args().collect();
    let mut p = EuPreset::ScholzPaper.params();
    for a in &args[1..] {
        match a.as_str() {
            "lit" => p.responder_salience = ResponderSalience::Literal,
            "own" => p.perspective = Perspective::Own,
            "euw" => p.compromise = CompromiseRule::EuWeighted,
            "net" => p.probability = ProbabilityRule::NetVotes,
            "code" => p.probability = ProbabilityRule::ScholzCode,
            "nomove" => p.conflict = ConflictRule::NoMove,
            "enf" => p.selection = OfferSelection::MostEnforceable,
            "q05" => p.q = 0.5,
            "argmax" => p.median = MedianRule::VoteArgmax,
            "nm" => {
                p = EuPreset::NoMoveConflict.params();
            }
            _ => panic!("{a}"),
        }
    }
    let run = run_eu(&input, &p).unwrap();
    for r in &run.rounds {
        println!(
            "{} med {:.4} mean {:.4} {:?}",
            r.round,
            r.median,
            r.mean,
            r.positions.iter().map(|x| (x * 1000.0).round() / 1000.0).collect::<Vec<_>>()
        );
    }
}
