//! Keys and signed checkpoints, as the commands that check them take them:
//! `--key VKEY`, `--witness WVKEY`, `--quorum K`.

use std::path::Path;

use scoreledger::checkpoint::Checkpoint;
use scoreledger::note::{Note, SignerKey, VerifierKey};
use scoreledger::Error;

/// Who must have signed a checkpoint.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct TrustArgs {
    /// The log's verifier key (NAME+KEYID+KEY, or a file holding it): the
    /// checkpoint must be signed by it, for its own origin.
    #[arg(long, value_name = "VKEY")]
    key: Option<String>,
    /// A witness's verifier key (or a file holding it); repeat for more.
    #[arg(long = "witness", value_name = "WVKEY")]
    witnesses: Vec<String>,
    /// How many of the --witness keys must have cosigned (default: all).
    #[arg(long, value_name = "K", requires = "witnesses")]
    quorum: Option<usize>,
}

impl TrustArgs {
    /// Trust in one log key only.
    pub fn with_key(key: &str) -> TrustArgs {
        TrustArgs {
            key: Some(key.to_string()),
            ..Default::default()
        }
    }
}

/// A key given as its text, or as a file holding it.
fn key_text(given: &str, what: &str) -> Result<String, Error> {
    let path = Path::new(given);
    if !given.contains('+') || path.is_file() {
        return super::read_file(path, what);
    }
    Ok(given.to_string())
}

/// Parses a verifier key given as text or file.
pub fn verifier(given: &str) -> Result<VerifierKey, Error> {
    let text = key_text(given, "verifier key")?;
    VerifierKey::parse(&text).map_err(|e| Error::Invalid(format!("{given}: {e}")))
}

/// Reads a private key file.
pub fn signer(path: &Path) -> Result<SignerKey, Error> {
    let text = super::read_file(path, "private key")?;
    SignerKey::parse(&text).map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))
}

/// Reads a checkpoint note and checks it against the trust asked for: the
/// log's signature for its origin, and a quorum of witness cosignatures.
pub fn checkpoint(path: &Path, trust: &TrustArgs) -> Result<(Checkpoint, Note), Error> {
    let text = super::read_file(path, "checkpoint")?;
    let note =
        Note::parse(&text).map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
    let cp = Checkpoint::parse(&note.text)
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
    let fail = |msg: String| Error::Failed(format!("{}: {msg}", path.display()));
    if let Some(k) = &trust.key {
        let key = verifier(k)?;
        if key.name != cp.origin {
            return Err(fail(format!(
                "the checkpoint is of origin '{}', the key signs for '{}'",
                cp.origin, key.name
            )));
        }
        note.signed_by(&key).map_err(fail)?;
    }
    if !trust.witnesses.is_empty() {
        let keys = trust
            .witnesses
            .iter()
            .map(|w| verifier(w))
            .collect::<Result<Vec<_>, _>>()?;
        let quorum = trust.quorum.unwrap_or(keys.len());
        let good = keys.iter().filter(|k| note.cosigned_by(k).is_ok()).count();
        if good < quorum {
            return Err(fail(format!(
                "{good} of the {} witnesses cosigned it; {quorum} are needed",
                keys.len()
            )));
        }
    }
    Ok((cp, note))
}
