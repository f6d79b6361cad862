// Templates are embedded with include_dir!, which cargo cannot see through: rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=templates");
}
