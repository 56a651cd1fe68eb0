//! Letters as A4 portrait PDF (the claim letters of debt collection): the sender and the
//! date at the top, the addressee's block on the right, a bold title, the body's
//! paragraphs wrapped to the page's width, a table of figures (the debt by age) and the
//! signature line. Several letters go into one PDF, each from a new page (a stack to
//! print and post); a long letter runs over to further pages. No IO.

use krilla::Document;
use krilla::page::PageSettings;

use crate::invoices::pdf::{Fonts, HEIGHT, MARGIN, Pen, WIDTH};
use platform::error::{AppError, AppResult};

const SIZE: f32 = 10.5;
const LINE: f32 = 14.0;
/// Characters a body line holds at `SIZE` (DejaVu Sans runs ~0.55 em a letter in
/// running text; a line a little short is better than one off the page).
const CHARS: usize = 88;

/// One letter.
#[derive(Debug, Clone, PartialEq)]
pub struct Letter {
    /// The sender's lines (the tenant's name, its address and requisites).
    pub sender: Vec<String>,
    /// "06.12.2026" and the like.
    pub date: String,
    /// The addressee's lines (name, address, account).
    pub to: Vec<String>,
    pub title: String,
    /// Paragraphs; a blank line of the template separates them.
    pub body: String,
    /// (label, figure) rows drawn as a two-column table after the body.
    pub figures: Vec<(String, String)>,
    /// The line to sign on.
    pub signature: String,
}

/// Wraps a paragraph at word boundaries to lines of at most `width` characters (a word
/// longer than a line is cut).
pub fn wrap(paragraph: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in paragraph.split_whitespace() {
        let mut word = word.to_owned();
        while word.chars().count() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(head);
        }
        let need = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if need > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A letter's lines placed on its pages (a letter longer than a page runs on).
fn layout(letter: &Letter) -> Vec<Vec<Item>> {
    let bottom = HEIGHT - MARGIN - 20.0;
    let mut pages: Vec<Vec<Item>> = vec![Vec::new()];
    let mut y = MARGIN + 14.0;
    let put = |item: Item, height: f32, y: &mut f32, pages: &mut Vec<Vec<Item>>| {
        if *y + height > bottom {
            pages.push(Vec::new());
            *y = MARGIN + 14.0;
        }
        if let Some(p) = pages.last_mut() {
            p.push(item.at(*y));
        }
        *y += height;
    };
    for (i, s) in letter.sender.iter().enumerate() {
        put(Item::left(s, i == 0, 9.0), 12.0, &mut y, &mut pages);
    }
    put(
        Item::left(&letter.date, false, 9.0),
        24.0,
        &mut y,
        &mut pages,
    );
    for t in &letter.to {
        put(Item::indent(t), LINE, &mut y, &mut pages);
    }
    y += 20.0;
    put(Item::title(&letter.title), 26.0, &mut y, &mut pages);
    for paragraph in letter.body.split("\n\n") {
        for text in paragraph.lines().flat_map(|l| wrap(l, CHARS)) {
            put(Item::left(&text, false, SIZE), LINE, &mut y, &mut pages);
        }
        y += 6.0;
    }
    if !letter.figures.is_empty() {
        y += 6.0;
        for (label, figure) in &letter.figures {
            put(Item::figure(label, figure), LINE, &mut y, &mut pages);
        }
    }
    y += 36.0;
    put(
        Item::left(&letter.signature, false, SIZE),
        LINE,
        &mut y,
        &mut pages,
    );
    pages
}

/// The letters in one PDF, each from a new page.
pub fn render(letters: &[Letter]) -> AppResult<Vec<u8>> {
    let fonts = Fonts::load()?;
    let mut document = Document::new();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT)
        .ok_or_else(|| AppError::Internal("page size".into()))?;
    for letter in letters {
        for items in layout(letter) {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            let mut pen = Pen {
                s: &mut surface,
                fonts: &fonts,
            };
            for item in items {
                item.draw(&mut pen);
            }
            surface.finish();
            page.finish();
        }
    }
    if letters.is_empty() {
        // A PDF has at least one page.
        let page = document.start_page_with(settings);
        page.finish();
    }
    document
        .finish()
        .map_err(|e| AppError::Internal(format!("pdf: {e:?}")))
}

/// A line placed on a page.
struct Item {
    kind: Kind,
    text: String,
    figure: String,
    y: f32,
}

enum Kind {
    Left { bold: bool, size: f32 },
    Indent,
    Title,
    Figure,
}

impl Item {
    fn new(kind: Kind, text: &str, figure: &str) -> Self {
        Self {
            kind,
            text: text.to_owned(),
            figure: figure.to_owned(),
            y: 0.0,
        }
    }
    fn left(text: &str, bold: bool, size: f32) -> Self {
        Self::new(Kind::Left { bold, size }, text, "")
    }
    fn indent(text: &str) -> Self {
        Self::new(Kind::Indent, text, "")
    }
    fn title(text: &str) -> Self {
        Self::new(Kind::Title, text, "")
    }
    fn figure(label: &str, figure: &str) -> Self {
        Self::new(Kind::Figure, label, figure)
    }
    fn at(mut self, y: f32) -> Self {
        self.y = y;
        self
    }

    fn draw(&self, pen: &mut Pen<'_, '_>) {
        let y = self.y;
        match self.kind {
            Kind::Left { bold, size } => pen.text(MARGIN, y, size, bold, &self.text),
            Kind::Indent => pen.text(WIDTH / 2.0, y, SIZE, false, &self.text),
            Kind::Title => {
                // Centred by its length (DejaVu Sans Bold ≈ 0.62 em a letter).
                let width = self.text.chars().count() as f32 * 13.0 * 0.62;
                pen.text(
                    ((WIDTH - width) / 2.0).max(MARGIN),
                    y,
                    13.0,
                    true,
                    &self.text,
                );
            }
            Kind::Figure => {
                pen.text(MARGIN + 20.0, y, SIZE, false, &self.text);
                pen.right(WIDTH / 2.0 + 120.0, y, SIZE, true, &self.figure);
                pen.line(MARGIN + 20.0, y + 3.0, WIDTH / 2.0 + 120.0, y + 3.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(n: usize, paragraphs: usize) -> Letter {
        Letter {
            sender: vec!["КП «Водоканал»".into(), "м. Світле, вул. Центральна, 1".into()],
            date: "06.12.2026".into(),
            to: vec![format!("Абонент {n}"), "вул. Садова, 5, кв. 2".into()],
            title: "ПОПЕРЕДЖЕННЯ".into(),
            body: (0..paragraphs)
                .map(|i| format!("Абзац {i}: заборгованість за послуги водопостачання слід сплатити у строк, зазначений нижче, інакше справу буде передано до суду."))
                .collect::<Vec<_>>()
                .join("\n\n"),
            figures: vec![("Борг".into(), "1 250,00".into()), ("Пеня".into(), "12,30".into())],
            signature: "Директор ____________".into(),
        }
    }

    fn titles(pdf: &[u8]) -> usize {
        pdf_extract::extract_text_from_mem(pdf)
            .unwrap_or_default()
            .matches("ПОПЕРЕДЖЕННЯ")
            .count()
    }

    #[test]
    fn words_wrap_to_the_width_and_a_long_word_is_cut() {
        assert_eq!(wrap("один два три", 8), vec!["один два", "три"]);
        assert_eq!(wrap("абвгдеєжз", 4), vec!["абвг", "деєж", "з"]);
        assert!(wrap("   ", 10).is_empty());
    }

    #[test]
    fn letters_are_stacked_each_from_its_page_and_their_text_extracts() {
        let pdf = render(&[letter(1, 2), letter(2, 2)]).unwrap_or_default();
        assert!(pdf.starts_with(b"%PDF"));
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap_or_default();
        assert!(
            text.contains("Абонент 1") && text.contains("Абонент 2"),
            "{text}"
        );
        assert!(
            text.contains("1 250,00") && text.contains("Директор"),
            "{text}"
        );
        assert_eq!(titles(&pdf), 2);
    }

    #[test]
    fn a_long_letter_runs_over_to_another_page() {
        let pdf = render(&[letter(1, 40)]).unwrap_or_default();
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap_or_default();
        assert!(
            text.contains("Абзац 39") && text.contains("Директор"),
            "{text}"
        );
        assert!(layout(&letter(1, 40)).len() >= 2);
        assert_eq!(layout(&letter(1, 2)).len(), 1);
    }
}
