fn main() {
    println!("{}", greeting::greet(shout::shout!("nix")));
}
