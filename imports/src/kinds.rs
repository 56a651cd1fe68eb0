//! The import kinds: the fields each reads, which are required, the header names (in the
//! languages the files come in, and the short DBF names) a column is recognised by, the
//! document whose permissions govern it, and whether its rows stand alone.

use access::auth::Document;
use platform::error::{AppError, AppResult};

/// One field of an import's row.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The field's name (camelCase; the protocol and the templates name it so).
    pub name: &'static str,
    pub required: bool,
    /// Header texts recognised as this field, compared by [`normalise`].
    pub headers: &'static [&'static str],
}

const fn req(name: &'static str, headers: &'static [&'static str]) -> Field {
    Field {
        name,
        required: true,
        headers,
    }
}

const fn opt(name: &'static str, headers: &'static [&'static str]) -> Field {
    Field {
        name,
        required: false,
        headers,
    }
}

const ACCOUNT: &[&str] = &[
    "account",
    "accountnumber",
    "ls",
    "nls",
    "лс",
    "ос",
    "рахунок",
    "особовийрахунок",
    "лицевойсчет",
    "номерлс",
    "номеррахунку",
    "lschet",
    "schet",
];

const STREET: &[&str] = &["street", "улица", "вулиця", "ul", "vul"];
const BUILDING: &[&str] = &["building", "house", "дом", "будинок", "bld", "dom", "bud"];
const APARTMENT: &[&str] = &["apartment", "flat", "premises", "кв", "квартира", "kv"];

const BIRTH_DATE: &[&str] = &[
    "birthdate",
    "born",
    "датарождения",
    "датанародження",
    "dr",
    "datr",
];

const SERVICE: &[&str] = &["service", "услуга", "послуга", "usl", "kodusl"];

const BENEFIT: &[&str] = &[
    "benefit",
    "benefitcode",
    "льгота",
    "пільга",
    "кодльготы",
    "кодпільги",
    "kat",
    "kodpil",
    "lgota",
];

const ACCOUNT_FIELDS: &[Field] = &[
    req("account", ACCOUNT),
    req(
        "locality",
        &[
            "locality",
            "city",
            "town",
            "населенныйпункт",
            "населенийпункт",
            "місто",
            "город",
            "np",
            "nasp",
        ],
    ),
    req("street", STREET),
    req("building", BUILDING),
    opt("apartment", APARTMENT),
    req(
        "holder",
        &[
            "holder",
            "name",
            "fullname",
            "fio",
            "фио",
            "піб",
            "владелец",
            "власник",
            "абонент",
        ],
    ),
    opt("holderKind", &["holderkind", "kind", "type", "тип"]),
    opt(
        "area",
        &["area", "totalarea", "площадь", "площа", "pl", "ploshch"],
    ),
    opt(
        "residents",
        &[
            "residents",
            "registered",
            "жильцов",
            "прописано",
            "зареєстровано",
            "мешканців",
            "kolzar",
            "kol",
        ],
    ),
    opt(
        "services",
        &["services", "услуги", "послуги", "usl", "posl"],
    ),
    opt(
        "startsOn",
        &[
            "startson",
            "openedon",
            "from",
            "датаоткрытия",
            "датавідкриття",
            "dateopen",
            "datn",
        ],
    ),
    opt("priceList", &["pricelist", "прайслист", "прайс", "price"]),
];

const RESIDENT_FIELDS: &[Field] = &[
    req("account", ACCOUNT),
    req(
        "registered",
        &[
            "registered",
            "прописано",
            "зареєстровано",
            "зарегистрировано",
            "kolzar",
            "zar",
        ],
    ),
    opt(
        "living",
        &["living", "проживает", "проживає", "kolpr", "prog"],
    ),
];

const PERSON_FIELDS: &[Field] = &[
    req("account", ACCOUNT),
    req("fullName", &["fullname", "name", "fio", "фио", "піб"]),
    opt("birthDate", BIRTH_DATE),
    opt(
        "registeredFrom",
        &["registeredfrom", "прописанс", "зареєстрованийз", "datzar"],
    ),
    opt(
        "registeredTo",
        &["registeredto", "выписан", "виписаний", "datvyp"],
    ),
    opt(
        "livingFrom",
        &["livingfrom", "проживаетс", "проживаєз", "datpr"],
    ),
    opt(
        "livingTo",
        &["livingto", "проживаетпо", "проживаєпо", "datprk"],
    ),
    // A beneficiary's benefit code: the person holds it from the registration (or the
    // move-in, or the open period's first day) on.
    opt("benefit", BENEFIT),
];

const METER_FIELDS: &[Field] = &[
    // The account, or the address of its premises.
    opt("account", ACCOUNT),
    opt("street", STREET),
    opt("building", BUILDING),
    opt("apartment", APARTMENT),
    req("service", SERVICE),
    req(
        "serial",
        &[
            "serial",
            "number",
            "заводскойномер",
            "заводськийномер",
            "номер",
            "zavnom",
            "nomer",
        ],
    ),
    opt("model", &["model", "модель", "тип", "marka"]),
    req(
        "installedOn",
        &[
            "installedon",
            "installed",
            "установлен",
            "встановлено",
            "датаустановки",
            "datust",
        ],
    ),
    req(
        "initialReading",
        &[
            "initialreading",
            "reading",
            "начальныепоказания",
            "початковийпоказник",
            "показания",
            "показання",
            "pokaz",
            "pok",
        ],
    ),
    opt(
        "verifiedOn",
        &["verifiedon", "поверка", "повірка", "datpov"],
    ),
    opt(
        "nextVerification",
        &[
            "nextverification",
            "следующаяповерка",
            "наступнаповірка",
            "datsled",
        ],
    ),
    opt("seal", &["seal", "пломба", "plomba"]),
];

const SUBSIDY_FIELDS: &[Field] = &[
    req("account", ACCOUNT),
    req("service", SERVICE),
    req(
        "amount",
        &[
            "amount",
            "subsidy",
            "субсидия",
            "субсидія",
            "сумма",
            "сума",
            "summa",
            "sum",
        ],
    ),
];
const BALANCE_FIELDS: &[Field] = &[
    req("account", ACCOUNT),
    req("service", SERVICE),
    req(
        "amount",
        &[
            "amount",
            "balance",
            "saldo",
            "сальдо",
            "сумма",
            "сума",
            "summa",
            "dolg",
        ],
    ),
];

const BENEFICIARY_FIELDS: &[Field] = &[
    req("account", ACCOUNT),
    req(
        "fullName",
        &[
            "fullname",
            "name",
            "fio",
            "фио",
            "піб",
            "пільговик",
            "льготник",
            "fiopil",
        ],
    ),
    opt("birthDate", BIRTH_DATE),
    req("benefit", BENEFIT),
    opt(
        "document",
        &[
            "document",
            "документ",
            "удостоверение",
            "посвідчення",
            "pasp",
            "dok",
        ],
    ),
    req(
        "startsOn",
        &[
            "startson",
            "from",
            "датаначала",
            "датапочатку",
            "datn",
            "dpn",
        ],
    ),
    opt(
        "endsOn",
        &[
            "endson",
            "to",
            "датаокончания",
            "датазакінчення",
            "datk",
            "dpk",
        ],
    ),
    opt(
        "mainBeneficiary",
        &[
            "mainbeneficiary",
            "beneficiary",
            "основнойльготник",
            "основнийпільговик",
            "fioosn",
        ],
    ),
];

const TARIFF_FIELDS: &[Field] = &[
    req(
        "priceList",
        &["pricelist", "прайслист", "прайс", "price_list", "kodpr"],
    ),
    opt(
        "priceListName",
        &[
            "pricelistname",
            "названиепрайслиста",
            "назвапрайслиста",
            "nampr",
        ],
    ),
    req("service", SERVICE),
    req(
        "validFrom",
        &[
            "validfrom",
            "from",
            "дата",
            "сдаты",
            "здати",
            "действуетс",
            "дієз",
            "datn",
            "data",
        ],
    ),
    req(
        "price",
        &["price", "tariff", "тариф", "цена", "ціна", "cena", "tarif"],
    ),
];

const RATE_FIELDS: &[Field] = &[
    req(
        "validFrom",
        &[
            "validfrom",
            "date",
            "дата",
            "сдаты",
            "здати",
            "operdate",
            "data",
            "dat",
            "dt",
        ],
    ),
    req(
        "rate",
        &[
            "rate",
            "ставка",
            "обліковаставка",
            "учетнаяставка",
            "value",
            "stavka",
            "stav",
            "rat",
        ],
    ),
];

/// An import kind. The order of [`Kind::ALL`] is the order a migration loads them in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    async_graphql::Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[graphql(name = "ImportKind")]
pub enum Kind {
    /// Tariffs of price lists (a price list named but missing is created).
    Tariffs,
    /// The penalty base rate table (NBU discount rate / key rate), e.g. the NBU's .dbf.
    PenaltyRates,
    /// Subscribers and accounts with their premises, services and price list.
    Accounts,
    /// Residents from counts (registered / living): resident cards are generated.
    Residents,
    /// Residents from a list of people.
    ResidentList,
    /// The meter registry, added or replacing the account's meters of a service.
    Meters,
    /// Opening balances per account and service for the first open period.
    Balances,
    /// Beneficiaries: a resident's benefit over a period, and the family members it
    /// extends to.
    Beneficiaries,
    /// The social-protection office's monthly subsidies per account and service.
    Subsidies,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Tariffs,
        Kind::PenaltyRates,
        Kind::Accounts,
        Kind::Residents,
        Kind::ResidentList,
        Kind::Meters,
        Kind::Balances,
        Kind::Beneficiaries,
        Kind::Subsidies,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Tariffs => "tariffs",
            Kind::PenaltyRates => "penalty_rates",
            Kind::Accounts => "accounts",
            Kind::Residents => "residents",
            Kind::ResidentList => "resident_list",
            Kind::Meters => "meters",
            Kind::Balances => "balances",
            Kind::Beneficiaries => "beneficiaries",
            Kind::Subsidies => "subsidies",
        }
    }

    pub fn parse(code: &str) -> AppResult<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| AppError::validation("kind", format!("unknown import \"{code}\"")))
    }

    /// The list the import writes: creating in it is what uploading needs, viewing it
    /// what seeing the files needs.
    pub fn document(self) -> Document {
        match self {
            Kind::Accounts | Kind::Balances | Kind::Subsidies => Document::Accounts,
            Kind::Residents | Kind::ResidentList | Kind::Beneficiaries => Document::Subscribers,
            Kind::Tariffs | Kind::PenaltyRates => Document::ReferenceBooks,
            Kind::Meters => Document::Meters,
        }
    }

    /// Rows stand alone: a row that cannot be imported is skipped and the rest posted.
    /// (Subsidies too: the office's file lists accounts the utility may not have; those rows
    /// are listed, the rest credited; beneficiaries alike: a person the file names but the
    /// account does not have is listed.) Otherwise the file is all-or-nothing — accounts
    /// (addresses and numbers must all be right before a migration goes on), meters (a
    /// replace half-done leaves an account without meters), balances (their total is
    /// reconciled as one), tariffs and rates (a price list half-changed charges some
    /// services at the new prices and some at the old).
    pub fn independent_rows(self) -> bool {
        matches!(
            self,
            Kind::Residents | Kind::ResidentList | Kind::Beneficiaries | Kind::Subsidies
        )
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Kind::Accounts => ACCOUNT_FIELDS,
            Kind::Residents => RESIDENT_FIELDS,
            Kind::ResidentList => PERSON_FIELDS,
            Kind::Meters => METER_FIELDS,
            Kind::Balances => BALANCE_FIELDS,
            Kind::Beneficiaries => BENEFICIARY_FIELDS,
            Kind::Subsidies => SUBSIDY_FIELDS,
            Kind::Tariffs => TARIFF_FIELDS,
            Kind::PenaltyRates => RATE_FIELDS,
        }
    }

    /// The field's position in [`Kind::fields`].
    pub fn index(self, field: &str) -> Option<usize> {
        self.fields().iter().position(|f| f.name == field)
    }
}

/// A header text as compared: lower case, without spaces, punctuation or `№`.
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a header names, if any.
pub fn field_of(kind: Kind, header: &str) -> Option<usize> {
    let h = normalise(header);
    if h.is_empty() {
        return None;
    }
    kind.fields()
        .iter()
        .position(|f| normalise(f.name) == h || f.headers.iter().any(|s| normalise(s) == h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_any_language_and_dbf_names_find_their_field() {
        assert_eq!(field_of(Kind::Balances, "Особовий рахунок"), Some(0));
        assert_eq!(field_of(Kind::Balances, "ЛС"), Some(0));
        assert_eq!(field_of(Kind::Balances, "SALDO"), Some(2));
        assert_eq!(field_of(Kind::Accounts, "Кв."), Some(4));
        assert_eq!(field_of(Kind::Accounts, "price list"), Some(11));
        assert_eq!(field_of(Kind::Accounts, "whatever"), None);
    }

    #[test]
    fn no_two_fields_of_a_kind_share_a_header() {
        for k in Kind::ALL {
            let mut owner = std::collections::HashMap::new();
            for f in k.fields() {
                for h in f.headers.iter().copied().chain([f.name]) {
                    let first = owner.entry(normalise(h)).or_insert(f.name);
                    assert_eq!(*first, f.name, "{k:?}: \"{h}\" names two fields");
                }
            }
        }
    }
}
