// Writes a source file into OUT_DIR, as real build scripts do.
use std::{env, fs, path::Path};

fn main() {
    let out = env::var("OUT_DIR").unwrap();
    let target = env::var("TARGET").unwrap();
    fs::write(
        Path::new(&out).join("built.rs"),
        format!("pub const TARGET: &str = {target:?};\n"),
    )
    .unwrap();
    println!("cargo:rerun-if-changed=build.rs");
}
