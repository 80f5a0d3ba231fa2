//! Checkpoints in the C2SP tlog-checkpoint shape, and inclusion proofs as
//! text: what a third party keeps and checks without the archive.
//!
//! ```text
//! scoreledger.local/copa-peru        origin
//! 23                                 tree size
//! 3q2+7w...=                         base64 root hash
//! variant scoreledger-blake3-rfc6962-v1
//! index 9Xb1...=                     the stage index's root at this size (schema/index.md)
//! frontier 0+16 base64...            roots of the complete subtrees (locate a difference)
//! ```

use serde::Serialize;

use crate::format::chain::{b64, unb64, Hash};
use crate::log::merkle::VARIANT;

/// A signed-note body: origin, size, root, extension lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's name, the first line (e.g. `scoreledger.local/copa-peru`).
    pub origin: String,
    /// The tree size: the number of events the checkpoint covers (its head seq).
    pub size: u64,
    /// The Merkle root over those events' hashes (`schema/merkle.md`).
    pub root: Hash,
    /// The root of the stage index at this size (`schema/index.md`); none
    /// in a checkpoint made before the index.
    pub index: Option<Hash>,
    /// (first leaf, leaves, root) of each complete subtree, left to right.
    pub frontier: Vec<(u64, u64, Hash)>,
}

impl Checkpoint {
    /// The body as text: origin, size, root, then the extension lines; no signatures.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{}\n{}\n{}\nvariant {VARIANT}\n",
            self.origin,
            self.size,
            b64(&self.root)
        );
        if let Some(ix) = &self.index {
            s.push_str(&format!("index {}\n", b64(ix)));
        }
        for (lo, n, h) in &self.frontier {
            s.push_str(&format!("frontier {lo}+{n} {}\n", b64(h)));
        }
        s
    }

    /// Parses a checkpoint; lines after a blank line (signatures) are ignored.
    pub fn parse(text: &str) -> Result<Checkpoint, String> {
        let body = text.split("\n\n").next().unwrap_or("");
        let mut lines = body.lines().map(|l| l.trim_end_matches('\r'));
        let origin = lines
            .next()
            .filter(|l| !l.trim().is_empty())
            .ok_or("line 1: missing origin")?
            .to_string();
        let size_line = lines.next().ok_or("line 2: missing tree size")?;
        if size_line.is_empty()
            || !size_line.bytes().all(|b| b.is_ascii_digit())
            || (size_line.len() > 1 && size_line.starts_with('0'))
        {
            return Err(format!("line 2: invalid tree size '{size_line}'"));
        }
        let size = size_line
            .parse()
            .map_err(|_| format!("line 2: tree size '{size_line}' is too large"))?;
        let root = unb64(lines.next().ok_or("line 3: missing root hash")?)
            .map_err(|e| format!("line 3: {e}"))?;
        let mut frontier = Vec::new();
        let mut index = None;
        for (i, line) in lines.enumerate() {
            let n = i + 4;
            if let Some(v) = line.strip_prefix("index ") {
                if index.is_some() {
                    return Err(format!("line {n}: a second index line"));
                }
                index = Some(unb64(v).map_err(|e| format!("line {n}: {e}"))?);
            } else if let Some(v) = line.strip_prefix("variant ") {
                if v != VARIANT {
                    return Err(format!(
                        "line {n}: checkpoint of tree variant '{v}'; this build checks '{VARIANT}'"
                    ));
                }
            } else if let Some(rest) = line.strip_prefix("frontier ") {
                let (range, hash) = rest
                    .split_once(' ')
                    .ok_or(format!("line {n}: invalid frontier line"))?;
                let (lo, len) = range
                    .split_once('+')
                    .ok_or(format!("line {n}: invalid frontier range"))?;
                let parse = |s: &str| {
                    s.parse::<u64>()
                        .map_err(|_| format!("line {n}: invalid number '{s}'"))
                };
                frontier.push((
                    parse(lo)?,
                    parse(len)?,
                    unb64(hash).map_err(|e| format!("line {n}: {e}"))?,
                ));
            }
        }
        Ok(Checkpoint {
            origin,
            size,
            root,
            index,
            frontier,
        })
    }
}

/// An inclusion proof for one event, with the envelope so that the event
/// itself can be checked against its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    /// The tree variant the proof is for ([`VARIANT`]).
    pub variant: String,
    /// The tree size the path leads to the root of.
    pub size: u64,
    /// The event's seq (leaf `seq - 1`).
    pub seq: u64,
    /// The event's hash: the leaf.
    pub event_hash: Hash,
    /// The stored envelope of the event, hex.
    pub envelope: String,
    /// Base64 hashes, leaf side first.
    pub path: Vec<String>,
}

const PROOF_HEADER: &str = "scoreledger inclusion proof v1";

impl InclusionProof {
    /// A proof for event `seq` in the tree of `size` events, with its stored
    /// envelope and its path.
    pub fn new(
        size: u64,
        seq: u64,
        event_hash: Hash,
        envelope: &[u8],
        path: &[Hash],
    ) -> InclusionProof {
        InclusionProof {
            variant: VARIANT.into(),
            size,
            seq,
            event_hash,
            envelope: hex::encode(envelope),
            path: path.iter().map(b64).collect(),
        }
    }

    /// The text form: a header line, then one `key value` line a field.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{PROOF_HEADER}\nvariant {}\nsize {}\nseq {}\nevent {}\nenvelope {}\n",
            self.variant, self.size, self.seq, self.event_hash, self.envelope
        );
        for p in &self.path {
            s.push_str(&format!("path {p}\n"));
        }
        s
    }

    /// Parses the text form or the JSON form.
    pub fn parse(text: &str) -> Result<InclusionProof, String> {
        if text.trim_start().starts_with('{') {
            return InclusionProof::parse_json(text);
        }
        let mut lines = text.lines().map(|l| l.trim_end_matches('\r')).enumerate();
        match lines.next() {
            Some((_, l)) if l == PROOF_HEADER => {}
            _ => return Err(format!("line 1: not a proof (expected '{PROOF_HEADER}')")),
        }
        let mut p = InclusionProof {
            variant: String::new(),
            size: 0,
            seq: 0,
            event_hash: Hash::GENESIS,
            envelope: String::new(),
            path: vec![],
        };
        let mut seen = Vec::new();
        for (i, line) in lines {
            let n = i + 1;
            if line.is_empty() {
                continue;
            }
            let (key, value) = line
                .split_once(' ')
                .ok_or(format!("line {n}: expected 'key value'"))?;
            if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(format!(
                    "line {n}: invalid value '{}'",
                    value.escape_debug()
                ));
            }
            if key != "path" {
                if seen.contains(&key) {
                    return Err(format!("line {n}: '{key}' given twice"));
                }
                seen.push(key);
            }
            let num = |v: &str| {
                v.parse::<u64>()
                    .map_err(|_| format!("line {n}: invalid number '{v}'"))
            };
            match key {
                "variant" => p.variant = value.to_string(),
                "size" => p.size = num(value)?,
                "seq" => p.seq = num(value)?,
                "event" => {
                    p.event_hash = Hash::from_hex(value).map_err(|e| format!("line {n}: {e}"))?
                }
                "envelope" => p.envelope = value.to_string(),
                "path" => p.path.push(value.to_string()),
                other => return Err(format!("line {n}: unknown field '{other}'")),
            }
        }
        for k in ["variant", "size", "seq", "event", "envelope"] {
            if !seen.contains(&k) {
                return Err(format!("the proof has no '{k}' line"));
            }
        }
        Ok(p)
    }

    /// The JSON form (`prove --format json`).
    fn parse_json(text: &str) -> Result<InclusionProof, String> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("invalid JSON proof: {e}"))?;
        let get = |k: &str| v.get(k).ok_or(format!("JSON proof without '{k}'"));
        let num = |k: &str| get(k)?.as_u64().ok_or(format!("'{k}' is not a number"));
        let string = |k: &str| {
            get(k)?
                .as_str()
                .map(str::to_string)
                .ok_or(format!("'{k}' is not a string"))
        };
        let path = get("path")?
            .as_array()
            .ok_or("'path' is not an array")?
            .iter()
            .map(|p| {
                p.as_str()
                    .map(str::to_string)
                    .ok_or("a path entry is not a string".to_string())
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(InclusionProof {
            variant: string("variant")?,
            size: num("size")?,
            seq: num("seq")?,
            event_hash: Hash::from_hex(&string("event_hash")?)?,
            envelope: string("envelope")?,
            path,
        })
    }

    /// The path as hashes.
    pub fn path_hashes(&self) -> Result<Vec<Hash>, String> {
        self.path.iter().map(|p| unb64(p)).collect()
    }
}

/// What a valid inclusion proof shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proven {
    /// The event's seq.
    pub seq: u64,
    /// When the event was recorded.
    pub recorded_at: crate::model::date::Timestamp,
    /// The event, decoded from the proven envelope.
    pub event: crate::model::event::Event,
}

/// Checks an inclusion proof against a checkpoint, offline: the envelope
/// hashes to the proof's event hash, and the path leads from it to the
/// checkpoint's root at exactly the checkpoint's size.
pub fn verify_inclusion_proof(cp: &Checkpoint, proof: &InclusionProof) -> Result<Proven, String> {
    if proof.variant != VARIANT {
        return Err(format!(
            "the proof is for tree variant '{}', not '{VARIANT}'",
            proof.variant
        ));
    }
    if proof.size != cp.size {
        return Err(format!(
            "the proof is for a tree of {} events, the checkpoint for {}",
            proof.size, cp.size
        ));
    }
    let envelope =
        hex::decode(&proof.envelope).map_err(|e| format!("the envelope is not hex: {e}"))?;
    let raw = crate::format::encoding::split_envelope(&envelope)?;
    if raw.seq != proof.seq {
        return Err(format!(
            "the envelope is of seq {}, the proof says seq {}",
            raw.seq, proof.seq
        ));
    }
    let event = crate::format::encoding::decode_event(raw.event_bytes)
        .map_err(|e| format!("the event does not decode: {e}"))?;
    let hash =
        crate::format::chain::event_hash(raw.seq, raw.recorded_at, &raw.prev, raw.event_bytes);
    if hash != raw.hash || hash != proof.event_hash {
        return Err("the event does not hash to the proof's event hash".into());
    }
    if proof.seq == 0 {
        return Err("seq 0 is not an event".into());
    }
    let path = proof.path_hashes()?;
    crate::log::merkle::verify_inclusion(
        proof.seq - 1,
        cp.size,
        &crate::log::merkle::leaf_hash(&hash),
        &path,
        &cp.root,
    )?;
    Ok(Proven {
        seq: proof.seq,
        recorded_at: raw.recorded_at,
        event,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoint_round_trip_and_strict_parsing() {
        let c = Checkpoint {
            origin: "scoreledger.local/x".into(),
            size: 23,
            root: Hash([7; 32]),
            index: Some(Hash([9; 32])),
            frontier: vec![(0, 16, Hash([1; 32])), (16, 4, Hash([2; 32]))],
        };
        assert_eq!(Checkpoint::parse(&c.to_text()).unwrap(), c);
        let old = Checkpoint {
            index: None,
            ..c.clone()
        };
        assert_eq!(
            Checkpoint::parse(&old.to_text()).unwrap(),
            old,
            "made before the index"
        );
        let twice = c.to_text().replacen(
            "index ",
            "index CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=\nindex ",
            1,
        );
        assert!(Checkpoint::parse(&twice)
            .unwrap_err()
            .contains("second index"));
        assert_eq!(
            Checkpoint::parse(&(c.to_text() + "\n— signature line\n")).unwrap(),
            c
        );
        let text = c.to_text();
        assert!(Checkpoint::parse(&text.replacen("23", "023", 1)).is_err());
        assert!(Checkpoint::parse(&text.replacen("23", "-1", 1)).is_err());
        assert!(Checkpoint::parse("origin\n5\nnotbase64\n").is_err());
        assert!(Checkpoint::parse("").is_err());
        assert!(Checkpoint::parse(&text.replace(VARIANT, "sha256-rfc6962"))
            .unwrap_err()
            .contains("variant"));
    }
}

const CONSISTENCY_HEADER: &str = "scoreledger consistency proof v1";

/// A consistency proof between two tree sizes, as text:
/// `scoreledger consistency proof v1`, `old N`, `new M`, then `path B64`
/// lines (RFC 6962 PROOF order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsistencyProof {
    /// The smaller tree size.
    pub old: u64,
    /// The larger tree size.
    pub new: u64,
    /// The RFC 6962 `PROOF(old, new)` hashes.
    pub path: Vec<Hash>,
}

impl ConsistencyProof {
    /// The text form: header, `old N`, `new M`, then a `path` line a hash.
    pub fn to_text(&self) -> String {
        let mut s = format!("{CONSISTENCY_HEADER}\nold {}\nnew {}\n", self.old, self.new);
        for h in &self.path {
            s.push_str(&format!("path {}\n", b64(h)));
        }
        s
    }

    /// Parses the text form; refuses a missing header or size line.
    pub fn parse(text: &str) -> Result<ConsistencyProof, String> {
        let mut lines = text.lines();
        if lines.next() != Some(CONSISTENCY_HEADER) {
            return Err(format!(
                "line 1: not a proof (expected '{CONSISTENCY_HEADER}')"
            ));
        }
        let mut number = |key: &str| -> Result<u64, String> {
            lines
                .next()
                .and_then(|l| l.strip_prefix(key))
                .and_then(|v| v.strip_prefix(' '))
                .and_then(|v| v.parse().ok())
                .ok_or(format!("expected a line '{key} N'"))
        };
        let (old, new) = (number("old")?, number("new")?);
        let path = text
            .lines()
            .skip(3)
            .filter(|l| !l.is_empty())
            .map(|l| {
                l.strip_prefix("path ")
                    .ok_or(format!("'{l}' is not a path line"))
                    .and_then(unb64)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ConsistencyProof { old, new, path })
    }
}
