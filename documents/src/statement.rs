//! The reconciliation statement (`billing::statement`) as an A4 PDF in the tenant's
//! language: the account, the months, the opening balance, a row per operation (date,
//! operation, document, charged, paid and credited) over as many pages as it takes, the
//! turnover, the closing balance and the two signature lines. No IO.

use krilla::Document;
use krilla::page::PageSettings;

use crate::invoices::document::money;
use crate::invoices::pdf::{Fonts, HEIGHT, MARGIN, Pen, WIDTH, fit};
use billing::statement::{self, Statement};
use platform::error::{AppError, AppResult};
use platform::i18n::Lang;

/// Rows a page holds below its head.
const ROW: f32 = 13.0;

pub fn render(s: &Statement, lang: Lang) -> AppResult<Vec<u8>> {
    let fonts = Fonts::load()?;
    let w = statement::words(lang);
    let t = |id: &str| w.get(id).cloned().unwrap_or_default();
    let mut document = Document::new();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT)
        .ok_or_else(|| AppError::Internal("page size".into()))?;
    let (x0, x1) = (MARGIN, WIDTH - MARGIN);
    let columns = |pen: &mut Pen<'_, '_>, y: f32| {
        pen.line(x0, y - 9.0, x1, y - 9.0);
        pen.text(x0, y, 7.5, true, &t("statement-date"));
        pen.text(x0 + 62.0, y, 7.5, true, &t("statement-operation"));
        pen.text(x0 + 200.0, y, 7.5, true, &t("statement-document"));
        pen.right(x1 - 80.0, y, 7.5, true, &t("statement-debit"));
        pen.right(x1, y, 7.5, true, &t("statement-credit"));
        pen.line(x0, y + 4.0, x1, y + 4.0);
    };
    let mut rows = s.rows.iter().peekable();
    let mut first = true;
    loop {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut pen = Pen {
            s: &mut surface,
            fonts: &fonts,
        };
        let mut y = MARGIN + 12.0;
        if first {
            pen.text(x0, y, 15.0, true, &t("statement-title"));
            y += 22.0;
            for (k, v) in [
                ("statement-account", s.number.clone()),
                ("statement-holder", s.holder.clone()),
                ("statement-address", s.address.clone()),
                ("statement-months", format!("{} — {}", s.from, s.to)),
            ] {
                pen.text(x0, y, 9.0, false, &format!("{}:", t(k)));
                pen.text(x0 + 110.0, y, 9.0, true, &fit(&v, 80));
                y += 13.0;
            }
            y += 12.0;
        }
        columns(&mut pen, y);
        y += ROW + 4.0;
        if first {
            pen.text(x0 + 62.0, y, 8.0, true, &t("statement-opening"));
            pen.right(x1 - 80.0, y, 8.0, true, &money(s.opening));
            y += ROW;
            first = false;
        }
        while let Some(r) = rows.next_if(|_| y < HEIGHT - MARGIN - 70.0) {
            pen.text(x0, y, 8.0, false, &r.on.to_string());
            pen.text(
                x0 + 62.0,
                y,
                8.0,
                false,
                &fit(&statement::operation(lang, r), 26),
            );
            pen.text(
                x0 + 200.0,
                y,
                8.0,
                false,
                &fit(&statement::document(lang, r), 34),
            );
            if !r.debit.is_zero() {
                pen.right(x1 - 80.0, y, 8.0, false, &money(r.debit));
            }
            if !r.credit.is_zero() {
                pen.right(x1, y, 8.0, false, &money(r.credit));
            }
            y += ROW;
        }
        let done = rows.peek().is_none();
        if done {
            pen.line(x0, y - 9.0, x1, y - 9.0);
            y += 4.0;
            pen.text(x0 + 62.0, y, 8.5, true, &t("statement-turnover"));
            pen.right(x1 - 80.0, y, 8.5, true, &money(s.debit));
            pen.right(x1, y, 8.5, true, &money(s.credit));
            y += ROW + 2.0;
            pen.text(x0 + 62.0, y, 9.5, true, &t("statement-closing"));
            pen.right(x1 - 80.0, y, 9.5, true, &money(s.closing));
            y += 36.0;
            pen.text(x0, y, 9.0, false, &t("statement-supplier-signature"));
            pen.text(
                x0 + 280.0,
                y,
                9.0,
                false,
                &t("statement-subscriber-signature"),
            );
        }
        surface.finish();
        page.finish();
        if done {
            break;
        }
    }
    document
        .finish()
        .map_err(|e| AppError::Internal(format!("pdf: {e:?}")))
}
