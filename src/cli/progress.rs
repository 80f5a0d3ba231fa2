//! Progress on long work (imports, verify, rebuild): a bar with a rate and
//! the time left, on standard error, drawn only when it is a terminal.

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

/// Work shorter than this many events shows no bar.
const SHOWN_FROM: u64 = 100_000;

/// A bar that says what is being done (`importing`, `verifying`, ...).
pub(super) fn bar(doing: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {doing} {{pos}}/{{len}} events [{{bar:40}}] {{rate}}, {{eta}} left"
        ))
        .map(|s| {
            s.with_key(
                "rate",
                |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(
                        w,
                        "{} events/s",
                        super::render::thousands(state.per_sec().round() as u64)
                    );
                },
            )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// A callback for the library's `progress(done, total)`, moving `bar`
/// once the work is long enough to show.
pub(super) fn follow(bar: &ProgressBar) -> impl FnMut(u64, u64) + '_ {
    move |done, total| {
        if total >= SHOWN_FROM {
            bar.set_length(total);
            bar.set_position(done);
        }
    }
}

/// A spinner with the time spent, for work whose size is not known yet
/// (reading and checking a file before an import); standard error, only
/// when it is a terminal, like the bar.
pub(super) fn spinner(doing: &str) -> ProgressBar {
    let s = ProgressBar::new_spinner();
    s.set_style(
        ProgressStyle::with_template(&format!("{{spinner}} {doing} ({{elapsed}})"))
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    s.enable_steady_tick(std::time::Duration::from_millis(200));
    s
}
