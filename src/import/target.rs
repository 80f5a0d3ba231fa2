//! The archive an import appends to (the plan's and every reader's).

use std::ops::DerefMut;
use std::sync::RwLock;

use crate::archive::Archive;

/// The archive an import appends to, taken for one batch at a time: the
/// archive itself, or one shared with readers, who then see the archive as
/// of the last committed batch and never half of one.
pub trait Target {
    /// The archive, locked for one batch; readers of a shared one wait until it
    /// is dropped.
    fn archive(&mut self) -> impl DerefMut<Target = Archive> + '_;

    /// Whether each batch's sync may overlap with deriving the next one
    /// ([`Archive::append_overlapped`]): only where nothing else reads the
    /// archive before the import ends (a reader would see a batch that is
    /// not yet durable).
    fn overlapped(&self) -> bool {
        false
    }
}

impl Target for &mut Archive {
    fn archive(&mut self) -> impl DerefMut<Target = Archive> + '_ {
        &mut **self
    }

    fn overlapped(&self) -> bool {
        true
    }
}

impl Target for &RwLock<Archive> {
    fn archive(&mut self) -> impl DerefMut<Target = Archive> + '_ {
        self.write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
