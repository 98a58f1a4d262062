use std::io;

// ANCHOR: greet
fn greet(name: &str) {
    println!("Hello, {name}!");
}
// ANCHOR_END: greet

fn main() {
    // ANCHOR: call
    greet("world");
    // ANCHOR_END: call
}
