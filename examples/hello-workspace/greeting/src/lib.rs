//! Greetings, with the target they were built for.
include!(concat!(env!("OUT_DIR"), "/built.rs"));

pub fn greet(name: &str) -> String {
    format!("Hello, {name}! (built for {TARGET})")
}

#[cfg(test)]
mod tests {
    #[test]
    fn greets() {
        assert!(super::greet("Nix").starts_with("Hello, Nix!"));
    }
}
