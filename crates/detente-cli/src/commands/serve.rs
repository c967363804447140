//! `detente serve`: the web app and its API on a local port (`detente-server`); this command
//! only opens the catalog, binds the address, prints the URL and waits for Ctrl-C.

use crate::load::Failure;
use detente_server::{router, Catalog, Limits, State};
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

/// `detente serve [PATH] [--host H] [--port P]`.
pub(crate) fn run(path: Option<&Path>, host: IpAddr, port: u16) -> Result<(), Failure> {
    let limits = Limits::default();
    let catalog = Catalog::new(path, limits.uploads).map_err(|e| Failure::Input(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Input(format!("cannot start the server's runtime: {e}")))?;
    runtime.block_on(async move {
        let addr = SocketAddr::new(host, port);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| Failure::Input(format!("cannot listen on {addr}: {e}")))?;
        let bound = listener.local_addr().map_err(|e| Failure::Input(format!("cannot listen on {addr}: {e}")))?;
        if !host.is_loopback() {
            eprintln!(
                "warning: listening on {host}, not loopback: anyone who can reach this machine can use the server (it has no accounts and no TLS)"
            );
        }
        // the URL on stdout, alone on its line, so that a script (or a test) can read it; a
        // reader that goes away after reading it does not stop the server
        {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "detente serve: http://{bound}/\nCtrl-C stops it.");
            let _ = out.flush();
        }
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        detente_server::serve(listener, router(State::new(catalog, limits)), shutdown)
            .await
            .map_err(|e| Failure::Input(format!("the server stopped: {e}")))
    })
}
