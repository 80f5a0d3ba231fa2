//! Pictures as strings (pure): SVG charts and the HTML report. The CLI and
//! the server write or serve them.

pub mod chart;
pub mod report;
