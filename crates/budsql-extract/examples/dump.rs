//! Prints what `extract` makes of a file: `cargo run -p budsql-extract --example dump -- FILE`.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_default();
    match budsql_extract::extract(&bytes, std::path::Path::new(&path), &Default::default()) {
        Ok(doc) => println!("{doc:#?}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
