//! Negotiators of the caller's own in a tournament (`Tournament::own`): one that negotiates as a
//! built-in one gives that one's rows, under its own name.

use detente_agents::Protocol;
use detente_tournament::{parse_negotiators, Entrant, Prepared, Record, Tournament};
use std::sync::Arc;

fn scenarios() -> Vec<Prepared> {
    ["textbook-bilateral.toml", "textbook-three-party.toml"]
        .iter()
        .map(|s| Prepared::new(detente_testkit::shipped_scenario(s)).expect("prepared"))
        .collect()
}

fn records(t: &Tournament) -> Vec<Record> {
    t.collect().expect("run").iter().map(Record::from).collect()
}

#[test]
fn an_own_negotiator_that_plays_as_a_builtin_gives_its_rows_under_its_own_name() {
    let base = Tournament {
        repetitions: 2,
        seed: 5,
        rotate: true,
        protocol: Some(Protocol::JointTable),
        ..Tournament::new(parse_negotiators(["boulware", "conceder"]).unwrap(), scenarios())
    };
    let conceder = parse_negotiators(["conceder"]).unwrap().remove(0);
    let own = Entrant { name: "my-conceder".into(), make: Arc::new(move |_seat| detente_agents::build_spec(&conceder, 0)) };
    let mine = Tournament { negotiators: parse_negotiators(["boulware"]).unwrap(), own: vec![own], ..base.clone() };
    let (a, b) = (records(&base), records(&mine));
    assert_eq!(a.len(), b.len());
    assert!(b.iter().any(|r| r.seats.iter().any(|s| s.negotiator == "my-conceder")));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((x.index, x.seed, &x.status, &x.deal, x.round), (y.index, y.seed, &y.status, &y.deal, y.round));
        for (sx, sy) in x.seats.iter().zip(&y.seats) {
            assert_eq!(sx.utility, sy.utility);
            let renamed = if sx.negotiator == "conceder" { "my-conceder" } else { sx.negotiator.as_str() };
            assert_eq!(renamed, sy.negotiator);
        }
    }
}

#[test]
fn an_own_negotiator_needs_a_name_of_its_own_and_no_time_limit() {
    let make = || Entrant {
        name: "boulware".into(),
        make: Arc::new(|_| detente_agents::build_spec(&parse_negotiators(["linear"]).unwrap()[0], 0)),
    };
    let t = Tournament { own: vec![make()], ..Tournament::new(parse_negotiators(["conceder"]).unwrap(), scenarios()) };
    assert!(t.plan().unwrap_err().to_string().contains("`boulware`"));
    let t = Tournament { own: vec![Entrant { name: "mine".into(), ..make() }], time_limit: Some(1.0), ..t };
    assert!(t.plan().unwrap_err().to_string().contains("time limit"));
}
