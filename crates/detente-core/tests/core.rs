//! Integration tests of the domain model: indexing, utilities, variants.

use detente_core::*;
use detente_core::{strategies, ScenarioDraft};
use proptest::prelude::*;

fn small_space() -> OutcomeSpace {
    OutcomeSpace::new(vec![Issue::categorical("a", &["x", "y", "z"]), Issue::integer("b", 0, 10, 5), Issue::real("c", 0.0, 1.0, Some(2))])
}

#[test]
fn first_issue_is_slowest() {
    let s = small_space();
    assert_eq!(s.cardinality(), Cardinality::Finite(18));
    let o = s.outcome_at(1).unwrap();
    assert_eq!(s.format(&o), "a=x, b=0, c=1");
    let o = s.outcome_at(6).unwrap();
    assert_eq!(s.format(&o), "a=y, b=0, c=0");
    assert_eq!(s.iter().count(), 18);
    assert_eq!(s.iter().map(|o| s.index_of(&o).unwrap()).collect::<Vec<_>>(), (0..18).collect::<Vec<_>>());
    assert!(s.outcome_at(18).is_none());
}

#[test]
fn cardinality_never_overflows() {
    let issues = (0..40).map(|i| Issue::integer(format!("i{i}"), 0, 999, 1)).collect();
    let s = OutcomeSpace::new(issues);
    match s.cardinality() {
        Cardinality::Huge { log10 } => assert!((log10 - 120.0).abs() < 1e-9),
        other => panic!("expected Huge, got {other:?}"),
    }
    let err = s.enumerable("enumerate", 1_000_000).unwrap_err();
    assert_eq!(err.to_string(), "the outcome space has about 10^120.0 outcomes, too many to enumerate (limit 1000000)");
    let s = OutcomeSpace::new(vec![Issue::real("x", 0.0, 1.0, None)]);
    assert_eq!(s.cardinality(), Cardinality::Infinite);
    assert_eq!(s.iter().count(), 0);
}

#[test]
fn partial_outcomes_are_named() {
    let s = small_space();
    let err = s.parse("a=y").unwrap_err();
    assert_eq!(err.to_string(), "the outcome is partial: no value for b, c; every issue needs a value");
    let err = s.parse("a=w, b=0, c=0").unwrap_err();
    assert_eq!(err.to_string(), "value `w` is not valid for issue `a`: expected one of x, y, z");
    let err = s.parse("a=x, b=3, c=0").unwrap_err();
    assert_eq!(err.to_string(), "value `3` is not valid for issue `b`: expected an integer in 0..=10 in steps of 5 from 0");
    let err = s.parse("q=1").unwrap_err();
    assert_eq!(err.to_string(), "unknown issue `q`; expected one of: a, b, c");
}

#[test]
fn spatial_utility_by_hand() {
    let s = OutcomeSpace::new(vec![Issue::ordinal("t", &[("lo", 0.0), ("mid", 50.0), ("hi", 100.0)]), Issue::integer("f", 0, 100, 50)]);
    let sp = Spatial { positions: vec![Some(Position::new(100.0, 0.75)), Some(Position::new(0.0, 0.25))], loss: Loss::Linear };
    let o = s.parse("t=mid, f=100").unwrap();
    // loss = 0.75 * 0.5 + 0.25 * 1.0 = 0.625 of total salience 1
    assert!((sp.utility(&s, &o) - 0.375).abs() < 1e-12);
    let tables = sp.additive_tables(&s).unwrap();
    let idx = s.value_indices(&o).unwrap();
    assert!((tables.eval(&idx) - 0.375).abs() < 1e-12);
}

fn two_party() -> Scenario {
    let space =
        OutcomeSpace::new(vec![Issue::ordinal("t", &[("lo", 0.0), ("mid", 50.0), ("hi", 100.0)]), Issue::categorical("c", &["p", "q"])]);
    let sp = |x: f64, c: f64| {
        Preferences::new(Utility::Spatial(Spatial {
            positions: vec![Some(Position::new(x, 0.5)), Some(Position::new(c, 0.5))],
            loss: Loss::Linear,
        }))
    };
    ScenarioDraft {
        meta: Metadata { id: "t".into(), title: "t".into(), ..Default::default() },
        space,
        actors: vec![Actor::party("a", sp(0.0, 0.0)), Actor::party("b", sp(100.0, 1.0))],
        protocol: ProtocolDefaults::default(),
        salience: Default::default(),
        openings: vec![],
        variants: vec![],
    }
    .validate()
    .expect("invariant: a valid scenario")
}

#[test]
fn variants_apply_and_validate() {
    let s = two_party()
        .edited(|s| {
            s.variants.push(Variant {
                id: "drop_lo".into(),
                title: None,
                description: None,
                patches: vec![
                    Patch::Opening(Opening { actor: "a".into(), issue: "t".into(), value: Value::Option(2) }),
                    Patch::ExcludeOptions { issue: "t".into(), options: vec!["lo".into()] },
                    Patch::Required { actor: "b".into(), required: false },
                ],
            });
        })
        .unwrap();
    let v = s.with_variant("drop_lo").unwrap();
    assert_eq!(v.space.cardinality(), Cardinality::Finite(4));
    assert!(!v.actors[1].required);
    assert_eq!(v.openings[0].value, Value::Option(1), "opening re-indexed after the removal");
    assert_eq!(v.meta.id, "t/drop_lo");

    let with = |patch: Patch| {
        s.edited(|s| s.variants.push(Variant { id: "bad".into(), title: None, description: None, patches: vec![patch] })).unwrap_err()
    };
    let e = with(Patch::Capability { actor: "zz".into(), capability: 1.0 });
    assert_eq!(e.to_string(), "variant `bad`: patch 1: unknown actor `zz`; expected one of: a, b");
    assert_eq!(e.first().path.steps(), &[Step::Variant("bad".into()), Step::Patch(0)]);
    let e = with(Patch::Position { actor: "a".into(), issue: "t".into(), ideal: None, salience: Some(1.5) });
    assert_eq!(e.to_string(), "variant `bad`: patch 1: salience on issue `t` 1.5 is out of range: expected a number in [0, 1]");
    assert_eq!(e.first().path.steps(), &[Step::Variant("bad".into()), Step::Patch(0), Step::Field("salience")]);
    let e = with(Patch::ExcludeOptions { issue: "c".into(), options: vec!["p".into()] });
    assert_eq!(e.to_string(), "variant `bad`: patch 1: actor `a`: its ideal option on `c` was removed");
    assert_eq!(s.variant("nope").unwrap_err().to_string(), "unknown variant `nope`; expected one of: drop_lo");
}

#[test]
fn genius_discount_semantics() {
    assert_eq!(Discount::genius(0.0), Discount::None);
    assert_eq!(Discount::genius(1.0), Discount::None);
    assert_eq!(Discount::genius(1.5), Discount::None);
    let d = Discount::genius(0.9);
    assert!((d.apply(0.545, 0.5, 0) - 0.51703).abs() < 1e-5, "worked example of the GENIUS notes");
    assert!((d.apply(1.0, 2.0, 0) - 0.9).abs() < 1e-12, "time is clamped to 1");
    assert!((Discount::PerRound { factor: 0.5 }.apply(1.0, 0.0, 3) - 0.125).abs() < 1e-12);
}

proptest! {
    #[test]
    fn index_outcome_bijection(space in strategies::space(5, 6)) {
        let n = space.cardinality().as_u64().unwrap();
        let mut idx = vec![0u32; space.issues().len()];
        for i in 0..n {
            let o = space.outcome_at(i).unwrap();
            prop_assert_eq!(space.index_of(&o), Some(i));
            prop_assert!(space.value_indices_at(i, &mut idx));
            prop_assert_eq!(space.value_indices(&o).unwrap(), idx.clone());
        }
        prop_assert!(space.outcome_at(n).is_none());
        prop_assert_eq!(space.iter().count() as u64, n);
    }

    #[test]
    fn normalised_linear_additive_in_unit_interval((space, la) in strategies::space(4, 5).prop_flat_map(|s| { let la = strategies::linear_additive(&s); (Just(s), la) })) {
        let tables = la.additive_tables(&space).unwrap();
        for (i, o) in space.iter().enumerate() {
            let u = la.utility(&space, &o);
            prop_assert!((0.0..=1.0 + 1e-12).contains(&u), "u = {u}");
            let mut idx = vec![0u32; space.issues().len()];
            space.value_indices_at(i as u64, &mut idx);
            prop_assert!((tables.eval(&idx) - u).abs() < 1e-12);
        }
    }

    #[test]
    fn spatial_utility_in_unit_interval_and_tables_agree((space, sp) in strategies::space(4, 5).prop_flat_map(|s| { let sp = strategies::spatial(&s); (Just(s), sp) })) {
        let tables = sp.additive_tables(&space).unwrap();
        for (i, o) in space.iter().enumerate() {
            let u = sp.utility(&space, &o);
            prop_assert!((-1e-12..=1.0 + 1e-12).contains(&u));
            let mut idx = vec![0u32; space.issues().len()];
            space.value_indices_at(i as u64, &mut idx);
            prop_assert!((tables.eval(&idx) - u).abs() < 1e-12);
        }
    }

    /// Any patch either yields a valid scenario or an error; never an invalid scenario.
    #[test]
    fn variants_never_produce_invalid_scenarios(
        scenario in strategies::scenario(4, 3, 4),
        actor in 0usize..6, issue in 0usize..4,
        ideal in -50.0f64..150.0, salience in -0.5f64..1.5, cap in -10.0f64..10.0, res in -1.0f64..2.0,
        which in 0u8..5,
    ) {
        let mut s = scenario.into_draft();
        let a = s.actors.get(actor).map_or("ghost".to_string(), |a| a.id.clone());
        let i = s.space.issues().get(issue).map_or("ghost".to_string(), |i| i.id.clone());
        let patch = match which {
            0 => Patch::Position { actor: a, issue: i, ideal: Some(ideal), salience: Some(salience) },
            1 => Patch::Capability { actor: a, capability: cap },
            2 => Patch::Reservation { actor: a, reservation: Reservation::Value(res) },
            3 => Patch::Required { actor: a, required: false },
            _ => Patch::ExcludeOptions { issue: i, options: vec!["c0".into(), "o0".into()] },
        };
        s.variants.push(Variant { id: "v".into(), title: None, description: None, patches: vec![patch] });
        // The only way to a scenario is validation: a variant that applies gives one whose
        // draft validates again.
        if let Ok(s) = s.validate() {
            let v = s.with_variant("v").unwrap();
            prop_assert!(v.into_draft().validate().is_ok());
        }
    }
}

#[test]
fn last_real_grid_point_is_max_exactly_and_admitted() {
    // 0.3 + (0.9 − 0.3) rounds to 0.9000000000000001 in f64, past max.
    let (lo, hi) = (std::hint::black_box(0.3f64), std::hint::black_box(0.9f64));
    assert!(lo + (hi - lo) > hi);
    let issue = detente_core::Issue::real("x", lo, hi, Some(4));
    let last = issue.value_at(3).expect("grid point");
    assert_eq!(last, detente_core::Value::Real(0.9));
    assert!(issue.admits(&last));
}

fn position_mut(s: &mut ScenarioDraft, actor: usize, issue: usize) -> &mut Position {
    let Utility::Spatial(sp) = &mut s.actors[actor].preferences.utility else { panic!("spatial") };
    sp.positions[issue].as_mut().expect("a position")
}

/// `a` states a triangular ideal and a normal salience on `t`, `b` a uniform capability.
fn two_party_with_spreads() -> Scenario {
    two_party()
        .edited(|s| {
            position_mut(s, 0, 0).ideal_spread = Some(Spread::Triangular { lo: 0.0, mode: 10.0, hi: 40.0 });
            position_mut(s, 0, 0).salience_spread = Some(Spread::Normal { sd: 0.1 });
            s.actors[1].capability_spread = Some(Spread::Uniform { lo: 0.5, hi: 3.0 });
        })
        .unwrap()
}

#[test]
fn spreads_are_validated_with_the_file_keys_wording() {
    let s = two_party_with_spreads();
    let cases = [
        (Spread::Uniform { lo: 10.0, hi: 40.0 }, "actor `a`: on issue `t`: `ideal_range` [10, 40] must contain the stated ideal 0"),
        (Spread::Uniform { lo: 0.0, hi: 140.0 }, "actor `a`: on issue `t`: `ideal_range` [0, 140] must satisfy lo ≤ hi within [0, 100]"),
        (
            Spread::Triangular { lo: 0.0, mode: 50.0, hi: 40.0 },
            "actor `a`: on issue `t`: `ideal_mode` 50 must lie within `ideal_range` [0, 40]",
        ),
        (Spread::Normal { sd: -1.0 }, "actor `a`: on issue `t`: `ideal_sd` -1 is out of range: expected a number ≥ 0"),
    ];
    for (spread, message) in cases {
        let e = s.edited(|bad| position_mut(bad, 0, 0).ideal_spread = Some(spread)).unwrap_err();
        assert_eq!(e.to_string(), message);
        let steps = [Step::Actor("a".into()), Step::Field("preferences"), Step::Field("positions"), Step::Key("t".into())];
        assert_eq!(e.first().path.steps(), &steps);
    }
    let e = s.edited(|bad| position_mut(bad, 0, 1).ideal_spread = Some(Spread::Normal { sd: 0.0 })).unwrap_err();
    assert_eq!(e.to_string(), "actor `a`: issue `c` is categorical: it has no scale to vary a position on");
    let e = s.edited(|bad| bad.actors[1].capability_spread = Some(Spread::Uniform { lo: 2.0, hi: 3.0 })).unwrap_err();
    assert_eq!(e.to_string(), "actor `b`: `capability_range` [2, 3] must contain the stated capability 1");
}

#[test]
fn a_patch_that_moves_a_value_moves_its_spread_along() {
    let s = two_party_with_spreads()
        .edited(|s| {
            s.variants.push(Variant {
                id: "move".into(),
                title: None,
                description: None,
                patches: vec![
                    Patch::Position { actor: "a".into(), issue: "t".into(), ideal: Some(80.0), salience: Some(0.9) },
                    Patch::Capability { actor: "b".into(), capability: 2.0 },
                ],
            });
        })
        .unwrap();
    let mut v = s.with_variant("move").unwrap().into_draft();
    // shifted by +80, clipped to the 0–100 scale: still contains the new ideal
    assert_eq!(position_mut(&mut v, 0, 0).ideal_spread, Some(Spread::Triangular { lo: 80.0, mode: 90.0, hi: 100.0 }));
    assert_eq!(position_mut(&mut v, 0, 0).salience_spread, Some(Spread::Normal { sd: 0.1 }));
    assert_eq!(v.actors[1].capability_spread, Some(Spread::Uniform { lo: 1.5, hi: 4.0 }));
    // the other actor's spreads (none) and positions are untouched
    assert_eq!(position_mut(&mut v, 1, 0).ideal_spread, None);
}

// ---------------------------------------------------------------- counts and indices that do not fit

#[test]
fn an_integer_range_over_all_of_i64_is_counted_exactly_and_refused() {
    let issue = Issue::integer("n", i64::MIN, i64::MAX, 1);
    // 2^64 values: once this wrapped to 0 and the issue validated as empty.
    assert_eq!(issue.value_count(), Some(1u128 << 64));
    assert_eq!(issue.cardinality(), Some(u64::MAX), "saturates, never wraps");
    assert_eq!(OutcomeSpace::new(vec![issue.clone()]).cardinality(), Cardinality::Finite(1u128 << 64));
    assert_eq!(
        issue.validate().unwrap_err().to_string(),
        "issue `n`: 18446744073709551616 values (integers -9223372036854775808..=9223372036854775807 in steps of 1) are too many: \
         expected at most 4294967295 (value indices are 32-bit); narrow the range or take a larger step"
    );
    // The product of two such issues stays exact in u128 (or says Huge), never wraps.
    let s = OutcomeSpace::new(vec![Issue::integer("a", 0, 1 << 40, 1), Issue::integer("b", 0, 1 << 40, 1)]);
    assert_eq!(s.cardinality(), Cardinality::Finite(((1u128 << 40) + 1) * ((1u128 << 40) + 1)));
    // A wide range with a large step: values are computed without overflowing i64.
    let wide = Issue::integer("w", i64::MIN, i64::MAX, 1 << 33);
    wide.validate().expect("2^31 values");
    let last = wide.value_at((1u32 << 31) - 1).unwrap();
    assert_eq!(last, Value::Int((i128::from(i64::MIN) + (1i128 << 33) * ((1i128 << 31) - 1)) as i64));
    assert_eq!(wide.index_of(&last), Some((1u32 << 31) - 1));
}

#[test]
fn value_indices_beyond_u32_are_refused_not_wrapped() {
    // 2^32 + 5 values: index 2^32 + 3 would be cast to 3.
    let issue = Issue::integer("n", 0, (1i64 << 32) + 4, 1);
    assert_eq!(issue.cardinality(), Some((1u64 << 32) + 5));
    assert!(issue.validate().unwrap_err().to_string().starts_with("issue `n`: 4294967301 values (integers 0..=4294967300"));
    assert_eq!(issue.index_of(&Value::Int((1i64 << 32) + 3)), None, "no index, not index 3");
    assert_eq!(issue.index_of(&Value::Int(3)), Some(3));
    assert!(!issue.admits(&Value::Int((1i64 << 32) + 3)));
    let space = OutcomeSpace::new(vec![issue.clone()]);
    let mut idx = [0u32];
    assert!(!space.value_indices_at((1u64 << 32) + 3, &mut idx), "a digit beyond u32 is refused");
    assert_eq!(space.iter().next(), None, "an invalid space is not iterated with wrapping indices");
    let lin = LinearAdditive { bias: 0.0, weights: vec![1.0], values: vec![ValueFunction::Table(vec![0.0; 5])], clamp: None };
    assert_eq!(lin.additive_tables(&space), None, "no tables over truncated indices");
    // Exactly u32::MAX values is the most a valid issue has.
    Issue::integer("m", 1, i64::from(u32::MAX), 1).validate().expect("u32::MAX values");
    assert!(Issue::integer("m", 0, i64::from(u32::MAX), 1).validate().is_err());
}

#[test]
fn a_real_issue_with_a_grid_admits_grid_points_only_and_names_the_nearest() {
    let space = OutcomeSpace::new(vec![Issue::real("flow", 1.0, 3.0, Some(5)), Issue::real("free", 0.0, 1.0, None)]);
    let flow = &space.issues()[0];
    // On the grid (within 1e-9 relative), and snapped to the grid point.
    assert_eq!(space.parse("flow=1.5, free=0.3").unwrap().0[0], Value::Real(1.5));
    assert_eq!(space.parse("flow=2.0000000001, free=0.3").unwrap().0[0], Value::Real(2.0));
    assert_eq!(space.parse("flow=3, free=0.3").unwrap().0[0], Value::Real(3.0));
    // Off the grid: refused (it once scored as 0 on a grid table), with the nearest grid values.
    assert_eq!(
        space.parse("flow=1.7, free=0.3").unwrap_err().to_string(),
        "value `1.7` is not valid for issue `flow`: expected a point of the issue's grid of 5 evenly spaced values from 1 to 3 \
         (the nearest are 1.5 and 2)"
    );
    assert_eq!(
        space.parse("flow=3.2, free=0.3").unwrap_err().to_string(),
        "value `3.2` is not valid for issue `flow`: expected a point of the issue's grid of 5 evenly spaced values from 1 to 3 \
         (the nearest is 3)"
    );
    assert_eq!(
        space.parse("flow=0, free=0.3").unwrap_err().to_string(),
        "value `0` is not valid for issue `flow`: expected a point of the issue's grid of 5 evenly spaced values from 1 to 3 \
         (the nearest is 1)"
    );
    assert!(!flow.admits(&Value::Real(1.7)));
    assert!(flow.admits(&Value::Real(2.5)));
    // A continuous issue admits anything finite in range.
    assert!(space.issues()[1].admits(&Value::Real(0.123)));
    assert_eq!(
        space.parse("flow=2, free=1.5").unwrap_err().to_string(),
        "value `1.5` is not valid for issue `free`: expected a number in [0, 1]"
    );
    // The reservation check is the same rule, with the same words.
    let space1 = OutcomeSpace::new(vec![Issue::real("flow", 1.0, 3.0, Some(5)), Issue::real("x", 0.0, 1.0, Some(2))]);
    let tables = vec![ValueFunction::Table(vec![0.0, 0.25, 0.5, 0.75, 1.0]), ValueFunction::Table(vec![0.0, 1.0])];
    let mut p =
        Preferences::new(Utility::LinearAdditive(LinearAdditive { bias: 0.0, weights: vec![1.0, 0.0], values: tables, clamp: None }));
    p.reservation = Reservation::Outcome(Outcome(vec![Value::Real(1.5), Value::Real(1.0)]));
    p.validate(&space1).expect("on the grid");
    p.reservation = Reservation::Outcome(Outcome(vec![Value::Real(1.7), Value::Real(1.0)]));
    assert_eq!(
        p.validate(&space1).unwrap_err().to_string(),
        "value `1.7` is not valid for issue `flow`: expected a point of the issue's grid of 5 evenly spaced values from 1 to 3 \
         (the nearest are 1.5 and 2)"
    );
    // Grid lookups agree with value_at on every point, including a large grid.
    let big = Issue::real("b", -0.3, 0.9, Some(1_000_001));
    for i in [0u32, 1, 2, 499_999, 500_000, 999_999, 1_000_000] {
        assert_eq!(big.index_of(&big.value_at(i).unwrap()), Some(i));
    }
}

#[test]
fn additive_tables_say_where_a_sum_overflows_even_under_a_clamp() {
    let t =
        AdditiveTables { bias: 0.0, tables: vec![vec![0.0, 1e308 * 1.5], vec![0.0, 1e308 * 1.5]], clamp: Some((f64::NEG_INFINITY, 1.0)) };
    assert_eq!(t.eval(&[1, 1]), 1.0, "the clamp hides the overflow");
    assert_eq!(t.non_finite(), Some((vec![1, 1], f64::INFINITY)));
    let t = AdditiveTables { bias: 0.0, tables: vec![vec![-1e308, 0.0], vec![0.0, -1e308]], clamp: None };
    assert_eq!(t.non_finite(), Some((vec![0, 1], f64::NEG_INFINITY)));
    let t = AdditiveTables { bias: 0.5, tables: vec![vec![0.0, f64::NAN]], clamp: None };
    assert!(matches!(t.non_finite(), Some((ref i, x)) if i == &[1] && x.is_nan()));
    let t = AdditiveTables { bias: 0.5, tables: vec![vec![0.0, 1e308], vec![0.0, 0.5]], clamp: None };
    assert_eq!(t.non_finite(), None);
}

#[test]
fn an_opening_text_is_a_complete_outcome_of_the_space_checked_at_protocol_opening_text() {
    let s = two_party();
    // a complete outcome within every issue's values is accepted
    let ok = s.edited(|d| d.protocol.opening_text = Some(Outcome(vec![Value::Option(1), Value::Option(0)]))).unwrap();
    assert_eq!(ok.protocol.opening_text, Some(Outcome(vec![Value::Option(1), Value::Option(0)])));
    // a partial outcome is refused at `protocol › opening_text`
    let e = s.edited(|d| d.protocol.opening_text = Some(Outcome(vec![Value::Option(1)]))).unwrap_err();
    assert_eq!(e.first().path.steps(), &[Step::Field("protocol"), Step::Field("opening_text")]);
    assert!(e.to_string().contains("one value for every issue"), "{e}");
    // a value outside the issue's options is refused at the issue's key
    let e = s.edited(|d| d.protocol.opening_text = Some(Outcome(vec![Value::Option(3), Value::Option(0)]))).unwrap_err();
    assert_eq!(e.first().path.steps(), &[Step::Field("protocol"), Step::Field("opening_text"), Step::Key("t".into())]);
    assert_eq!(e.len(), 1);
    // a variant that removes options re-indexes the opening text, or refuses to remove the one it uses
    let dropping = |option: &str| {
        ok.edited(|d| {
            d.variants.push(Variant {
                id: format!("drop_{option}"),
                title: None,
                description: None,
                patches: vec![Patch::ExcludeOptions { issue: "t".into(), options: vec![option.into()] }],
            })
        })
    };
    let s = dropping("lo").unwrap();
    assert_eq!(s.with_variant("drop_lo").unwrap().protocol.opening_text, Some(Outcome(vec![Value::Option(0), Value::Option(0)])));
    let e = dropping("mid").unwrap_err();
    assert!(e.to_string().contains("opening text ([protocol] opening_text) uses an option removed from `t`"), "{e}");
}

// ---------------------------------------------------------------- limits (issue #11)

fn spatial_party(id: &str) -> Actor {
    Actor::party(id, Preferences::new(Utility::Spatial(Spatial { positions: vec![Some(Position::new(50.0, 1.0))], loss: Loss::Linear })))
}

#[test]
fn an_issue_with_100k_options_validates_in_linear_time() {
    // Before: each option was compared with every earlier one (60 s for 100k options).
    let ids: Vec<String> = (0..100_000).map(|i| format!("o{i}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let issue = Issue::categorical("a", &refs);
    issue.validate().unwrap();
    assert_eq!(issue.option_lookup().get("o99999"), Some(&99_999));
    // A duplicate is still found, at its own index.
    let mut refs = refs;
    refs.push("o5");
    let e = Issue::categorical("a", &refs).validate().unwrap_err();
    assert!(e.to_string().contains("duplicate option id `o5`"), "{e}");
    assert_eq!(e.into_iter().count(), 1);
}

#[test]
fn many_actors_are_refused_before_any_lens_allocates_for_them() {
    let space = OutcomeSpace::new(vec![Issue::integer("a", 0, 100, 1)]);
    let actors = |n: usize| (0..n).map(|i| spatial_party(&format!("p{i}"))).collect::<Vec<_>>();
    ScenarioDraft::new("ok", space.clone(), actors(limits::MAX_ACTORS)).validate().unwrap();
    // Before: `study` aborted allocating 2.6 GB for 5,000 actors.
    let e = ScenarioDraft::new("big", space, actors(5_000)).validate().unwrap_err();
    assert!(e.to_string().contains(&format!("5000 actors are too many: expected at most {}", limits::MAX_ACTORS)), "{e}");
}

#[test]
fn a_value_on_a_large_real_grid_is_found_arithmetically() {
    // A grid of 4·10^9 points: a scan would take seconds per lookup, the arithmetic is instant.
    let issue = Issue::real("x", 0.0, 1.0, Some(4_000_000_000));
    for i in [0u32, 1, 1_999_999_999, 3_999_999_999] {
        let v = issue.value_at(i).unwrap();
        assert_eq!(issue.index_of(&v), Some(i));
    }
}

proptest! {
    /// The tie rule against a brute-force oracle: sort by score, then index, and take the first.
    #[test]
    fn argmax_and_argmin_break_ties_to_the_lowest_index(
        scores in proptest::collection::vec(prop_oneof![0u8..4, Just(255u8)], 0..12),
        shift in 0usize..12,
    ) {
        use detente_core::select::{argmax, argmin};
        // 255 stands for NaN, which never wins; a rotation makes the iteration order differ from the index order
        let f = |x: u8| if x == 255 { f64::NAN } else { f64::from(x) };
        let mut items: Vec<(usize, f64)> = scores.iter().enumerate().map(|(i, &x)| (i, f(x))).collect();
        let k = shift.min(items.len());
        items.rotate_left(k);
        let finite: Vec<(usize, f64)> = items.iter().copied().filter(|(_, s)| !s.is_nan()).collect();
        let oracle = |desc: bool| {
            let mut v = finite.clone();
            v.sort_by(|a, b| {
                let by = if desc { b.1.total_cmp(&a.1) } else { a.1.total_cmp(&b.1) };
                by.then(a.0.cmp(&b.0))
            });
            v.first().copied()
        };
        prop_assert_eq!(argmax(items.iter().copied()), oracle(true));
        prop_assert_eq!(argmin(items.iter().copied()), oracle(false));
    }
}

proptest! {
    /// A real issue's value lookup decides from three grid points, not a scan of the grid (issue
    /// #11: `grid = 100000` once took 33 s to analyse); it agrees with the scan it replaced —
    /// the closest grid point within `1e-9·(1 + |x|)`, ties to the lowest index — on grid points,
    /// near them and between them.
    #[test]
    fn a_real_grid_lookup_agrees_with_a_scan_of_the_grid(
        min in -1e3f64..1e3, width in 1e-3f64..1e4, g in 1u32..400, k in 0u32..400, nudge in prop_oneof![Just(0.0), -1e-10f64..1e-10, -0.5f64..0.5],
    ) {
        let issue = Issue::real("x", min, min + width, Some(g));
        let k = k % g;
        let Some(Value::Real(point)) = issue.value_at(k) else { panic!("grid point {k}") };
        let step = if g > 1 { width / f64::from(g - 1) } else { 1.0 };
        // a tiny absolute nudge stays on the point; a fraction of a step moves off it
        let x = if nudge.abs() < 1e-9 { point + nudge } else { point + nudge * step };
        let tol = 1e-9 * (1.0 + x.abs());
        let scan = (0..g)
            .filter_map(|i| match issue.value_at(i) { Some(Value::Real(y)) if (y - x).abs() <= tol => Some((i, (y - x).abs())), _ => None })
            .fold(None::<(u32, f64)>, |b, (i, d)| match b { Some((_, bd)) if bd <= d => b, _ => Some((i, d)) })
            .map(|b| b.0);
        prop_assert_eq!(issue.index_of(&Value::Real(x)), scan);
    }
}

#[test]
fn a_real_issue_with_a_hundred_thousand_grid_points_finds_each_one() {
    // Every grid point of a 100,000-point grid is found at its own index: 10^5 lookups, which a
    // scan of the grid would make 10^10 comparisons (issue #11's 33 s `analyze`).
    let issue = Issue::real("x", 0.0, 1.0, Some(100_000));
    for i in 0..100_000 {
        let v = issue.value_at(i).expect("grid point");
        assert_eq!(issue.index_of(&v), Some(i));
    }
}
