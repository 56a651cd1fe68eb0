//! The Ukrainian demo: «Водоканал «Демо»», a water utility that also bills heating and
//! house upkeep in four houses of Kyiv and Brovary, and a company on a contract. UAH, NBU
//! payment QR, the Ukrainian penalty rule (2 × the NBU discount rate).

use super::spec::{BankFile, Company, Flat, House, Kit, Payer, Point, Spec, Story, Words, flat};
use super::users::PortalUser;
use backend::tenants::NewTenant;

use Kit::{Cold, ColdHot};
use Payer::{Advance, Debtor, Late, Partial, Prompt};

const KHRESHCHATYK: usize = 0;
const PEREMOHY: usize = 1;
const SHOLOKHOVA: usize = 2;
const BROVARY: usize = 3;
const PROMYSLOVA: usize = 4;

const HOUSES: &[House] = &[
    House {
        branch: "1",
        region: "м. Київ",
        locality: "Київ",
        street_kind: "street",
        street: "вул. Хрещатик",
        number: "2",
        apartments: (41, 56),
        floors: 9,
        entrances: 2,
        lifts: 2,
        year_built: 1958,
        house_meter: true,
        services: &["xvs", "gvs", "vv", "opal", "utr", "xvs_odn", "lift"],
    },
    House {
        branch: "1",
        region: "м. Київ",
        locality: "Київ",
        street_kind: "avenue",
        street: "просп. Перемоги",
        number: "1",
        apartments: (1, 8),
        floors: 5,
        entrances: 1,
        lifts: 0,
        year_built: 1963,
        house_meter: false,
        services: &["xvs", "vv", "opal", "utr"],
    },
    House {
        branch: "1",
        region: "м. Київ",
        locality: "Київ",
        street_kind: "street",
        street: "вул. Шолохова",
        number: "5",
        apartments: (1, 6),
        floors: 3,
        entrances: 1,
        lifts: 0,
        year_built: 1952,
        house_meter: false,
        services: &["xvs", "vv", "opal", "utr"],
    },
    House {
        branch: "2",
        region: "Київська обл.",
        locality: "Бровари",
        street_kind: "street",
        street: "вул. Київська",
        number: "1",
        apartments: (1, 10),
        floors: 5,
        entrances: 2,
        lifts: 0,
        year_built: 1987,
        house_meter: true,
        services: &["xvs", "gvs", "vv", "opal", "utr", "xvs_odn"],
    },
    House {
        branch: "1",
        region: "м. Київ",
        locality: "Київ",
        street_kind: "street",
        street: "вул. Промислова",
        number: "14",
        apartments: (0, 0),
        floors: 2,
        entrances: 1,
        lifts: 0,
        year_built: 1974,
        house_meter: false,
        services: &["xvs"],
    },
];

#[rustfmt::skip]
const FLATS: &[Flat] = &[
    // вул. Хрещатик, 2: a house meter over metered and unmetered apartments.
    flat(KHRESHCHATYK, "41", "100009", ["Коваленко", "Олександр", "Петрович"],
        &["Коваленко Ірина Василівна", "Коваленко Максим Олександрович"], (3, "72.4"), ColdHot, Prompt,
        "0", "kovalenko.o@example.com", &[]),
    flat(KHRESHCHATYK, "42", "100010", ["Бондаренко", "Галина", "Іванівна"], &[], (1, "36.8"), ColdHot,
        Prompt, "412.30", "", &[Story::Benefit { code: "dytyna", family: false }, Story::LateSubsidy("150.00")]),
    flat(KHRESHCHATYK, "43", "100011", ["Ткаченко", "Сергій", "Миколайович"],
        &["Ткаченко Олена Вікторівна", "Ткаченко Дарина Сергіївна", "Ткаченко Артем Сергійович"],
        (3, "74.1"), ColdHot, Late, "1240.50", "tkachenko.s@example.com", &[]),
    flat(KHRESHCHATYK, "44", "100012", ["Шевчук", "Андрій", "Васильович"], &["Шевчук Марія Андріївна"],
        (2, "54.2"), Cold, Prompt, "655.10", "shevchuk.a@example.com", &[Story::ReadingSlip]),
    flat(KHRESHCHATYK, "45", "100001", ["Фролов", "Степан", "Іванович"], &["Фролова Ганна Петрівна"],
        (2, "52.6"), ColdHot, Prompt, "111.00", "frolov.s@example.com", &[Story::Portal]),
    flat(KHRESHCHATYK, "46", "100003", ["Новікова", "Анна", "Сергіївна"], &[], (1, "38.5"), ColdHot,
        Advance, "-120.00", "novikova.a@example.com", &[Story::Portal]),
    flat(KHRESHCHATYK, "47", "100013", ["Мельник", "Тетяна", "Олегівна"], &["Мельник Богдан Ігорович"],
        (2, "55.0"), Kit::None, Partial, "2350.00", "", &[Story::Fine("170.00")]),
    flat(KHRESHCHATYK, "48", "100014", ["Поліщук", "Віктор", "Андрійович"], &["Поліщук Людмила Петрівна"],
        (3, "71.9"), ColdHot, Prompt, "720.85", "polishchuk.v@example.com", &[Story::MeterRemoved]),
    flat(KHRESHCHATYK, "49", "100015", ["Кравченко", "Юлія", "Богданівна"], &["Кравченко Софія Олегівна"],
        (2, "53.7"), ColdHot, Prompt, "583.40", "kravchenko.yu@example.com", &[Story::SilentLastMonth]),
    flat(KHRESHCHATYK, "50", "100016", ["Олійник", "Петро", "Семенович"], &["Олійник Валентина Іванівна"],
        (3, "72.0"), ColdHot, Prompt, "498.20", "", &[Story::Benefit { code: "veteran", family: true }]),
    flat(KHRESHCHATYK, "51", "100017", ["Лисенко", "Марина", "Володимирівна"], &[], (1, "37.2"), ColdHot,
        Late, "860.00", "lysenko.m@example.com", &[]),
    flat(KHRESHCHATYK, "52", "100018", ["Савченко", "Дмитро", "Ігорович"],
        &["Савченко Оксана Михайлівна", "Савченко Марко Дмитрович", "Савченко Тарас Дмитрович"],
        (3, "73.6"), ColdHot, Prompt, "930.15", "savchenko.d@example.com",
        &[Story::MovesIn("Савченко Ярина Дмитрівна")]),
    flat(KHRESHCHATYK, "53", "100019", ["Руденко", "Леонід", "Павлович"], &[], (2, "52.9"), Kit::None,
        Debtor, "6420.80", "", &[Story::Storno("500.00")]),
    flat(KHRESHCHATYK, "54", "100020", ["Гончаренко", "Віра", "Степанівна"], &["Гончаренко Олег Вікторович"],
        (2, "54.8"), ColdHot, Prompt, "605.70", "honcharenko.v@example.com", &[Story::Subsidy("612.40")]),
    flat(KHRESHCHATYK, "55", "100021", ["Марченко", "Ігор", "Олександрович"], &["Марченко Анна Ігорівна"],
        (3, "71.5"), ColdHot, Advance, "0", "marchenko.i@example.com", &[]),
    flat(KHRESHCHATYK, "56", "100022", ["Клименко", "Надія", "Василівна"], &[], (1, "38.0"), ColdHot,
        Prompt, "377.95", "", &[Story::NoPenalty]),
    // просп. Перемоги, 1: cold-water meters, individual gas boilers (no hot water).
    flat(PEREMOHY, "1", "100023", ["Бойко", "Микола", "Степанович"], &["Бойко Ганна Миколаївна"],
        (2, "44.8"), Cold, Prompt, "402.60", "boiko.m@example.com", &[]),
    flat(PEREMOHY, "2", "100024", ["Павленко", "Оксана", "Ігорівна"],
        &["Павленко Денис Олегович", "Павленко Іван Денисович"], (2, "45.3"), Cold, Late, "860.20", "", &[]),
    flat(PEREMOHY, "3", "100025", ["Кузьменко", "Василь", "Петрович"], &[], (1, "31.6"), Cold, Prompt,
        "240.00", "", &[Story::MeterInstalled]),
    flat(PEREMOHY, "4", "100026", ["Левченко", "Іванна", "Тарасівна"], &["Левченко Тарас Іванович"],
        (2, "45.0"), Cold, Prompt, "388.40", "levchenko.i@example.com", &[]),
    flat(PEREMOHY, "5", "100027", ["Захарченко", "Олег", "Юрійович"],
        &["Захарченко Світлана Петрівна", "Захарченко Поліна Олегівна"], (3, "58.4"), Cold, Prompt, "512.75",
        "zakharchenko.o@example.com", &[Story::Benefit { code: "chaes1", family: true }]),
    flat(PEREMOHY, "6", "100028", ["Гуменюк", "Роман", "Васильович"], &[], (1, "31.2"), Cold, Debtor,
        "3920.15", "", &[Story::ClosedKeepingDebt]),
    flat(PEREMOHY, "7", "100002", ["Соколова", "Світлана", "Миколаївна"],
        &["Соколов Андрій Петрович", "Соколова Дарина Андріївна"], (3, "58.9"), Cold, Prompt, "534.10",
        "sokolova.s@example.com", &[]),
    flat(PEREMOHY, "8", "100029", ["Приходько", "Людмила", "Іванівна"], &["Приходько Ольга Вікторівна"],
        (2, "44.6"), Cold, Partial, "1210.00", "", &[Story::PaidByCompany]),
    // вул. Шолохова, 5: an old house without meters (the norm for everyone).
    flat(SHOLOKHOVA, "1", "100030", ["Волошин", "Юрій", "Андрійович"], &["Волошина Тамара Іванівна"],
        (2, "42.0"), Kit::None, Prompt, "455.30", "voloshyn.yu@example.com", &[]),
    flat(SHOLOKHOVA, "2", "100031", ["Литвиненко", "Галина", "Петрівна"], &[], (1, "30.5"), Kit::None,
        Prompt, "210.40", "", &[Story::Benefit { code: "veteran", family: false }]),
    flat(SHOLOKHOVA, "3", "100032", ["Романенко", "Сергій", "Іванович"],
        &["Романенко Ольга Миколаївна", "Романенко Кирило Сергійович"], (2, "43.1"), Kit::None, Late,
        "740.00", "romanenko.s@example.com", &[]),
    flat(SHOLOKHOVA, "4", "100033", ["Петренко", "Марія", "Олексіївна"], &[], (1, "30.8"), Kit::None,
        Prompt, "198.60", "", &[]),
    flat(SHOLOKHOVA, "5", "100006", ["Старих", "Віктор", "Павлович"],
        &["Старих Олена Вікторівна", "Старих Ігор Вікторович"], (2, "43.5"), Kit::None, Prompt, "566.90",
        "starykh.v@example.com", &[Story::MovesOut]),
    flat(SHOLOKHOVA, "6", "100007", ["Новіков", "Василь", "Андрійович"],
        &["Новікова Людмила Іванівна", "Новіков Олексій Васильович"], (2, "42.7"), Kit::None, Debtor,
        "18450.60", "", &[Story::Restructuring("Р-014")]),
    // Бровари, вул. Київська, 1: a house meter; hot water from the boiler house.
    flat(BROVARY, "1", "100034", ["Сидоренко", "Анатолій", "Миколайович"], &["Сидоренко Ніна Петрівна"],
        (2, "48.2"), ColdHot, Prompt, "610.25", "sydorenko.a@example.com", &[]),
    flat(BROVARY, "2", "100035", ["Шевченко", "Оксана", "Вікторівна"],
        &["Шевченко Максим Іванович", "Шевченко Марта Максимівна"], (3, "64.7"), ColdHot, Prompt, "842.30",
        "shevchenko.o@example.com", &[]),
    flat(BROVARY, "3", "100004", ["Іваненко", "Іван", "Іванович"], &[], (1, "33.9"), ColdHot, Advance,
        "-350.00", "ivanenko.i@example.com", &[]),
    flat(BROVARY, "4", "100036", ["Гаврилюк", "Наталія", "Сергіївна"], &["Гаврилюк Богдана Олегівна"],
        (2, "48.0"), Cold, Late, "930.00", "", &[]),
    flat(BROVARY, "5", "100037", ["Мороз", "Володимир", "Іванович"], &["Мороз Галина Михайлівна"],
        (2, "48.4"), Kit::None, Prompt, "577.80", "", &[]),
    flat(BROVARY, "6", "100038", ["Ковальчук", "Тарас", "Богданович"],
        &["Ковальчук Ірина Степанівна", "Ковальчук Остап Тарасович"], (3, "64.2"), ColdHot, Partial,
        "1580.00", "kovalchuk.t@example.com", &[]),
    flat(BROVARY, "7", "100039", ["Дмитренко", "Лідія", "Федорівна"], &[], (1, "34.1"), ColdHot, Prompt,
        "301.15", "", &[Story::Benefit { code: "chaes1", family: false }]),
    flat(BROVARY, "8", "100005", ["Глухов", "Федір", "Петрович"], &["Глухова Марія Іванівна"],
        (2, "48.6"), ColdHot, Prompt, "480.75", "hlukhov.f@example.com",
        &[Story::Benefit { code: "veteran", family: true }]),
    flat(BROVARY, "9", "100040", ["Пономаренко", "Юрій", "Олегович"], &["Пономаренко Світлана Іванівна"],
        (3, "64.0"), ColdHot, Debtor, "5210.40", "", &[]),
    flat(BROVARY, "10", "100041", ["Білик", "Антон", "Вікторович"], &[], (1, "33.7"), ColdHot, Prompt,
        "289.90", "bilyk.a@example.com", &[Story::Portal, Story::HeldReading]),
];

const COMPANY: Company = Company {
    name: "ТОВ «Водограй»",
    tax_id: "41822563",
    legal_address: "04073, м. Київ, вул. Промислова, 14",
    phone: "+380 44 456 78 90",
    email: "office@vodohrai.example",
    house: PROMYSLOVA,
    contract: "Д-117/2024",
    signed_on: (2024, 3, 1),
    account: "500001",
    points: &[
        Point {
            name: "Ввід №1 (виробничий цех)",
            serial: "ВГ-240117",
            monthly: 186,
        },
        Point {
            name: "Ввід №2 (адмінкорпус)",
            serial: "ВГ-240118",
            monthly: 24,
        },
    ],
};

/// Reference data and settings. Tariffs from two years before go-live with a rise of
/// cold water in the last closed month (its tariff is made of two components); the NBU
/// discount rates of 2024–2025; the heating seasons around go-live.
const CATALOG: &str = "
-- The address book's codes (KOATUU) and postal indexes, before the houses are added to it.
INSERT INTO localities (country, region, district, name, code, postal_code) VALUES
    ('UA', 'м. Київ', '', 'Київ', '8000000000', '01001'),
    ('UA', 'Київська обл.', '', 'Бровари', '3210600000', '07400');
-- Journals the registry is kept in (seed 001 §4.3), and a type of account for owners' associations.
INSERT INTO journals (code, name) VALUES ('1', 'Багатоквартирні будинки'), ('2', 'Приватний сектор');
INSERT INTO account_types (code, name, legal) VALUES ('osbb', 'ОСББ', true);
INSERT INTO services (code, name, unit_id, method, seasonal, priority, payment_priority) VALUES
    ('xvs', 'Холодне водопостачання', (SELECT id FROM units WHERE code = 'm3'), 'metered', false, 1, 1),
    ('gvs', 'Гаряче водопостачання', (SELECT id FROM units WHERE code = 'm3'), 'metered', false, 2, 2),
    ('vv', 'Водовідведення', (SELECT id FROM units WHERE code = 'm3'), 'norm', false, 3, 3),
    ('opal', 'Централізоване опалення', (SELECT id FROM units WHERE code = 'm2'), 'area', true, 4, 4),
    ('utr', 'Утримання будинку', (SELECT id FROM units WHERE code = 'm2'), 'area', false, 5, 5),
    ('lift', 'Обслуговування ліфта', (SELECT id FROM units WHERE code = 'apartment'), 'fixed', false, 7, 7)
ON CONFLICT (code) DO NOTHING;
INSERT INTO services (code, name, unit_id, method, seasonal, priority, payment_priority, base_service_id, common_limit, benefit_rule)
SELECT 'xvs_odn', 'ХВП на загальнобудинкові потреби', (SELECT id FROM units WHERE code = 'm3'), 'common_house',
       false, 6, 6, (SELECT id FROM services WHERE code = 'xvs'), 1.5, 'none'
ON CONFLICT (code) DO NOTHING;
UPDATE services SET benefit_rule = 'none' WHERE code = 'lift';
-- Fines (seed 000 «Штраф») are charged on a service of their own.
INSERT INTO services (code, name, unit_id, method, seasonal, priority, payment_priority, benefit_rule, fine)
VALUES ('fine', 'Штрафи', (SELECT id FROM units WHERE code = 'apartment'), 'fixed', false, 9, 9, 'none', true)
ON CONFLICT (code) DO NOTHING;
INSERT INTO employees (code, name, position) VALUES ('e01', 'Бондар Олена Петрівна', 'головний бухгалтер')
ON CONFLICT (code) DO NOTHING;
-- The meter reader who walks the demo's buildings (the route sheet's controller).
INSERT INTO employees (code, name, position, is_controller) VALUES ('k01', 'Ткачук Василь Іванович', 'контролер', true)
ON CONFLICT (code) DO NOTHING;
INSERT INTO seasons (code, name, starts_on, ends_on)
SELECT 'heat' || y, 'Опалювальний сезон ' || y || '/' || (y + 1), make_date(y, 10, 15), make_date(y + 1, 4, 15)
FROM generate_series({Y} - 1, {Y} + 1) y
ON CONFLICT (code) DO NOTHING;
INSERT INTO price_lists (code, name) VALUES ('base', 'Базовий') ON CONFLICT (code) DO NOTHING;
INSERT INTO tariffs (price_list_id, service_id, valid_from, price)
SELECT (SELECT id FROM price_lists WHERE code = 'base'), s.id, t.valid_from, t.price
FROM (VALUES ('xvs', {T0}, 28.5000), ('xvs', {T1}, 31.4080), ('gvs', {T0}, 98.2400), ('vv', {T0}, 17.1100),
             ('opal', {T0}, 48.6200), ('utr', {T0}, 8.4500), ('lift', {T0}, 38.4000),
             ('xvs_odn', {T0}, 28.5000), ('xvs_odn', {T1}, 31.4080)) AS t(code, valid_from, price)
JOIN services s ON s.code = t.code
ON CONFLICT ON CONSTRAINT tariffs_key DO NOTHING;
INSERT INTO tariff_components (tariff_id, position, name, price)
SELECT t.id, c.position, c.name, c.price
FROM tariffs t JOIN services s ON s.id = t.service_id AND s.code = 'xvs' AND t.valid_from = {T1}
CROSS JOIN (VALUES (1, 'Водопостачання', 18.4210), (2, 'Транспортування', 12.9870)) AS c(position, name, price)
ON CONFLICT DO NOTHING;
INSERT INTO norms (service_id, kind, basis, valid_from, quantity)
SELECT s.id, n.kind, 'person', {T0}, n.quantity
FROM (VALUES ('xvs', 'consumption', 3.6000), ('xvs', 'social', 2.4000), ('vv', 'consumption', 5.9000),
             ('gvs', 'consumption', 2.3000), ('gvs', 'social', 1.6000), ('vv', 'social', 4.0000)) AS n(code, kind, quantity)
JOIN services s ON s.code = n.code
ON CONFLICT ON CONSTRAINT norms_key DO NOTHING;
INSERT INTO penalty_rates (valid_from, rate) VALUES
    (DATE '2024-12-13', 13.5000), (DATE '2025-01-24', 14.5000), (DATE '2025-03-07', 15.5000)
ON CONFLICT (valid_from) DO NOTHING;
INSERT INTO benefits (code, name, percent, family) VALUES
    ('veteran', 'Ветеран праці', 50, true), ('chaes1', 'Постраждалий ЧАЕС, 1 категорія', 100, true),
    ('dytyna', 'Дитина війни', 25, false)
ON CONFLICT (code) DO NOTHING;
INSERT INTO benefit_services (benefit_id, service_id)
SELECT b.id, s.id FROM benefits b JOIN services s ON s.code IN ('xvs', 'gvs', 'vv', 'opal')
WHERE b.code IN ('veteran', 'chaes1', 'dytyna')
ON CONFLICT DO NOTHING;
INSERT INTO banks (code, name, tax_id, iban) VALUES
    ('300465', 'АТ «Ощадбанк»', '00032129', NULL),
    ('305299', 'АТ КБ «ПриватБанк»', '14360570', NULL),
    ('ukrposhta', 'АТ «Укрпошта»', '21560045', NULL)
ON CONFLICT (code) DO NOTHING;
INSERT INTO meter_brands (code, name) VALUES ('novator', 'Новатор'), ('apator', 'Apator Powogaz')
ON CONFLICT (code) DO NOTHING;
INSERT INTO meter_models (code, name, brand_id, meter_type_id, diameter_mm, digits, verification_months)
SELECT m.code, m.name, (SELECT id FROM meter_brands WHERE code = m.brand), (SELECT id FROM meter_types WHERE code = m.kind),
       m.dn, m.digits, m.months
FROM (VALUES ('lk15x', 'ЛК-15Х', 'novator', 'cw', 15, 5, 72), ('lk15g', 'ЛК-15Г', 'novator', 'hw', 15, 5, 48),
             ('js40', 'JS 40-NK', 'apator', 'cw', 40, 6, 48), ('js25', 'JS 25-NK', 'apator', 'cw', 25, 6, 48))
     AS m(code, name, brand, kind, dn, digits, months)
ON CONFLICT (code) DO NOTHING;
UPDATE billing_settings SET penalty_rule = 'ukraine', due_day = 20, payment_split = 'proportional';
-- Heating by area in houses of five storeys and more costs 5 % more (pricing::heating).
INSERT INTO heating_coefficients (valid_from, low_rise, high_rise, note)
VALUES (DATE '2025-10-01', 1, 1.05, 'Рішення виконкому № 214 від 12.09.2025')
ON CONFLICT (valid_from) DO NOTHING;
UPDATE invoice_settings SET legal_name = 'КП «Водоканал «Демо»', tax_code = '38126451',
    address = '01001, м. Київ, вул. Хрещатик, 1', bank_name = 'АТ «Ощадбанк»',
    account = 'UA073004650000026034300654321', bic = '', correspondent_account = '', qr_format = 'nbu',
    purpose = 'Оплата житлово-комунальних послуг',
    notes = 'Показання лічильників передавайте до 25 числа в кабінеті абонента або за тел. (044) 123-45-67.';
UPDATE mail_settings SET readings_reminder_day = 25, payment_reminder_day = 10, reminder_hour = 9;
UPDATE enterprise SET activity_kind = 'Водопостачання та водовідведення', ownership_form = 'комунальна',
    postal_address = '01001, м. Київ, а/с 15', director_name = 'Литвиненко Олег Миколайович',
    director_tax_id = '2845607193', accountant_name = 'Савчук Ірина Петрівна',
    tax_office_code = '2659', tax_office_name = 'ГУ ДПС у м. Києві';
INSERT INTO enterprise_accounts (bank_id, account, kind, main)
SELECT b.id, a.account, a.kind, a.main FROM banks b JOIN (VALUES
    ('300465', 'UA073004650000026034300654321', 'current', true),
    ('305299', 'UA213223130000026007233566001', 'deposit', false)) AS a(bank, account, kind, main)
  ON a.bank = b.code
ON CONFLICT DO NOTHING;
";

pub const SPEC: Spec = Spec {
    tenant: |slug| NewTenant::ukrainian(slug, "Водоканал «Демо»"),
    country: "UA",
    lang: "uk",
    branches: &[("1", "Київ"), ("2", "Бровари")],
    catalog: CATALOG,
    houses: HOUSES,
    flats: FLATS,
    riser_house: Some(0),
    company: COMPANY,
    words: Words {
        benefit_document: "посвідчення",
        bank_statement: "виписка",
        batch_comment: "Платежі через відділення Укрпошти",
        meter_place: "ванна кімната",
        house_meter_place: "підвал, водомірний вузол",
        point_meter_place: "водомірний вузол",
        removal_comment: "знятий на повірку",
        storno_comment: "Списання за рішенням комісії",
        recalculation_comment: "Аварія на каналізаційному колекторі",
        fine_comment: "Самовільне підключення",
        late_subsidy_comment: "Лист управління соцзахисту про субсидію",
        debt_notice_comment: "Попередження про заборгованість",
        reading_slip_comment: "Показання переписане з помилкою",
    },
    bank_file: BankFile::Spreadsheet,
    banks: ("300465", "ukrposhta", "305299"),
    portal: PortalUser {
        name: "Фролов Степан Іванович",
        accounts: &["100001", "100003"],
    },
};
