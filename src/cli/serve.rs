//! `scoreledger serve`

use std::net::SocketAddr;
use std::path::PathBuf;

use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger serve                          http://127.0.0.1:7878/, read-only
  scoreledger serve --bind 127.0.0.1:0       any free port (printed)
  scoreledger serve --token-file token.txt   also accept writes
  curl -sf 'http://127.0.0.1:7878/api/standings?as_of=1984-12-09'
  curl -sf -H \"Authorization: Bearer $(cat token.txt)\" \\
      --data-binary @results.csv http://127.0.0.1:7878/api/import

The first line on standard output is the address: 'listening on URL'. GET /
is a page to travel through a season. The API answers the CLI's JSON: see the
README's server section. While the server runs, other scoreledger commands on
the same store are refused and name the server. Ctrl-C or SIGTERM stops it
after the requests in flight.";

/// Serve the archive over HTTP: a JSON API and a page.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// Address to listen on (loopback unless you say otherwise).
    #[arg(long, default_value = "127.0.0.1:7878")]
    bind: SocketAddr,
    /// A file holding the bearer token that writes need (one word, at
    /// least 16 characters). Without it the server is read-only. With it,
    /// a missing store is created.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Sign the checkpoints of GET /api/checkpoint with this private key
    /// (`keygen`); their origin is the key's name.
    #[arg(long, value_name = "KEY")]
    sign_key: Option<PathBuf>,
    /// How long a write waits for the write before it (an import can take
    /// minutes); past it the write is refused with 503 and not applied.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    write_wait: f64,
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let signer = a
        .sign_key
        .as_deref()
        .map(super::trust::signer)
        .transpose()?;
    let archive = db.open_serving(a.token_file.is_some())?;
    crate::serve::run(
        crate::serve::Config {
            db: db.to_path_buf(),
            bind: a.bind,
            token_file: a.token_file,
            signer,
            write_wait: Some(write_wait(a.write_wait)?),
        },
        archive,
    )
}

/// `--write-wait`: 0 to 3600 seconds.
fn write_wait(seconds: f64) -> Result<std::time::Duration, Error> {
    if !(0.0..=3600.0).contains(&seconds) {
        return Err(Error::Invalid(
            "--write-wait must be 0 to 3600 seconds".into(),
        ));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}
