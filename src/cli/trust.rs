//! Keys and signed checkpoints, as the commands that check them take them:
//! `--key VKEY`, `--witness WVKEY`, `--quorum K`.

use std::path::Path;

use scoreledger::integrity::checkpoint::Checkpoint;
use scoreledger::integrity::note::{Note, SignerKey, VerifierKey};
use scoreledger::Error;

/// Who must have signed a checkpoint.
#[derive(clap::Args, Clone, Debug, Default)]
pub(super) struct TrustArgs {
    /// The log's verifier key (NAME+KEYID+KEY, or a file holding it): the
    /// checkpoint must be signed by it, for its own origin.
    #[arg(long, value_name = "VKEY")]
    key: Option<String>,
    /// A witness's verifier key (or a file holding it); repeat for more.
    #[arg(long = "witness", value_name = "WVKEY")]
    witnesses: Vec<String>,
    /// How many of the --witness keys must have cosigned (default: all); at least 1.
    #[arg(long, value_name = "K", requires = "witnesses", value_parser = quorum)]
    quorum: Option<usize>,
}

impl TrustArgs {
    /// Trust in one log key only.
    pub(super) fn with_key(key: &str) -> TrustArgs {
        TrustArgs {
            key: Some(key.to_string()),
            ..Default::default()
        }
    }
}

/// A quorum: 1 or more (0 would accept a checkpoint no witness cosigned).
fn quorum(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err(
            "a quorum of 0 would accept a checkpoint no witness cosigned; give 1 or more".into(),
        ),
        Ok(k) => Ok(k),
        Err(_) => Err(format!("'{s}' is not a number of witnesses")),
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
pub(super) fn verifier(given: &str) -> Result<VerifierKey, Error> {
    let text = key_text(given, "verifier key")?;
    VerifierKey::parse(&text).map_err(|e| Error::Invalid(format!("{given}: {e}")))
}

/// Reads a private key file.
pub(super) fn signer(path: &Path) -> Result<SignerKey, Error> {
    let text = super::read_file(path, "private key")?;
    SignerKey::parse(&text).map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))
}

/// Reads a checkpoint note and checks it against the trust asked for: the
/// log's signature for its origin, and a quorum of witness cosignatures.
pub(super) fn checkpoint(path: &Path, trust: &TrustArgs) -> Result<(Checkpoint, Note), Error> {
    let text = super::read_file(path, "checkpoint")?;
    checked(&text, &path.display().to_string(), trust)
}

/// A checkpoint note (from `source`, named in messages) checked against the
/// trust asked for: signed by the log's key for the key's own origin (a
/// key that signs for two logs does not make one the other), and
/// cosigned by a quorum of distinct witnesses.
pub(super) fn checked(
    text: &str,
    source: &str,
    trust: &TrustArgs,
) -> Result<(Checkpoint, Note), Error> {
    let note = Note::parse(text).map_err(|e| Error::Invalid(format!("{source}: {e}")))?;
    let cp = Checkpoint::parse(&note.text).map_err(|e| Error::Invalid(format!("{source}: {e}")))?;
    let fail = |msg: String| Error::Failed(format!("{source}: {msg}"));
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
        let keys = witnesses(&trust.witnesses)?;
        let quorum = trust.quorum.unwrap_or(keys.len());
        if quorum > keys.len() {
            return Err(Error::Invalid(format!(
                "--quorum {quorum} cannot be met by {} witness key{}",
                keys.len(),
                if keys.len() == 1 { "" } else { "s" }
            )));
        }
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

/// The --witness keys, each a distinct witness: the same public key given
/// twice (under one name or two) would count one witness twice.
fn witnesses(given: &[String]) -> Result<Vec<VerifierKey>, Error> {
    let mut keys: Vec<VerifierKey> = Vec::new();
    for w in given {
        let k = verifier(w)?;
        if let Some(same) = keys.iter().find(|o| o.key == k.key) {
            return Err(Error::Invalid(format!(
                "--witness {} and --witness {} are the same witness key; each witness counts once",
                same.to_text(),
                k.to_text()
            )));
        }
        keys.push(k);
    }
    Ok(keys)
}
