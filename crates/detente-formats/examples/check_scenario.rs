//! Reads a scenario file, prints the error or the scenario written back as TOML.
fn main() {
    for arg in std::env::args().skip(1) {
        match detente_formats::load_path(std::path::Path::new(&arg)) {
            Ok(s) => print!("{}", detente_formats::native::to_toml_string(&s).expect("writes")),
            Err(e) => println!("{e}"),
        }
    }
}
