//! Integration tests of detente-conflict (one binary).

mod model;
mod vectors;
