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
/// mimalloc.h): 0 gives freed memory back at once, which keeps an import's
/// peak memory where glibc's was (about 75 MiB on the English league file,
/// instead of 110).
const PURGE_DELAY: i32 = 15;

fn main() {
    // SAFETY: a plain setter of one of mimalloc's options, called before
    // any thread starts, with a value in its documented range.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
    std::process::exit(cli::main());
}
