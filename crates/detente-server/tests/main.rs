//! Tests of `detente serve`'s API, in process (the router driven request by request); the app
//! in a browser is tested from the CLI's tests (`crates/detente-cli/tests/serve.rs`).

mod api;
mod common;
mod games;
