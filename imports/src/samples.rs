//! Sample files: for each import kind, a CSV (UTF-8, `;`, a header of the kind's field
//! names) of `n` accounts numbered from `first` — three rows on the onboarding screen, and
//! the generator's onboarding set of any size (the benchmark's 100,000 accounts). The
//! services, benefits and price lists named are the tenant's own, so a sample imports as
//! it is.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::kinds::Kind;

/// A service of the tenant, as the samples name it.
#[derive(Debug, Clone)]
pub struct Service {
    pub code: String,
    pub metered: bool,
}

const STREETS: [&str; 8] = [
    "Шевченка",
    "Франка",
    "Лесі Українки",
    "Грушевського",
    "Хмельницького",
    "Сагайдачного",
    "Садова",
    "Миру",
];
const NAMES: [&str; 8] = [
    "Петренко Іван Петрович",
    "Коваленко Олена Іванівна",
    "Бондар Андрій Сергійович",
    "Шевчук Марія Олегівна",
    "Ткаченко Петро Миколайович",
    "Кравець Ірина Василівна",
    "Олійник Сергій Андрійович",
    "Мельник Наталія Петрівна",
];

fn account(first: u64, i: usize) -> String {
    format!("{:06}", first + i as u64)
}

/// The address of the i-th account: 60 apartments a building, 40 buildings a street.
fn address(i: usize) -> (String, String, usize) {
    let building = i / 60;
    let street = STREETS[(building / 40) % STREETS.len()];
    let street = if building / 40 >= STREETS.len() {
        format!("{street} {}", building / 40 / STREETS.len() + 1)
    } else {
        street.to_owned()
    };
    (street, (building % 40 + 1).to_string(), i % 60 + 1)
}

/// What of the tenant's own the samples name.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Active main services, metered ones marked.
    pub services: Vec<Service>,
    /// Active benefits' codes, those extending to family first.
    pub benefits: Vec<String>,
    /// The first price list's code ("BASE" when there is none: the tariffs file creates it).
    pub price_list: String,
}

/// The tenant's catalogue as the samples use it.
pub async fn catalogue(
    txn: &sea_orm::DatabaseTransaction,
) -> platform::error::AppResult<Catalogue> {
    use sea_orm::FromQueryResult;
    #[derive(FromQueryResult)]
    struct Row {
        code: String,
        metered: bool,
    }
    #[derive(FromQueryResult)]
    struct Code {
        code: String,
    }
    let services = Row::find_by_statement(platform::sql::stmt(
        "SELECT code, method = 'metered' AS metered FROM services WHERE active AND sub_method = 'main' ORDER BY code",
        vec![],
    ))
    .all(txn)
    .await?
    .into_iter()
    .map(|r| Service {
        code: r.code,
        metered: r.metered,
    })
    .collect();
    let codes = |sql: &'static str| async move {
        Ok::<_, platform::error::AppError>(
            Code::find_by_statement(platform::sql::stmt(sql, vec![]))
                .all(txn)
                .await?
                .into_iter()
                .map(|c| c.code)
                .collect::<Vec<_>>(),
        )
    };
    let benefits =
        codes("SELECT code FROM benefits WHERE active ORDER BY family DESC, code").await?;
    let price_list = codes("SELECT code FROM price_lists WHERE active ORDER BY id LIMIT 1")
        .await?
        .into_iter()
        .next()
        .unwrap_or_else(|| "BASE".to_owned());
    Ok(Catalogue {
        services,
        benefits,
        price_list,
    })
}

/// The file of `kind` for `n` accounts from number `first`.
pub fn file(kind: Kind, n: usize, first: u64, catalogue: &Catalogue, start: NaiveDate) -> String {
    let services = &catalogue.services;
    let mut out = String::new();
    let header: Vec<&str> = kind.fields().iter().map(|f| f.name).collect();
    out.push_str(&header.join(";"));
    out.push('\n');
    let start = start.format("%d.%m.%Y").to_string();
    let codes: Vec<&str> = services.iter().map(|s| s.code.as_str()).collect();
    let metered: Vec<&str> = services
        .iter()
        .filter(|s| s.metered)
        .map(|s| s.code.as_str())
        .collect();
    match kind {
        Kind::Tariffs => {
            // The catalogue's prices, not per account: each service at a round price.
            for (j, code) in codes.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{};{};{code};{start};{}.{:02}",
                    catalogue.price_list,
                    catalogue.price_list,
                    12 + j * 7,
                    (j * 35) % 100
                );
            }
            return out;
        }
        Kind::PenaltyRates => {
            // The NBU discount rate's changes of 2024–2025.
            for (day, rate) in [
                ("13.12.2024", "13,5"),
                ("24.01.2025", "14,5"),
                ("07.03.2025", "15,5"),
            ] {
                let _ = writeln!(out, "{day};{rate}");
            }
            return out;
        }
        _ => {}
    }
    for i in 0..n {
        let acc = account(first, i);
        let (street, building, apartment) = address(i);
        let _ = match kind {
            Kind::Accounts => writeln!(
                out,
                // Residents are left to their own file (counts here would generate cards
                // the residents file then finds already there).
                "{acc};Київ;{street};{building};{apartment};{};individual;{}.{};;{};{start};",
                NAMES[i % NAMES.len()],
                40 + i % 50,
                i % 10,
                codes.join(","),
            ),
            Kind::Residents => writeln!(out, "{acc};{};{}", 1 + i % 4, 1 + i % 3),
            Kind::ResidentList => writeln!(
                out,
                "{acc};{};{:02}.{:02}.{};{start};;{start};;",
                NAMES[(i + 3) % NAMES.len()],
                1 + i % 28,
                1 + i % 12,
                1950 + i % 60
            ),
            Kind::Meters => {
                let mut rows = String::new();
                for (j, code) in metered.iter().enumerate() {
                    let _ = writeln!(
                        rows,
                        "{acc};;;;{code};S{acc}{j};;{start};{}.{};;;",
                        1 + i % 900,
                        i % 10
                    );
                }
                out.push_str(&rows);
                Ok(())
            }
            Kind::Beneficiaries => {
                // One in five accounts: the listed resident holds the first benefit; where
                // it extends to family, the account holder is its member.
                if i % 5 == 0
                    && let Some(benefit) = catalogue.benefits.first()
                {
                    let who = NAMES[(i + 3) % NAMES.len()];
                    let _ = writeln!(out, "{acc};{who};;{benefit};ПП{acc};{start};;");
                }
                Ok(())
            }
            Kind::Tariffs | Kind::PenaltyRates => Ok(()),
            Kind::Subsidies => {
                // One in four accounts is subsidised, on its first two services.
                if i % 4 == 0 {
                    for (j, code) in codes.iter().take(2).enumerate() {
                        let _ = writeln!(
                            out,
                            "{acc};{code};{}.{:02}",
                            50 + (i + j) % 150,
                            (i * 7) % 100
                        );
                    }
                }
                Ok(())
            }
            Kind::Balances => {
                let mut rows = String::new();
                for (j, code) in codes.iter().enumerate() {
                    // Most owe a little, every seventh has paid ahead.
                    let sign = if (i + j) % 7 == 0 { "-" } else { "" };
                    let _ = writeln!(
                        rows,
                        "{acc};{code};{sign}{}.{:02}",
                        (i * 37 + j * 11) % 900,
                        (i + j) % 100
                    );
                }
                out.push_str(&rows);
                Ok(())
            }
        };
    }
    out
}

/// The whole onboarding set, in the order a migration loads it: the residents counted
/// (generated cards) and then one named person an account, whom the beneficiaries file
/// names (left out when the tenant has no benefit); subsidies come monthly, not here.
pub fn set(
    n: usize,
    first: u64,
    catalogue: &Catalogue,
    start: NaiveDate,
) -> Vec<(Kind, String, String)> {
    [
        Kind::Tariffs,
        Kind::Accounts,
        Kind::Residents,
        Kind::ResidentList,
        Kind::Meters,
        Kind::Balances,
        Kind::Beneficiaries,
    ]
    .into_iter()
    .filter(|k| *k != Kind::Beneficiaries || !catalogue.benefits.is_empty())
    .map(|k| {
        (
            k,
            format!("{}.csv", k.code()),
            file(k, n, first, catalogue, start),
        )
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Format, Layout, read};

    #[test]
    fn every_sample_reads_back_by_its_header() {
        let catalogue = Catalogue {
            services: vec![
                Service {
                    code: "COLD".into(),
                    metered: true,
                },
                Service {
                    code: "HEAT".into(),
                    metered: false,
                },
            ],
            benefits: vec!["VET".into()],
            price_list: "BASE".into(),
        };
        let start = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        for kind in Kind::ALL {
            let text = file(kind, 5, 100, &catalogue, start);
            let layout = Layout {
                kind,
                format: Format::Csv,
                encoding: platform::table::Charset::UTF_8,
                delimiter: b';',
                skip_lines: 1,
                columns: Vec::new(),
                date_format: "%d.%m.%Y".into(),
            };
            let rows = read(text.as_bytes(), &layout).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            let rows_of = match kind {
                Kind::Balances => 10,
                // Accounts 0 and 4 of five, two services each.
                Kind::Subsidies => 4,
                // Account 0 of five.
                Kind::Beneficiaries => 1,
                // A price per service; the three rate changes.
                Kind::Tariffs => 2,
                Kind::PenaltyRates => 3,
                _ => 5,
            };
            assert_eq!(rows.len(), rows_of, "{kind:?}");
            match kind {
                Kind::Tariffs => assert_eq!(rows[1].get(kind, "price"), Some("19.35")),
                Kind::PenaltyRates => assert_eq!(rows[2].get(kind, "rate"), Some("15,5")),
                _ => assert_eq!(rows[0].get(kind, "account"), Some("000100")),
            }
        }
    }
}
