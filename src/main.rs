use clap::Parser;

fn main() {
    // A panic is a bug in aoaigen, never the user's fault: say so and exit 3, not with Rust's default 101.
    std::panic::set_hook(Box::new(|info| {
        // Not eprintln!: with stderr on a full disk it would panic inside the hook and abort.
        aoaigen::console::err(&format!(
            "internal error: {info}\nthis is a bug in aoaigen; please report it with the spec that triggered it\n"
        ));
    }));
    let cli = aoaigen::cli::Cli::parse();
    let code =
        std::panic::catch_unwind(|| aoaigen::cli::run(cli)).unwrap_or(aoaigen::cli::EXIT_BUG);
    std::process::exit(aoaigen::console::finish(code));
}
