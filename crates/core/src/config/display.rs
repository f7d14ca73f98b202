//! `[display]`: how the webview draws the app.

use serde::{Deserialize, Serialize};

/// `[display]` as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct DisplayConfig {
    /// WebKit's accelerated compositing: `auto`, `on` or `off`.
    pub compositing: Compositing,
}

/// Whether WebKit composites the page's layers with the GPU's help (Linux).
///
/// With no GPU it composites them with the CPU instead (software OpenGL), and a live preview
/// then costs every frame a full composite: measured here, the preview drew 22 frames a second
/// with it and 30 without it (docs/PERFORMANCE.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compositing {
    /// On where the machine has a GPU to render with, off where it has none.
    #[default]
    Auto,
    /// As WebKit decides (its default).
    On,
    /// Never: the page is painted without compositing layers.
    Off,
}

impl Compositing {
    /// The name used in configuration and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Compositing::Auto => "auto",
            Compositing::On => "on",
            Compositing::Off => "off",
        }
    }
}
