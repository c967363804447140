//! Forecasts in the issue's own units: positions are stated in units, the models compute on the
//! 0–100 scale, and every number comes back in units with the point on the scale beside it.

use detente_forecast::eu::EuPreset;
use detente_forecast::{forecast_scenario, Model};

/// An oil price issue from 10 to 15 (`scale` as given) and a four-option ordinal issue.
fn oil(scale: &str, ideals: [f64; 3], range: [f64; 2]) -> detente_core::Scenario {
    let text = format!(
        "format = 2\nid = \"oil\"\ntitle = \"oil\"\n\
         [[issues]]\nid = \"price\"\nkind = \"real\"\nmin = 10\nmax = 15\n{scale}\n\
         [[actors]]\nid = \"a\"\ncapability = 10\n[actors.preferences]\ntype = \"spatial\"\npositions.price = {{ ideal = {}, salience = 1, ideal_range = [{}, {}] }}\n\
         [[actors]]\nid = \"b\"\ncapability = 20\n[actors.preferences]\ntype = \"spatial\"\npositions.price = {{ ideal = {}, salience = 0.8 }}\n\
         [[actors]]\nid = \"c\"\ncapability = 15\n[actors.preferences]\ntype = \"spatial\"\npositions.price = {{ ideal = {}, salience = 0.6 }}\n",
        ideals[0], range[0], range[1], ideals[1], ideals[2]
    );
    detente_formats::native::from_toml_str(&text, "oil.toml").unwrap()
}

#[test]
fn every_forecast_number_is_in_units_with_the_scale_beside_the_point() {
    let s = oil("", [13.9, 11.0, 12.0], [13.0, 15.0]);
    let r = forecast_scenario(&s, &Model::Eu(EuPreset::ScholzCode.params()), Some(200), 7).unwrap();
    // the c·s weighted mean, by hand in units: (10·1·13.9 + 20·0.8·11 + 15·0.6·12) / (10 + 16 + 9)
    let mean = (139.0 + 176.0 + 108.0) / 35.0;
    let m = &r.mean.issues[0];
    assert!((m.value - mean).abs() < 1e-12, "{}", m.value);
    assert!((m.scale_value - (mean - 10.0) * 20.0).abs() < 1e-9, "{}", m.scale_value);
    // the model's trajectory starts at the stated positions, in units, and its final point and
    // round statistics are in units too
    let f = &r.forecast.issues[0];
    let tr = f.trajectory.as_ref().unwrap();
    for (x, want) in tr.rounds[0].iter().zip([13.9, 11.0, 12.0]) {
        assert!((x - want).abs() < 1e-12, "{x} vs {want}");
    }
    let stats = f.round_stats.as_ref().unwrap();
    assert!((stats.mean[0] - mean).abs() < 1e-9, "{}", stats.mean[0]);
    assert!((10.0..=15.0).contains(&f.value) && (f.scale_value - (f.value - 10.0) * 20.0).abs() < 1e-9);
    // the Monte Carlo samples the stated range [13, 15] (in units) and reports in units
    let mc = r.monte_carlo.as_ref().unwrap();
    for (_, q) in &mc.issues[0].quantiles {
        assert!((10.0..=15.0).contains(q), "{q}");
    }
    assert_eq!(mc.issues[0].deterministic, f.value);
}

#[test]
fn forecasts_do_not_depend_on_the_units_only_on_the_scale() {
    // the same actors on the same scale places, stated in two different units: the same
    // forecast on the scale; in units, each maps to its own issue
    let a = oil("", [13.9, 11.0, 12.0], [13.0, 15.0]);
    let b = oil("scale = [100, 0]", [11.1, 14.0, 13.0], [10.0, 12.0]);
    for model in [Model::Mean, Model::Median, Model::Eu(EuPreset::ScholzCode.params()), Model::Smp(Default::default())] {
        let (fa, fb) = (forecast_scenario(&a, &model, None, 1).unwrap(), forecast_scenario(&b, &model, None, 1).unwrap());
        let (x, y) = (&fa.forecast.issues[0], &fb.forecast.issues[0]);
        assert!((x.scale_value - y.scale_value).abs() < 1e-9, "{}: {} vs {}", model.name(), x.scale_value, y.scale_value);
        assert!((x.value - (10.0 + x.scale_value / 20.0)).abs() < 1e-9, "{}", model.name());
        assert!((y.value - (15.0 - y.scale_value / 20.0)).abs() < 1e-9, "{}", model.name());
    }
}
