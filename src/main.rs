//! The `scoreledger` command. A thin layer: parse arguments, call the library,
//! render; errors become exit codes in one place (`cli::exit_code`).

mod cli;
mod serve;

fn main() {
    std::process::exit(cli::main());
}
