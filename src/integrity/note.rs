//! Signed notes (C2SP signed-note), Ed25519 keys in their text forms, and
//! witness cosignatures (C2SP tlog-cosignature, `cosignature/v1`). Pure: no
//! clock (a cosignature's time is passed in), no files, no randomness (a key
//! is made from a seed the caller draws).
//!
//! ```text
//! scoreledger.local/archive          the note's text (a checkpoint body)
//! 23
//! Yv2i57olARrRzRFi+5HqZjERmprlU/OLbkxfC4MGDh8=
//!                                    a blank line
//! — scoreledger.local/archive AbCd...   one line per signature: name, base64(key id || signature)
//! ```
//!
//! Keys: a verifier key is `NAME+KEYID+base64(TYPE || public key)`, a
//! signer key `PRIVATE+KEY+NAME+KEYID+base64(TYPE || seed)`, TYPE 0x01 for a
//! log's note signatures and 0x04 for a witness's cosignatures; the key id
//! is the first 4 bytes of SHA-256(NAME || "\n" || TYPE || public key).
//! `schema/notes.md` has the formats and known-answer vectors.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use sha2::{Digest, Sha256};

/// Signature type of an Ed25519 note signature.
pub const ED25519: u8 = 0x01;
/// Signature type of an Ed25519 `cosignature/v1`.
pub const COSIGNATURE_V1: u8 = 0x04;
/// The dash that starts a signature line (U+2014 EM DASH).
const DASH: &str = "\u{2014} ";

/// A key name: non-empty, no spaces, no `+`, printable.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty()
        || name
            .chars()
            .any(|c| c.is_whitespace() || c == '+' || c.is_control())
    {
        return Err(format!(
            "'{name}' is not a key name: it must be one word without '+' or spaces"
        ));
    }
    Ok(())
}

/// The key id: SHA-256(name || "\n" || type || public key)[..4].
pub fn key_id(name: &str, kind: u8, public: &[u8; 32]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([kind]);
    h.update(public);
    let d = h.finalize();
    [d[0], d[1], d[2], d[3]]
}

/// A public key and the name it signs under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifierKey {
    /// The name the key signs under (a log's origin, or a witness's name).
    pub name: String,
    /// The signature type: [`ED25519`] for a log's notes, [`COSIGNATURE_V1`]
    /// for a witness's.
    pub kind: u8,
    /// The key id: the first 4 bytes of SHA-256(name, a newline, type, public key).
    pub id: [u8; 4],
    /// The Ed25519 public key.
    pub key: VerifyingKey,
}

/// A private key (an Ed25519 seed) and its name.
pub struct SignerKey {
    /// The name the key signs under.
    pub name: String,
    /// The signature type: [`ED25519`] or [`COSIGNATURE_V1`].
    pub kind: u8,
    /// The key id, as for its [`VerifierKey`].
    pub id: [u8; 4],
    key: SigningKey,
}

impl VerifierKey {
    /// Parses `NAME+KEYID+base64(TYPE || key)`, checking the key id.
    pub fn parse(text: &str) -> Result<VerifierKey, String> {
        let text = text.trim();
        let mut parts = text.splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err("a verifier key is NAME+KEYID+KEY".into());
        };
        let (kind, bytes) = typed_key(key)?;
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|_| "the verifier key is not an Ed25519 public key".to_string())?;
        VerifierKey::checked(name, id, kind, key)
    }

    fn checked(name: &str, id: &str, kind: u8, key: VerifyingKey) -> Result<VerifierKey, String> {
        check_name(name)?;
        let want = key_id(name, kind, key.as_bytes());
        if id != hex::encode(want) {
            return Err(format!(
                "the key id {id} does not match the key (it would be {})",
                hex::encode(want)
            ));
        }
        Ok(VerifierKey {
            name: name.into(),
            kind,
            id: want,
            key,
        })
    }

    /// The text form, `NAME+KEYID+base64(TYPE || key)`.
    pub fn to_text(&self) -> String {
        let mut raw = vec![self.kind];
        raw.extend_from_slice(self.key.as_bytes());
        format!("{}+{}+{}", self.name, hex::encode(self.id), B64.encode(raw))
    }
}

/// Decodes base64(TYPE || 32 bytes), TYPE 0x01 or 0x04.
fn typed_key(b64: &str) -> Result<(u8, [u8; 32]), String> {
    let raw = B64
        .decode(b64)
        .map_err(|e| format!("the key is not base64: {e}"))?;
    match raw.split_first() {
        Some((&kind, rest)) if kind == ED25519 || kind == COSIGNATURE_V1 => rest
            .try_into()
            .map(|k| (kind, k))
            .map_err(|_| format!("an Ed25519 key is 32 bytes, not {}", rest.len())),
        Some((kind, _)) => Err(format!("unknown key type 0x{kind:02x}")),
        None => Err("the key is empty".into()),
    }
}

impl SignerKey {
    /// A key of `kind` named `name`, from a 32-byte seed.
    pub fn from_seed(name: &str, kind: u8, seed: [u8; 32]) -> Result<SignerKey, String> {
        check_name(name)?;
        let key = SigningKey::from_bytes(&seed);
        let id = key_id(name, kind, key.verifying_key().as_bytes());
        Ok(SignerKey {
            name: name.into(),
            kind,
            id,
            key,
        })
    }

    /// Parses `PRIVATE+KEY+NAME+KEYID+base64(TYPE || seed)`.
    pub fn parse(text: &str) -> Result<SignerKey, String> {
        let rest = text
            .trim()
            .strip_prefix("PRIVATE+KEY+")
            .ok_or("a signer key starts with PRIVATE+KEY+")?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err("a signer key is PRIVATE+KEY+NAME+KEYID+KEY".into());
        };
        let (kind, seed) = typed_key(key)?;
        let k = SignerKey::from_seed(name, kind, seed)?;
        if id != hex::encode(k.id) {
            return Err(format!("the key id {id} does not match the key"));
        }
        Ok(k)
    }

    /// The text form, `PRIVATE+KEY+NAME+KEYID+base64(TYPE || seed)`: a secret.
    pub fn to_text(&self) -> String {
        let mut raw = vec![self.kind];
        raw.extend_from_slice(&self.key.to_bytes());
        format!(
            "PRIVATE+KEY+{}+{}+{}",
            self.name,
            hex::encode(self.id),
            B64.encode(raw)
        )
    }

    /// The verifier key that checks this key's signatures.
    pub fn verifier(&self) -> VerifierKey {
        VerifierKey {
            name: self.name.clone(),
            kind: self.kind,
            id: self.id,
            key: self.key.verifying_key(),
        }
    }
}

/// A note: its text (ending in a newline) and its signature lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The signed text, ending in a newline (for a checkpoint, its body).
    pub text: String,
    /// The signature lines, in the note's order.
    pub signatures: Vec<NoteSignature>,
}

/// One signature line: the key name and base64(key id || signature).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSignature {
    /// The signing key's name.
    pub name: String,
    /// The signing key's id.
    pub id: [u8; 4],
    /// The signature: 64 bytes for a note signature; for a cosignature, the
    /// time (8 bytes, big-endian seconds since 1970) and then 64 bytes.
    pub bytes: Vec<u8>,
}

impl Note {
    /// Splits a note into its text and signature lines. A text without a
    /// blank line and signatures is an unsigned note (no signatures).
    pub fn parse(all: &str) -> Result<Note, String> {
        let Some(at) = all.rfind("\n\n") else {
            return Ok(Note {
                text: all.to_string(),
                signatures: Vec::new(),
            });
        };
        let (text, sigs) = (&all[..at + 1], &all[at + 2..]);
        if !sigs.ends_with('\n') {
            return Err("the note's last signature line does not end in a newline".into());
        }
        let signatures = sigs
            .lines()
            .enumerate()
            .map(|(i, l)| parse_signature(l).map_err(|e| format!("signature line {}: {e}", i + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Note {
            text: text.to_string(),
            signatures,
        })
    }

    /// The note as text: its text, a blank line, then a signature line each
    /// (the text alone when unsigned).
    pub fn to_text(&self) -> String {
        if self.signatures.is_empty() {
            return self.text.clone();
        }
        let mut out = format!("{}\n", self.text);
        for s in &self.signatures {
            let mut raw = s.id.to_vec();
            raw.extend_from_slice(&s.bytes);
            out.push_str(&format!("{DASH}{} {}\n", s.name, B64.encode(raw)));
        }
        out
    }

    /// Signs the text with a log key (type 0x01) and adds the line.
    pub fn sign(&mut self, key: &SignerKey) -> Result<(), String> {
        if key.kind != ED25519 {
            return Err("a witness key cosigns; it does not sign notes".into());
        }
        check_text(&self.text)?;
        let sig = key.key.sign(self.text.as_bytes());
        self.signatures.push(NoteSignature {
            name: key.name.clone(),
            id: key.id,
            bytes: sig.to_bytes().to_vec(),
        });
        Ok(())
    }

    /// Whether a signature line of this key verifies the text.
    pub fn signed_by(&self, key: &VerifierKey) -> Result<(), String> {
        let ours: Vec<&NoteSignature> = self
            .signatures
            .iter()
            .filter(|s| s.name == key.name && s.id == key.id)
            .collect();
        if ours.is_empty() {
            return Err(match self.signatures.is_empty() {
                true => "the note is not signed".into(),
                false => format!("the note has no signature by {}", key.to_text()),
            });
        }
        for s in ours {
            if let Ok(sig) = Signature::from_slice(&s.bytes) {
                if key.key.verify(self.text.as_bytes(), &sig).is_ok() {
                    return Ok(());
                }
            }
        }
        Err(format!(
            "the signature by {} does not verify: the note was changed or wrongly signed",
            key.name
        ))
    }

    /// Adds a witness's `cosignature/v1` at `time` (seconds since 1970).
    pub fn cosign(&mut self, key: &SignerKey, time: u64) -> Result<(), String> {
        if key.kind != COSIGNATURE_V1 {
            return Err("a log key signs; a witness key (type 0x04) cosigns".into());
        }
        check_text(&self.text)?;
        let sig = key.key.sign(&cosigned_message(&self.text, time));
        let mut bytes = time.to_be_bytes().to_vec();
        bytes.extend_from_slice(&sig.to_bytes());
        self.signatures
            .retain(|s| !(s.name == key.name && s.id == key.id));
        self.signatures.push(NoteSignature {
            name: key.name.clone(),
            id: key.id,
            bytes,
        });
        Ok(())
    }

    /// The time of a valid cosignature by this witness key.
    pub fn cosigned_by(&self, key: &VerifierKey) -> Result<u64, String> {
        for s in self
            .signatures
            .iter()
            .filter(|s| s.name == key.name && s.id == key.id && s.bytes.len() == 72)
        {
            let time = u64::from_be_bytes(s.bytes[..8].try_into().expect("8 bytes"));
            if let Ok(sig) = Signature::from_slice(&s.bytes[8..]) {
                if key
                    .key
                    .verify(&cosigned_message(&self.text, time), &sig)
                    .is_ok()
                {
                    return Ok(time);
                }
            }
        }
        Err(format!("no valid cosignature by {}", key.name))
    }
}

/// The message a `cosignature/v1` signs.
fn cosigned_message(text: &str, time: u64) -> Vec<u8> {
    format!("cosignature/v1\ntime {time}\n{text}").into_bytes()
}

/// A note's text ends in a newline and holds no blank line.
fn check_text(text: &str) -> Result<(), String> {
    if !text.ends_with('\n') || text.contains("\n\n") {
        return Err("a note's text must end in a newline and hold no blank line".into());
    }
    Ok(())
}

fn parse_signature(line: &str) -> Result<NoteSignature, String> {
    let rest = line
        .strip_prefix(DASH)
        .ok_or("a signature line starts with '\u{2014} '")?;
    let (name, sig) = rest.split_once(' ').ok_or("no signature after the name")?;
    check_name(name)?;
    let raw = B64
        .decode(sig)
        .map_err(|e| format!("the signature is not base64: {e}"))?;
    if raw.len() < 5 {
        return Err("the signature is too short".into());
    }
    Ok(NoteSignature {
        name: name.into(),
        id: raw[..4].try_into().expect("4 bytes"),
        bytes: raw[4..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // golang.org/x/mod/sumdb/note's documented example: key, text and the
    // exact signed note (Ed25519 signatures are deterministic).
    const GO_SKEY: &str =
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    const GO_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    const GO_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    // c2sp.org/signed-note's example.
    const SPEC_VKEY: &str = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
    const SPEC_NOTE: &str = "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

    #[test]
    fn the_go_reference_note_is_signed_byte_for_byte() {
        let k = SignerKey::parse(GO_SKEY).unwrap();
        assert_eq!(k.to_text(), GO_SKEY);
        assert_eq!(k.verifier().to_text(), GO_VKEY);
        let mut n = Note {
            text: GO_TEXT.into(),
            signatures: vec![],
        };
        n.sign(&k).unwrap();
        assert_eq!(n.to_text(), format!("{GO_TEXT}\n{GO_SIG}"));
        let parsed = Note::parse(&n.to_text()).unwrap();
        assert_eq!(parsed, n);
        parsed
            .signed_by(&VerifierKey::parse(GO_VKEY).unwrap())
            .unwrap();
    }

    #[test]
    fn the_c2sp_example_note_verifies_and_a_changed_one_does_not() {
        let v = VerifierKey::parse(SPEC_VKEY).unwrap();
        Note::parse(SPEC_NOTE).unwrap().signed_by(&v).unwrap();
        let changed = SPEC_NOTE.replace("example message", "exemplary message");
        assert!(Note::parse(&changed).unwrap().signed_by(&v).is_err());
        let unsigned = Note::parse("This is an example message.\n").unwrap();
        assert!(unsigned.signed_by(&v).unwrap_err().contains("not signed"));
    }

    #[test]
    fn mangled_keys_are_refused() {
        let b = GO_VKEY.as_bytes();
        for i in 0..b.len() {
            let mut m = b.to_vec();
            m[i] = m[i].wrapping_add(1);
            if let Ok(s) = String::from_utf8(m) {
                assert!(VerifierKey::parse(&s).is_err(), "{s}");
            }
        }
        assert!(VerifierKey::parse("PeterNeumann+c74f20a3").is_err());
        assert!(SignerKey::parse(GO_VKEY).is_err());
    }

    #[test]
    fn a_cosignature_verifies_only_for_its_text_time_and_key() {
        let w = SignerKey::from_seed("witness.example/w1", COSIGNATURE_V1, [7; 32]).unwrap();
        let mut n = Note::parse("example.com/log\n3\nAAAA\n").unwrap();
        n.sign(&SignerKey::from_seed("example.com/log", ED25519, [1; 32]).unwrap())
            .unwrap();
        n.cosign(&w, 1_700_000_000).unwrap();
        let again = Note::parse(&n.to_text()).unwrap();
        assert_eq!(again.cosigned_by(&w.verifier()), Ok(1_700_000_000));
        let mut other = again.clone();
        other.text = "example.com/log\n4\nAAAA\n".into();
        assert!(other.cosigned_by(&w.verifier()).is_err());
        let stranger = SignerKey::from_seed("witness.example/w1", COSIGNATURE_V1, [8; 32]).unwrap();
        assert!(again.cosigned_by(&stranger.verifier()).is_err());
    }
}
