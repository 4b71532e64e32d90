//! Import progress as a bar on the terminal (nothing when stderr is not a terminal).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use osm_data::progress::{Progress, Stage};

/// A progress bar on stderr that follows the stages of an import.
pub struct TerminalProgress {
    bar: ProgressBar,
}

impl TerminalProgress {
    /// A bar drawn on stderr when it is a terminal, hidden otherwise.
    pub fn new() -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        TerminalProgress { bar }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Default for TerminalProgress {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for TerminalProgress {
    fn start(&self, stage: Stage, total: u64) {
        let template = match stage {
            Stage::Decoding => "{msg:>15} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec})",
            Stage::Building | Stage::Contracting => "{msg:>15} [{bar:30}] {pos}/{len}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_message(stage.label());
        self.bar.set_length(total);
        self.bar.set_position(0);
    }

    fn advance(&self, done: u64) {
        self.bar.inc(done);
    }
}
