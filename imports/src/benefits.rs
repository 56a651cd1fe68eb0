//! The beneficiaries import (seed 001 §5.2): a row gives a resident of an account (by name,
//! and birth date where two share one), the benefit's code, the document and the period; a
//! row naming a `mainBeneficiary` makes the person a family member of that resident's
//! benefit instead. A benefit the resident already holds over a period that meets the
//! file's is renewed (its period and document replaced), otherwise added; the family
//! members' periods then follow the main beneficiary's. Rows stand alone: a person, a
//! benefit or a main beneficiary that cannot be matched is listed.

use serde_json::json;

use crate::kinds::Kind;
use crate::post::{
    Ctx, Outcome, date_of, exec, lines, reasons, refuse_staged, rows_accounts, stage_table, staged,
    staged_accounts, text_of,
};
use crate::read::Record;
use platform::error::AppResult;

/// A name as compared: lower case, spaces collapsed.
const NAME: &str = "lower(regexp_replace(btrim({}), '\\s+', ' ', 'g'))";

fn name(expr: &str) -> String {
    NAME.replace("{}", expr)
}

pub(crate) async fn beneficiaries(ctx: &Ctx<'_>, records: &[Record]) -> AppResult<Outcome> {
    let k = Kind::Beneficiaries;
    let (mut checks, ids) = rows_accounts(ctx, k, records).await?;
    let stage = staged(records, &mut checks, ids, |r, id| {
        let full_name = text_of("fullName", r.get(k, "fullName"), 200, true)?;
        let born = date_of("birthDate", r.get(k, "birthDate"), ctx.date_format)?;
        let benefit = text_of("benefit", r.get(k, "benefit"), 40, true)?;
        let starts = date_of("startsOn", r.get(k, "startsOn"), ctx.date_format)?
            .ok_or("startsOn: is required")?;
        let ends = date_of("endsOn", r.get(k, "endsOn"), ctx.date_format)?;
        if ends.is_some_and(|e| e < starts) {
            return Err("endsOn: must not be before the start".into());
        }
        let document = text_of("document", r.get(k, "document"), 200, false)?;
        let main = text_of("mainBeneficiary", r.get(k, "mainBeneficiary"), 200, false)?;
        Ok(
            json!({"line": r.line, "account_id": id, "full_name": full_name, "birth_date": born,
                  "benefit": benefit, "starts_on": starts, "ends_on": ends, "document": document,
                  "main": main}),
        )
    });
    stage_table(
        ctx,
        "imp_beneficiaries",
        &format!(
            "SELECT x.*, k.id AS benefit_id, k.family, r.id AS resident_id, r.n AS named, \
                    NULL::bigint AS beneficiary_id, false AS added \
             FROM jsonb_to_recordset($1::text::jsonb) AS x(line int, account_id bigint, full_name text, \
                  birth_date date, benefit text, starts_on date, ends_on date, document text, main text) \
             LEFT JOIN benefits k ON k.code = x.benefit \
             LEFT JOIN LATERAL (SELECT min(r.id) AS id, count(*) AS n FROM residents r \
                  WHERE r.account_id = x.account_id AND {} = {} \
                  AND (x.birth_date IS NULL OR r.birth_date = x.birth_date)) r ON true",
            name("r.full_name"),
            name("x.full_name")
        ),
        stage,
    )
    .await?;
    let found = reasons(
        ctx,
        &format!(
            "SELECT line, 'benefit: there is no benefit ' || benefit AS reason FROM imp_beneficiaries \
               WHERE benefit_id IS NULL \
             UNION ALL SELECT line, 'fullName: the account has no resident ' || full_name \
               FROM imp_beneficiaries WHERE named = 0 \
             UNION ALL SELECT line, 'fullName: the account has ' || named || ' residents of this name; give the birth date' \
               FROM imp_beneficiaries WHERE named > 1 \
             UNION ALL SELECT line, 'mainBeneficiary: benefit ' || benefit || ' does not extend to family members' \
               FROM imp_beneficiaries WHERE main IS NOT NULL AND NOT family \
             UNION ALL SELECT line, 'mainBeneficiary: must be another resident' FROM imp_beneficiaries \
               WHERE main IS NOT NULL AND {} = {} \
             UNION ALL SELECT i.line, 'fullName: appears twice in the file (line ' || min(j.line) || ')' \
               FROM imp_beneficiaries i JOIN imp_beneficiaries j ON j.account_id = i.account_id \
               AND j.resident_id = i.resident_id AND j.benefit_id = i.benefit_id AND j.line < i.line GROUP BY i.line",
            name("main"),
            name("full_name")
        ),
    )
    .await?;
    refuse_staged(ctx, &mut checks, "imp_beneficiaries", found).await?;

    // Main beneficiaries: the latest record of the same resident and benefit whose period
    // meets the file's (overlapping or the day after) is renewed; otherwise one is added.
    exec(
        ctx,
        "UPDATE imp_beneficiaries i SET beneficiary_id = ( \
           SELECT b.id FROM beneficiaries b WHERE b.resident_id = i.resident_id AND b.benefit_id = i.benefit_id \
           AND b.starts_on <= coalesce(i.ends_on + 1, 'infinity') AND coalesce(b.ends_on + 1, 'infinity') >= i.starts_on \
           ORDER BY b.starts_on DESC LIMIT 1) WHERE i.main IS NULL",
        vec![],
    )
    .await?;
    let renewed = exec(
        ctx,
        "UPDATE beneficiaries b SET starts_on = i.starts_on, ends_on = i.ends_on, \
                document = coalesce(i.document, b.document) \
         FROM imp_beneficiaries i WHERE b.id = i.beneficiary_id",
        vec![],
    )
    .await?;
    exec(
        ctx,
        "UPDATE imp_beneficiaries SET beneficiary_id = nextval(pg_get_serial_sequence('beneficiaries', 'id')), \
                added = true WHERE main IS NULL AND beneficiary_id IS NULL",
        vec![],
    )
    .await?;
    let added = exec(
        ctx,
        "INSERT INTO beneficiaries (id, account_id, resident_id, benefit_id, starts_on, ends_on, document) \
         SELECT beneficiary_id, account_id, resident_id, benefit_id, starts_on, ends_on, document \
         FROM imp_beneficiaries WHERE added ORDER BY line",
        vec![],
    )
    .await?;
    // The family members of every main beneficiary the file named follow its period.
    let followed = exec(
        ctx,
        "UPDATE beneficiary_members m SET starts_on = b.starts_on, ends_on = b.ends_on \
         FROM beneficiaries b JOIN imp_beneficiaries i ON i.beneficiary_id = b.id AND i.main IS NULL \
         WHERE m.beneficiary_id = b.id",
        vec![],
    )
    .await?;

    // Family members: the main beneficiary is the account's resident of that name holding
    // the benefit (its latest record, the file's own rows written above included).
    exec(
        ctx,
        &format!(
            "UPDATE imp_beneficiaries i SET beneficiary_id = ( \
               SELECT b.id FROM beneficiaries b JOIN residents r ON r.id = b.resident_id \
               WHERE b.account_id = i.account_id AND b.benefit_id = i.benefit_id AND {} = {} \
               ORDER BY b.starts_on DESC, b.id DESC LIMIT 1) WHERE i.main IS NOT NULL",
            name("r.full_name"),
            name("i.main")
        ),
        vec![],
    )
    .await?;
    let found = reasons(
        ctx,
        "SELECT line, 'mainBeneficiary: ' || main || ' holds no benefit ' || benefit || ' on this account' AS reason \
         FROM imp_beneficiaries WHERE main IS NOT NULL AND beneficiary_id IS NULL",
    )
    .await?;
    refuse_staged(ctx, &mut checks, "imp_beneficiaries", found).await?;
    let members = exec(
        ctx,
        "INSERT INTO beneficiary_members (beneficiary_id, resident_id, starts_on, ends_on) \
         SELECT i.beneficiary_id, i.resident_id, b.starts_on, b.ends_on FROM imp_beneficiaries i \
         JOIN beneficiaries b ON b.id = i.beneficiary_id WHERE i.main IS NOT NULL \
         ON CONFLICT (beneficiary_id, resident_id) DO UPDATE SET starts_on = EXCLUDED.starts_on, \
            ends_on = EXCLUDED.ends_on",
        vec![],
    )
    .await?;
    // The open month's invoices of these accounts are stale now (the benefit changes the
    // charge; the calculation re-forms them).
    let touched = staged_accounts(ctx, "imp_beneficiaries").await?;
    periods::touches::accounts(ctx.txn, ctx.open, &touched).await?;
    Ok(Outcome {
        refused: None,
        lines: lines(checks),
        totals: json!({"added": added, "renewed": renewed, "members": members,
                       "membersFollowed": followed}),
    })
}
