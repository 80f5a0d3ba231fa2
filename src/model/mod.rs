//! The model: plain data and the rules about it, with no storage and no
//! byte format.

pub mod catalogue;
pub mod date;
pub mod event;
pub mod limits;
pub mod names;
pub mod postponed;
pub mod record;
pub mod rules;
