//! Standard output and standard error for the command line, written without ever panicking.
//!
//! Input: text to show. Output: the text on the stream, and an exit code adjusted for what went wrong on
//! the way (`finish`). `print!` panics when a write fails, so `aoaigen plan | head` or `2>/dev/full` used to
//! end as an internal error; the rules here are:
//! - stdout closed by the reader (`EPIPE`, e.g. `| head`): stop writing to it; the exit code stays the
//!   command's own (a `--check` that found differences still exits 1);
//! - any other stdout failure (`>/dev/full`): the output is incomplete, so the exit code becomes 4;
//! - stderr failures are ignored: there is nowhere left to report them, and the exit code still tells.

use std::io::{self, Write};
use std::sync::Mutex;

/// Why stdout stopped taking output, if it did.
enum Stdout {
    Open,
    Closed,
    Failed(String),
}

static STDOUT: Mutex<Stdout> = Mutex::new(Stdout::Open);

/// Writes `text` to stdout, remembering a failure instead of panicking.
pub fn out(text: &str) {
    let mut state = STDOUT.lock().unwrap_or_else(|e| e.into_inner());
    if !matches!(*state, Stdout::Open) {
        return;
    }
    let mut w = io::stdout().lock();
    if let Err(e) = w.write_all(text.as_bytes()).and_then(|()| w.flush()) {
        *state = if e.kind() == io::ErrorKind::BrokenPipe {
            Stdout::Closed
        } else {
            Stdout::Failed(e.to_string())
        };
    }
}

/// Writes `text` to stderr; a failure is ignored (see the module doc).
pub fn err(text: &str) {
    let mut w = io::stderr().lock();
    let _ = w.write_all(text.as_bytes()).and_then(|()| w.flush());
}

/// The process's exit code: `code`, or `EXIT_IO` when stdout failed for another reason than a closed pipe.
pub fn finish(code: i32) -> i32 {
    let state = STDOUT.lock().unwrap_or_else(|e| e.into_inner());
    match &*state {
        Stdout::Failed(e) => {
            err(&format!(
                "error: cannot write to standard output ({e}); the output is incomplete\n"
            ));
            crate::cli::EXIT_IO
        }
        Stdout::Open | Stdout::Closed => code,
    }
}

/// `print!` that never panics.
macro_rules! out {
    ($($arg:tt)*) => { $crate::console::out(&format!($($arg)*)) };
}

/// `println!` that never panics.
macro_rules! outln {
    ($($arg:tt)*) => { $crate::console::out(&format!("{}\n", format_args!($($arg)*))) };
}

/// `eprint!` that never panics.
macro_rules! err {
    ($($arg:tt)*) => { $crate::console::err(&format!($($arg)*)) };
}

/// `eprintln!` that never panics.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::console::err(&format!("{}\n", format_args!($($arg)*))) };
}
