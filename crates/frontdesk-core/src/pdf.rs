//! PDF output for receipts and reports: a CJK font found on the machine (Noto Sans CJK on
//! Linux, Microsoft YaHei or SimSun on Windows, PingFang on macOS), embedded as a subset, and a
//! small page builder that places lines of text in millimetres.

use std::sync::OnceLock;

use printpdf::{
    FontId, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    TextItem,
};

use crate::error::{Error, Result};

/// Where a CJK font may be: (path, face index inside a collection).
const FONT_CANDIDATES: &[(&str, usize)] = &[
    // Debian/Ubuntu fonts-noto-cjk: the collection's faces are JP, KR, SC, TC, HK.
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    (
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        2,
    ),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    (
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        0,
    ),
    ("C:\\Windows\\Fonts\\msyh.ttc", 0),
    ("C:\\Windows\\Fonts\\simsun.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
];

/// The CJK font as found on disk: its bytes (a 20 MB collection, held once) and the face
/// index. Glyphs are looked up with allsorts' cmap as each document is made. Measured over a
/// day at the desk (tests/e2e/bench.py): printpdf's parsed copy of the whole font beside the
/// bytes cost ~20 MB more; reading the file afresh for each receipt left ~20 MB of freed
/// memory behind in malloc's per-thread arenas.
struct SourceFont {
    bytes: Vec<u8>,
    index: usize,
}

/// A font file's face, checked to map characters to glyphs.
fn usable_face(bytes: &[u8], index: usize) -> bool {
    use allsorts::binary::read::ReadScope;
    use allsorts::font::Font;
    use allsorts::font_data::FontData;
    let Ok(data) = ReadScope::new(bytes).read::<FontData<'_>>() else {
        return false;
    };
    data.table_provider(index)
        .ok()
        .and_then(|provider| Font::new(provider).ok())
        .is_some()
}

fn source_font() -> Result<&'static SourceFont> {
    static FONT: OnceLock<Option<SourceFont>> = OnceLock::new();
    FONT.get_or_init(|| {
        let custom = std::env::var("FRONTDESK_PDF_FONT").ok();
        let candidates = custom
            .as_deref()
            .map(|p| vec![(p, 0usize)])
            .unwrap_or_default()
            .into_iter()
            .chain(FONT_CANDIDATES.iter().copied());
        for (path, index) in candidates {
            if let Ok(bytes) = std::fs::read(path) {
                if usable_face(&bytes, index) {
                    return Some(SourceFont { bytes, index });
                }
            }
        }
        None
    })
    .as_ref()
    .ok_or(Error::NoCjkFont)
}

/// Reads the CJK font now (once per process), so the first receipt of the day does not wait
/// for it. The app calls this on a thread of its own at start.
pub fn warm_up() {
    let _ = source_font();
}

/// A font holding only the glyphs of `text`, so a receipt is kilobytes, not the 15 MB of a
/// whole CJK font.
fn subset_for(text: &str) -> Result<ParsedFont> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font::{Font, MatchingPresentation};
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};

    let source = source_font()?;
    let bytes = &source.bytes;
    let broken = |e: String| Error::PdfFont(e);
    let data = ReadScope::new(bytes)
        .read::<FontData<'_>>()
        .map_err(|e| broken(e.to_string()))?;
    let provider = data
        .table_provider(source.index)
        .map_err(|e| broken(e.to_string()))?;
    let mut font = Font::new(provider).map_err(|e| broken(e.to_string()))?;
    let mut glyphs: Vec<u16> = text
        .chars()
        .map(|c| {
            font.lookup_glyph_index(c, MatchingPresentation::NotRequired, None)
                .0
        })
        .filter(|g| *g != 0)
        .collect();
    glyphs.push(0);
    glyphs.sort_unstable();
    glyphs.dedup();
    let subset_bytes = subset(
        &font.font_table_provider,
        &glyphs,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .map_err(|e| broken(e.to_string()))?;
    ParsedFont::from_bytes(&subset_bytes, 0, &mut Vec::new())
        .ok_or_else(|| broken("subset font does not parse".into()))
}

enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
    },
    /// A line through points (mm from the top left), in a colour, maybe dashed: a chart's.
    Path {
        points: Vec<(f32, f32)>,
        width: f32,
        rgb: Rgb8,
        dashed: bool,
    },
    /// A filled rectangle: a chart's marker or bar.
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        rgb: Rgb8,
    },
    Colour(Rgb8),
    PageBreak,
}

/// A colour as the screen's: 0–255 per channel.
pub type Rgb8 = (u8, u8, u8);

fn colour(rgb: Rgb8) -> printpdf::Color {
    printpdf::Color::Rgb(printpdf::Rgb {
        r: f32::from(rgb.0) / 255.0,
        g: f32::from(rgb.1) / 255.0,
        b: f32::from(rgb.2) / 255.0,
        icc_profile: None,
    })
}

/// A document being laid out: pages of absolutely placed text and rules, in millimetres from
/// the top left.
pub struct Doc {
    title: String,
    items: Vec<Item>,
    width: f32,
    height: f32,
}

impl Doc {
    pub fn new(title: &str, width_mm: f32, height_mm: f32) -> Result<Doc> {
        source_font()?;
        Ok(Doc {
            title: title.to_string(),
            items: Vec::new(),
            width: width_mm,
            height: height_mm,
        })
    }

    pub fn width(&self) -> f32 {
        self.width
    }

    /// Sets the page height once the content is laid out (a receipt is as long as its lines).
    pub fn set_height(&mut self, height_mm: f32) {
        self.height = height_mm;
    }

    /// Text with its baseline at `y` mm from the top.
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.items.push(Item::Text {
            x,
            y,
            size,
            text: text.to_string(),
        });
    }

    /// Text ending at `right` mm, using an estimate of the width (CJK a full em, other
    /// characters about 0.55 em): good enough to line up amounts.
    pub fn text_right(&mut self, right: f32, y: f32, size: f32, text: &str) {
        let x = right - text_width_mm(text, size);
        self.text(x, y, size, text);
    }

    pub fn text_center(&mut self, y: f32, size: f32, text: &str) {
        let x = (self.width - text_width_mm(text, size)) / 2.0;
        self.text(x.max(2.0), y, size, text);
    }

    /// A horizontal rule at `y` mm from the top.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32) {
        self.items.push(Item::Rule { x1, x2, y });
    }

    /// A line through `points` (mm from the top left), drawn as vector paths.
    pub fn path(&mut self, points: Vec<(f32, f32)>, width: f32, rgb: Rgb8, dashed: bool) {
        if points.len() >= 2 {
            self.items.push(Item::Path {
                points,
                width,
                rgb,
                dashed,
            });
        }
    }

    /// A filled rectangle, its top left at (`x`, `y`) mm.
    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, rgb: Rgb8) {
        self.items.push(Item::Fill { x, y, w, h, rgb });
    }

    /// The colour of the text that follows (black again with `(0, 0, 0)`).
    pub fn text_colour(&mut self, rgb: Rgb8) {
        self.items.push(Item::Colour(rgb));
    }

    /// Ends the current page and starts another of the same size.
    pub fn new_page(&mut self) {
        self.items.push(Item::PageBreak);
    }

    pub fn finish(self) -> Result<Vec<u8>> {
        use printpdf::{Line, LinePoint};
        let all_text: String = self
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        let font = subset_for(&all_text)?;
        let mut doc = PdfDocument::new(&self.title);
        let font_id: FontId = doc.add_font(&font);
        let h = self.height;
        let mut pages = Vec::new();
        let mut ops = Vec::new();
        for item in self.items {
            match item {
                Item::Text { x, y, size, text } => ops.extend([
                    Op::StartTextSection,
                    Op::SetFont {
                        font: PdfFontHandle::External(font_id.clone()),
                        size: Pt(size),
                    },
                    Op::SetTextCursor {
                        pos: Point {
                            x: Mm(x).into(),
                            y: Mm(h - y).into(),
                        },
                    },
                    Op::ShowText {
                        items: vec![TextItem::Text(text)],
                    },
                    Op::EndTextSection,
                ]),
                Item::Rule { x1, x2, y } => {
                    let y = Mm(h - y).into();
                    ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint {
                                    p: Point {
                                        x: Mm(x1).into(),
                                        y,
                                    },
                                    bezier: false,
                                },
                                LinePoint {
                                    p: Point {
                                        x: Mm(x2).into(),
                                        y,
                                    },
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    });
                }
                Item::Path {
                    points,
                    width,
                    rgb,
                    dashed,
                } => {
                    ops.push(Op::SetOutlineThickness { pt: Pt(width) });
                    ops.push(Op::SetOutlineColor { col: colour(rgb) });
                    if dashed {
                        ops.push(Op::SetLineDashPattern {
                            dash: printpdf::LineDashPattern::new(0.0, &[3.0, 2.0]),
                        });
                    }
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: points
                                .into_iter()
                                .map(|(x, y)| LinePoint {
                                    p: Point {
                                        x: Mm(x).into(),
                                        y: Mm(h - y).into(),
                                    },
                                    bezier: false,
                                })
                                .collect(),
                            is_closed: false,
                        },
                    });
                    if dashed {
                        ops.push(Op::SetLineDashPattern {
                            dash: printpdf::LineDashPattern::solid(),
                        });
                    }
                    ops.push(Op::SetOutlineColor {
                        col: colour((0, 0, 0)),
                    });
                }
                Item::Fill {
                    x,
                    y,
                    w,
                    h: height,
                    rgb,
                } => {
                    ops.push(Op::SetFillColor { col: colour(rgb) });
                    ops.push(Op::DrawRectangle {
                        rectangle: printpdf::Rect {
                            x: Mm(x).into(),
                            y: Mm(h - y - height).into(),
                            width: Mm(w).into(),
                            height: Mm(height).into(),
                            mode: Some(printpdf::PaintMode::Fill),
                            winding_order: None,
                        },
                    });
                    ops.push(Op::SetFillColor {
                        col: colour((0, 0, 0)),
                    });
                }
                Item::Colour(rgb) => ops.push(Op::SetFillColor { col: colour(rgb) }),
                Item::PageBreak => {
                    pages.push(PdfPage::new(
                        Mm(self.width),
                        Mm(h),
                        std::mem::take(&mut ops),
                    ));
                }
            }
        }
        pages.push(PdfPage::new(Mm(self.width), Mm(h), ops));
        let mut warnings = Vec::new();
        let bytes = doc
            .with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut warnings);
        if std::env::var_os("FRONTDESK_PDF_DEBUG").is_some() {
            for w in warnings {
                eprintln!("pdf: {w:?}");
            }
        }
        Ok(bytes)
    }
}

pub(crate) fn text_width_mm(text: &str, size: f32) -> f32 {
    let ems: f32 = text
        .chars()
        .map(|c| if (c as u32) < 0x2E80 { 0.55 } else { 1.0 })
        .sum();
    ems * size * 25.4 / 72.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a PDF back as text with poppler's `pdftotext`, as a person's viewer would.
    pub fn pdftotext(bytes: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.pdf");
        std::fs::write(&path, bytes).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args(["-layout", path.to_str().unwrap(), "-"])
            .output()
            .expect("pdftotext (poppler-utils) must be installed");
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn chinese_text_is_embedded_and_reads_back() {
        let mut doc = Doc::new("t", 80.0, 100.0).unwrap();
        doc.text(4.0, 10.0, 10.0, "示范市第一人民医院 挂号收据");
        doc.text_right(76.0, 20.0, 10.0, "¥25.00");
        doc.rule(4.0, 76.0, 24.0);
        let bytes = doc.finish().unwrap();
        assert!(
            bytes.len() < 200_000,
            "the font is subset: {} bytes",
            bytes.len()
        );
        let text = pdftotext(&bytes);
        assert!(text.contains("示范市第一人民医院 挂号收据"), "{text}");
        assert!(text.contains("¥25.00"), "{text}");
    }
}
