//! Uncertain inputs: the spread an analyst states around an actor's ideal point, salience or
//! capability. The model only carries and validates them; the forecast lens samples them.

use crate::error::ModelError;

/// The uncertainty of one numeric input, stated beside its value (the value stays the point
/// estimate every deterministic lens uses).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spread {
    /// Uniform on `[lo, hi]` (file keys `X_range = [lo, hi]`).
    Uniform {
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// Triangular on `[lo, hi]` with the given mode (`X_range` with `X_mode`).
    Triangular {
        /// Lower end.
        lo: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        hi: f64,
    },
    /// Normal centred on the stated value itself, with standard deviation `sd` (`X_sd`); a sampler
    /// clips draws to the input's valid range.
    Normal {
        /// Standard deviation (≥ 0).
        sd: f64,
    },
}

impl Spread {
    /// Checks the spread of the input `name` (`ideal`, `salience`, `capability`) whose stated value
    /// is `value` and whose valid range is `[min, max]` (`max` may be infinite): the checks of
    /// [`Spread::check_shape`], and a range contains the value. The message names the file keys,
    /// as the scenario format states them.
    pub fn check(&self, name: &str, value: f64, min: f64, max: f64) -> Result<(), ModelError> {
        self.check_shape(name, min, max)?;
        match *self {
            Spread::Uniform { lo, hi } | Spread::Triangular { lo, hi, .. } if !(lo <= value && value <= hi) => {
                Err(ModelError::invalid(format!("`{name}_range` [{lo}, {hi}] must contain the stated {name} {value}")))
            }
            _ => Ok(()),
        }
    }

    /// Checks the spread on its own against the valid range `[min, max]`: a range lies within it
    /// with `lo ≤ hi`, a mode lies within the range, an sd is finite and ≥ 0.
    pub fn check_shape(&self, name: &str, min: f64, max: f64) -> Result<(), ModelError> {
        let valid = if max.is_finite() { format!("[{min}, {max}]") } else { format!("≥ {min}") };
        let inside = |x: f64| x.is_finite() && x >= min && x <= max;
        match *self {
            Spread::Uniform { lo, hi } | Spread::Triangular { lo, hi, .. } if !(inside(lo) && inside(hi) && lo <= hi) => {
                Err(ModelError::invalid(format!("`{name}_range` [{lo}, {hi}] must satisfy lo ≤ hi within {valid}")))
            }
            Spread::Triangular { lo, mode, hi } if !(mode.is_finite() && lo <= mode && mode <= hi) => {
                Err(ModelError::invalid(format!("`{name}_mode` {mode} must lie within `{name}_range` [{lo}, {hi}]")))
            }
            Spread::Normal { sd } if !(sd.is_finite() && sd >= 0.0) => {
                Err(ModelError::invalid(format!("`{name}_sd` {sd} is out of range: expected a number ≥ 0")))
            }
            _ => Ok(()),
        }
    }

    /// The spread of a position stated in an issue's units, on its 0–100 scale: range ends map
    /// through `units` (swapped when the scale is reversed), a standard deviation scales by the
    /// slope's size.
    pub fn on_scale(&self, units: &crate::Units) -> Spread {
        let f = |x: f64| units.to_scale(x);
        let ordered = |a: f64, b: f64| if a <= b { (a, b) } else { (b, a) };
        match *self {
            Spread::Uniform { lo, hi } => {
                let (lo, hi) = ordered(f(lo), f(hi));
                Spread::Uniform { lo, hi }
            }
            Spread::Triangular { lo, mode, hi } => {
                let (lo, hi) = ordered(f(lo), f(hi));
                Spread::Triangular { lo, mode: f(mode).clamp(lo, hi), hi }
            }
            Spread::Normal { sd } => Spread::Normal { sd: sd * units.slope().abs() },
        }
    }

    /// The spread after its value moved by `delta` (a variant patch): a range moves along, clipped
    /// to `[min, max]`, so it still contains a moved value that lies in `[min, max]`; a normal
    /// (centred on the value) is unchanged.
    pub fn shifted(&self, delta: f64, min: f64, max: f64) -> Spread {
        let c = |x: f64| (x + delta).clamp(min, max);
        match *self {
            Spread::Uniform { lo, hi } => Spread::Uniform { lo: c(lo), hi: c(hi) },
            Spread::Triangular { lo, mode, hi } => Spread::Triangular { lo: c(lo), mode: c(mode), hi: c(hi) },
            Spread::Normal { sd } => Spread::Normal { sd },
        }
    }
}
