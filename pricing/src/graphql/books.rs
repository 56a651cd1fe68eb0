//! Reference books through GraphQL: one generic list/add/edit/delete for every book.

use async_graphql::{Context, Object, SimpleObject};
use chrono::Utc;

use crate::books::{self, Book, BookOption, FieldKind, Item, ItemInput};
use access::auth::{self, Action, Document};
use platform::error::{AppError, AppResult};
use platform::sql::MAX_PAGE;

#[derive(SimpleObject)]
pub struct BookPage {
    pub total: i64,
    pub items: Vec<Item>,
}

/// A book's own field, for generic screens.
#[derive(SimpleObject)]
pub struct BookField {
    pub name: String,
    pub kind: FieldKind,
    pub choices: Vec<String>,
    /// For CHOICE: the code list naming the choices' labels in the codes catalog
    /// (`<table>_<column>`, as the column's check constraint is named).
    pub code_list: Option<String>,
    /// For REFERENCE and REFERENCES: the book pointed into and its rows.
    pub target: Option<Book>,
    pub options: Vec<BookOption>,
}

#[derive(Default)]
pub struct BooksQuery;

#[Object]
impl BooksQuery {
    /// The rows of a reference book by code; `search` matches code or name.
    async fn reference_book(
        &self,
        ctx: &Context<'_>,
        book: Book,
        search: Option<String>,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 100)] limit: u64,
    ) -> AppResult<BookPage> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(AppError::validation(
                "limit",
                format!("must be from 1 to {MAX_PAGE}"),
            ));
        }
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::View)?;
        let txn = scope.begin().await?;
        let (total, items) = books::list(&txn, book, search.as_deref(), offset, limit).await?;
        txn.commit().await?;
        Ok(BookPage { total, items })
    }

    /// The fields a book has beyond code, name and active.
    async fn reference_book_fields(
        &self,
        ctx: &Context<'_>,
        book: Book,
    ) -> AppResult<Vec<BookField>> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::View)?;
        let txn = scope.begin().await?;
        let mut out = Vec::new();
        for f in book.fields() {
            let options = match f.target {
                Some(t) => books::options(&txn, t).await?,
                None => Vec::new(),
            };
            out.push(BookField {
                name: f.name.to_owned(),
                kind: f.kind,
                choices: f.choices.iter().map(|c| (*c).to_owned()).collect(),
                code_list: (!f.choices.is_empty())
                    .then(|| format!("{}_{}", book.table(), f.column)),
                target: f.target,
                options,
            });
        }
        txn.commit().await?;
        Ok(out)
    }
}

#[derive(Default)]
pub struct BooksMutation;

#[Object]
impl BooksMutation {
    async fn create_reference_item(
        &self,
        ctx: &Context<'_>,
        book: Book,
        input: ItemInput,
    ) -> AppResult<Item> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Create)?;
        let txn = scope.begin().await?;
        let item = books::create(&txn, &scope.actor(), Utc::now(), book, &input).await?;
        txn.commit().await?;
        Ok(item)
    }

    async fn update_reference_item(
        &self,
        ctx: &Context<'_>,
        book: Book,
        id: i32,
        input: ItemInput,
    ) -> AppResult<Item> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Update)?;
        let txn = scope.begin().await?;
        let item = books::update(&txn, &scope.actor(), Utc::now(), book, id, &input).await?;
        txn.commit().await?;
        Ok(item)
    }

    /// Deletes a row; one still in use elsewhere is refused with CONFLICT.
    async fn delete_reference_item(
        &self,
        ctx: &Context<'_>,
        book: Book,
        id: i32,
    ) -> AppResult<bool> {
        let scope = auth::authorize(ctx, Document::ReferenceBooks, Action::Delete)?;
        let txn = scope.begin().await?;
        books::delete(&txn, &scope.actor(), Utc::now(), book, id).await?;
        txn.commit().await?;
        Ok(true)
    }
}
