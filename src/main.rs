//! The `scoreledger` command. A thin layer: parse arguments, call the library,
//! render; errors become exit codes in one place (`cli::exit_code`).

mod answers;
mod cli;
mod serve;

// mimalloc (built without transparent huge pages): the import's parse and
// append threads and the server's workers allocate many small values at
// once; glibc's allocator took a quarter of the server's time and
// contended between the import's threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`,
/// mimalloc.h): how long freed memory is kept before it goes back to the
/// system. mimalloc's default (1 s) took an import's peak memory to about
/// 104 MiB on the English league file; 0 (given back at once) kept it at
/// 67 MiB but had each batch fault its memory in again (115,000 page
/// faults, a quarter of the import's CPU in the kernel). 20 ms keeps the
/// memory of one batch for the next: 40,000-44,000 faults and 83-86 MiB
/// there, and the 10-million-result import 29.3 -> 26.5 s at 128 MiB
/// (BENCHMARKS.md, "The import made lighter").
const PURGE_DELAY: i32 = 15;
/// Milliseconds, for [`PURGE_DELAY`].
const PURGE_AFTER_MS: std::ffi::c_long = 20;

fn main() {
    // SAFETY: a plain setter of one of mimalloc's options, called before
    // any thread starts, with a value in its documented range.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_AFTER_MS) };
    std::process::exit(cli::main());
}
