//! A report as a print form: A4 landscape pages of a table — the title and the parameters
//! on the first page, the column heads on every page, numbers right-aligned, the totals
//! row at the end, "page N of M" at the foot — and optionally blank columns drawn as boxes
//! to write in (the controller's route sheet). Column widths follow the longest text of
//! each column, capped; a longer text is cut with "…". No IO.

use krilla::Document;
use krilla::page::PageSettings;

use crate::invoices::pdf::{Fonts, MARGIN, Pen, fit};
use platform::error::{AppError, AppResult};

/// A4 landscape, points.
const WIDTH: f32 = 842.0;
const HEIGHT: f32 = 595.0;
const ROW: f32 = 12.0;
const SIZE: f32 = 7.0;
/// Points a character takes at `SIZE` (DejaVu Sans: Cyrillic letters run wider than
/// digits, so a cell is sized for the wider ones).
const CHAR: f32 = SIZE * 0.64;
/// The most characters a column is sized for.
const WIDEST: usize = 48;

/// What the form shows.
pub struct PrintTable {
    pub title: String,
    /// The parameters in words ("Period: 2026-11 · Building: …").
    pub subtitle: String,
    /// Printed at the foot of each page ("Formed on 2026-12-06").
    pub footer: String,
    pub headers: Vec<String>,
    /// Per column: right-aligned (a number).
    pub numeric: Vec<bool>,
    /// Per column: left blank with a box to write in.
    pub blank: Vec<bool>,
    pub rows: Vec<Vec<String>>,
    pub totals: Vec<String>,
    /// "Page N of M" in the reader's language, for a page and the count of pages.
    pub page_of: Box<dyn Fn(usize, usize) -> String + Send>,
}

/// Column widths in points: by the longest text (capped), scaled to the page's width.
fn widths(t: &PrintTable) -> Vec<f32> {
    let n = t.headers.len();
    let mut chars: Vec<usize> = t
        .headers
        .iter()
        .map(|h| h.chars().count().clamp(4, 18))
        .collect();
    for row in t.rows.iter().chain(std::iter::once(&t.totals)) {
        for (i, v) in row.iter().enumerate().take(n) {
            if let Some(c) = chars.get_mut(i) {
                *c = (*c).max(v.chars().count().min(WIDEST));
            }
        }
    }
    for (i, c) in chars.iter_mut().enumerate() {
        if t.blank.get(i).copied().unwrap_or(false) {
            *c = (*c).max(14);
        }
    }
    let want: f32 = chars.iter().map(|c| *c as f32 * CHAR + 8.0).sum();
    let room = WIDTH - 2.0 * MARGIN;
    let scale = if want > room { room / want } else { 1.0 };
    chars
        .iter()
        .map(|c| (*c as f32 * CHAR + 8.0) * scale)
        .collect()
}

pub fn render(t: &PrintTable) -> AppResult<Vec<u8>> {
    let fonts = Fonts::load()?;
    let mut document = Document::new();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT)
        .ok_or_else(|| AppError::Internal("page size".into()))?;
    let widths = widths(t);
    let lefts: Vec<f32> = widths
        .iter()
        .scan(MARGIN, |x, w| {
            let left = *x;
            *x += w;
            Some(left)
        })
        .collect();
    let x1 = MARGIN + widths.iter().sum::<f32>();
    let fits = |i: usize| {
        widths
            .get(i)
            .map_or(4, |w| ((w - 6.0) / CHAR).max(3.0) as usize)
    };
    let top = MARGIN + 12.0;
    let bottom = HEIGHT - MARGIN - 30.0;
    // The first row's line on the first page (below the title) and on the others.
    let (start_first, start_other) = (top + 40.0 + ROW + 4.0, top + ROW + 4.0);
    let capacity = |start: f32| (((bottom - start) / ROW).floor() as usize).max(1);
    let (first, other) = (capacity(start_first), capacity(start_other));
    // The totals take a row of their own, on the last page.
    let lines = t.rows.len() + 1;
    let pages = if lines <= first {
        1
    } else {
        1 + (lines - first).div_ceil(other)
    };
    let mut rows = t.rows.iter();
    for page_no in 1..=pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut pen = Pen {
            s: &mut surface,
            fonts: &fonts,
        };
        let mut y = top;
        if page_no == 1 {
            pen.text(MARGIN, y, 13.0, true, &fit(&t.title, 100));
            y += 16.0;
            pen.text(MARGIN, y, 8.5, false, &fit(&t.subtitle, 180));
            y += 24.0;
        }
        pen.line(MARGIN, y - 9.0, x1, y - 9.0);
        for (i, h) in t.headers.iter().enumerate() {
            let text = fit(h, fits(i));
            if t.numeric.get(i).copied().unwrap_or(false) {
                pen.right(lefts[i] + widths[i] - 3.0, y, SIZE, true, &text);
            } else {
                pen.text(lefts[i] + 2.0, y, SIZE, true, &text);
            }
        }
        pen.line(MARGIN, y + 4.0, x1, y + 4.0);
        y += ROW + 4.0;
        let room = if page_no == 1 { first } else { other };
        for r in rows.by_ref().take(room) {
            cells(&mut pen, t, r, y, &lefts, &widths, &fits, false);
            y += ROW;
        }
        if page_no == pages {
            pen.line(MARGIN, y - 9.0, x1, y - 9.0);
            y += 2.0;
            cells(&mut pen, t, &t.totals, y, &lefts, &widths, &fits, true);
        }
        pen.text(MARGIN, HEIGHT - MARGIN + 4.0, 6.5, false, &t.footer);
        let of = (t.page_of)(page_no, pages);
        pen.right(WIDTH - MARGIN, HEIGHT - MARGIN + 4.0, 6.5, false, &of);
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| AppError::Internal(format!("pdf: {e:?}")))
}

/// One row of cells at `y`; blank columns get a box (not on the totals row).
#[allow(clippy::too_many_arguments)]
fn cells(
    pen: &mut Pen<'_, '_>,
    t: &PrintTable,
    row: &[String],
    y: f32,
    lefts: &[f32],
    widths: &[f32],
    fits: &dyn Fn(usize) -> usize,
    bold: bool,
) {
    for (i, left) in lefts.iter().enumerate() {
        let w = widths.get(i).copied().unwrap_or(0.0);
        if t.blank.get(i).copied().unwrap_or(false) {
            if !bold {
                let (bx0, bx1, by0, by1) = (left + 2.0, left + w - 3.0, y - 8.0, y + 2.5);
                pen.line(bx0, by1, bx1, by1);
                pen.line(bx0, by0, bx0, by1);
                pen.line(bx1, by0, bx1, by1);
            }
            continue;
        }
        let Some(v) = row.get(i) else { continue };
        let text = fit(v, fits(i));
        if t.numeric.get(i).copied().unwrap_or(false) {
            pen.right(left + w - 3.0, y, SIZE, bold, &text);
        } else {
            pen.text(left + 2.0, y, SIZE, bold, &text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: usize) -> PrintTable {
        PrintTable {
            title: "Маршрутний лист".into(),
            subtitle: "Період: 2026-12".into(),
            footer: "2026-12-06".into(),
            headers: vec!["Адреса".into(), "Показник".into(), "Поточний".into()],
            numeric: vec![false, true, false],
            blank: vec![false, false, true],
            rows: (0..rows)
                .map(|i| vec![format!("вул. Садова, {i}"), format!("{i}.5"), String::new()])
                .collect(),
            totals: vec!["Разом".into(), String::new(), String::new()],
            page_of: Box::new(|n, m| format!("Сторінка {n} з {m}")),
        }
    }

    fn text_of(pdf: &[u8]) -> String {
        pdf_extract::extract_text_from_mem(pdf).unwrap_or_default()
    }

    #[test]
    fn a_long_table_runs_over_pages_with_its_heads_and_numbers() {
        let pdf = render(&table(120)).unwrap_or_default();
        assert!(pdf.starts_with(b"%PDF"));
        let text = text_of(&pdf);
        // 120 rows at ~36 a page: four pages, each numbered, the heads on each.
        assert!(text.contains("Сторінка 4 з 4"), "{text}");
        assert!(!text.contains("Сторінка 5"), "{text}");
        assert_eq!(text.matches("Показник").count(), 4, "{text}");
        assert!(text.contains("вул. Садова, 119"), "{text}");
        assert!(text.contains("Разом"), "{text}");
    }

    #[test]
    fn a_short_table_is_one_page_and_an_empty_one_still_prints() {
        let text = text_of(&render(&table(3)).unwrap_or_default());
        assert!(text.contains("Сторінка 1 з 1"), "{text}");
        let text = text_of(&render(&table(0)).unwrap_or_default());
        assert!(
            text.contains("Маршрутний лист") && text.contains("Разом"),
            "{text}"
        );
    }
}
