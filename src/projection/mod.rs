//! Questions to the archive: the projector (a pure fold from results to a
//! table), standings, results, history, diff, lists, a season seen whole.

pub mod listing;
pub mod projector;
pub mod query;
pub mod season;
pub mod view;
