//! Integration tests of detente-conflict (one binary).

mod model;
mod properties;
mod stability;
mod vectors;
