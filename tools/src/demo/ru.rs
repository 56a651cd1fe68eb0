//! The Russian demo: «УК «Демо-Сервис»», a managing company of two houses in Tver and a
//! bakery on a contract. RUB, the ГОСТ Р 56042-2014 payment QR, the Housing Code's
//! penalty (art. 155 §14: 1/300 of the key rate from day 31 of delay, 1/130 from day 91)
//! with the Bank of Russia's key-rate table, due on the 10th.

use super::spec::{BankFile, Company, Flat, House, Kit, Payer, Point, Spec, Story, Words, flat};
use super::users::PortalUser;
use backend::tenants::NewTenant;

use Kit::{Cold, ColdHot};
use Payer::{Advance, Debtor, Late, Partial, Prompt};

const SOVETSKAYA: usize = 0;
const NIKITINA: usize = 1;
const KOMINTERNA: usize = 2;

const HOUSES: &[House] = &[
    House {
        branch: "1",
        region: "Тверская обл.",
        locality: "Тверь",
        street_kind: "street",
        street: "ул. Советская",
        number: "12",
        apartments: (1, 12),
        floors: 5,
        entrances: 2,
        lifts: 0,
        year_built: 1961,
        house_meter: true,
        services: &["xvs", "gvs", "vv", "opal", "sod", "xvs_odn", "tko"],
    },
    House {
        branch: "2",
        region: "Тверская обл.",
        locality: "Тверь",
        street_kind: "other",
        street: "наб. Афанасия Никитина",
        number: "20",
        apartments: (1, 8),
        floors: 9,
        entrances: 1,
        lifts: 1,
        year_built: 1979,
        house_meter: false,
        services: &["xvs", "gvs", "vv", "opal", "sod", "tko", "lift"],
    },
    House {
        branch: "1",
        region: "Тверская обл.",
        locality: "Тверь",
        street_kind: "street",
        street: "ул. Коминтерна",
        number: "45",
        apartments: (0, 0),
        floors: 2,
        entrances: 1,
        lifts: 0,
        year_built: 1968,
        house_meter: false,
        services: &["xvs"],
    },
];

#[rustfmt::skip]
const FLATS: &[Flat] = &[
    // ул. Советская, 12: a house meter (the common-house share of cold water).
    flat(SOVETSKAYA, "1", "300001", ["Иванов", "Сергей", "Петрович"],
        &["Иванова Елена Викторовна", "Иванов Дмитрий Сергеевич"], (3, "61.4"), ColdHot, Prompt, "2315.40",
        "ivanov.s@example.com", &[Story::Portal]),
    flat(SOVETSKAYA, "2", "300002", ["Смирнова", "Ольга", "Николаевна"], &[], (1, "32.8"), ColdHot, Prompt,
        "1120.75", "", &[Story::Benefit { code: "vt", family: false }]),
    flat(SOVETSKAYA, "3", "300003", ["Кузнецов", "Алексей", "Иванович"], &["Кузнецова Татьяна Сергеевна"],
        (2, "45.6"), ColdHot, Late, "4280.00", "kuznetsov.a@example.com", &[]),
    flat(SOVETSKAYA, "4", "300004", ["Попова", "Наталья", "Андреевна"],
        &["Попов Андрей Викторович", "Попова Анна Андреевна"], (2, "46.0"), ColdHot, Prompt, "2144.30",
        "popova.n@example.com", &[Story::Portal, Story::HeldReading]),
    flat(SOVETSKAYA, "5", "300005", ["Васильев", "Михаил", "Юрьевич"], &[], (1, "33.1"), Kit::None, Debtor,
        "14870.35", "", &[Story::Restructuring("РД-27")]),
    flat(SOVETSKAYA, "6", "300006", ["Петрова", "Галина", "Ивановна"], &["Петров Николай Степанович"],
        (2, "45.9"), ColdHot, Prompt, "1980.10", "petrova.g@example.com", &[Story::MeterRemoved]),
    flat(SOVETSKAYA, "7", "300007", ["Соколов", "Артём", "Дмитриевич"], &["Соколова Мария Олеговна"],
        (2, "46.2"), ColdHot, Advance, "0", "sokolov.a@example.com", &[]),
    flat(SOVETSKAYA, "8", "300008", ["Михайлова", "Людмила", "Петровна"], &[], (1, "32.9"), ColdHot, Prompt,
        "1065.20", "", &[Story::SilentLastMonth]),
    flat(SOVETSKAYA, "9", "300009", ["Новиков", "Павел", "Сергеевич"],
        &["Новикова Ирина Александровна", "Новиков Егор Павлович"], (3, "61.0"), ColdHot, Partial, "3780.00",
        "novikov.p@example.com", &[]),
    flat(SOVETSKAYA, "10", "300010", ["Фёдорова", "Валентина", "Михайловна"], &[], (1, "33.4"), ColdHot,
        Prompt, "1102.60", "", &[Story::Subsidy("1250.00")]),
    flat(SOVETSKAYA, "11", "300011", ["Морозов", "Игорь", "Владимирович"], &["Морозова Светлана Игоревна"],
        (2, "45.7"), Cold, Late, "1920.00", "morozov.i@example.com", &[]),
    flat(SOVETSKAYA, "12", "300012", ["Волкова", "Екатерина", "Алексеевна"], &["Волков Максим Андреевич"],
        (2, "46.1"), ColdHot, Prompt, "1874.45", "volkova.e@example.com",
        &[Story::MovesIn("Волкова Варвара Максимовна")]),
    // наб. Афанасия Никитина, 20: nine floors with a lift.
    flat(NIKITINA, "1", "300013", ["Алексеев", "Виктор", "Николаевич"], &["Алексеева Нина Фёдоровна"],
        (2, "52.3"), ColdHot, Prompt, "2210.90", "alekseev.v@example.com",
        &[Story::Benefit { code: "vt", family: false }]),
    flat(NIKITINA, "2", "300014", ["Лебедева", "Марина", "Сергеевна"], &[], (1, "38.6"), ColdHot, Prompt,
        "1290.35", "lebedeva.m@example.com", &[]),
    flat(NIKITINA, "3", "300015", ["Семёнов", "Олег", "Геннадьевич"],
        &["Семёнова Юлия Олеговна", "Семёнов Кирилл Олегович"], (3, "68.2"), ColdHot, Debtor, "8640.20", "",
        &[Story::Storno("1000.00")]),
    flat(NIKITINA, "4", "300016", ["Егорова", "Тамара", "Васильевна"], &[], (1, "38.4"), Kit::None, Prompt,
        "1348.00", "", &[Story::Benefit { code: "inv2", family: false }]),
    flat(NIKITINA, "5", "300017", ["Павлов", "Денис", "Александрович"], &["Павлова Ксения Игоревна"],
        (2, "52.0"), ColdHot, Prompt, "2045.55", "pavlov.d@example.com", &[Story::MeterInstalled]),
    flat(NIKITINA, "6", "300018", ["Козлов", "Андрей", "Иванович"], &["Козлова Ольга Петровна"],
        (2, "52.7"), ColdHot, Late, "3960.00", "", &[]),
    flat(NIKITINA, "7", "300019", ["Степанова", "Вера", "Ильинична"], &[], (1, "38.9"), ColdHot, Prompt,
        "1310.80", "stepanova.v@example.com", &[Story::NoPenalty]),
    flat(NIKITINA, "8", "300020", ["Николаев", "Игорь", "Борисович"],
        &["Николаева Анна Игоревна", "Николаев Степан Игоревич"], (3, "68.5"), ColdHot, Prompt, "2890.10",
        "nikolaev.i@example.com", &[Story::MovesOut]),
];

const COMPANY: Company = Company {
    name: "ООО «Волжская пекарня»",
    tax_id: "6950123450",
    legal_address: "170100, г. Тверь, ул. Коминтерна, д. 45, пом. 1",
    phone: "+7 4822 55-12-34",
    email: "buh@volga-bakery.example",
    house: KOMINTERNA,
    contract: "ДВ-0458/2025",
    signed_on: (2025, 2, 1),
    account: "600001",
    points: &[
        Point {
            name: "Ввод №1 (цех)",
            serial: "СВ-0458101",
            monthly: 142,
        },
        Point {
            name: "Ввод №2 (магазин)",
            serial: "СВ-0458102",
            monthly: 11,
        },
    ],
};

/// Reference data and settings. The rows the tenant migrations seed in Ukrainian (units,
/// meter types, payment types, reasons, account types) get their Russian names.
const CATALOG: &str = "
-- The address book's code (OKATO) and postal index, before the houses are added to it.
INSERT INTO localities (country, region, district, name, code, postal_code) VALUES
    ('RU', 'Тверская обл.', '', 'Тверь', '28401000000', '170100');
-- Journals the registry is kept in (seed 001 §4.3).
INSERT INTO journals (code, name) VALUES ('1', 'Многоквартирные дома'), ('2', 'Частный сектор');
UPDATE units SET name = CASE code WHEN 'kwh' THEN 'кВт·ч' WHEN 'person' THEN 'человек' WHEN 'apartment' THEN 'квартира'
    ELSE name END;
UPDATE meter_types SET name = CASE code WHEN 'cw' THEN 'Холодная вода' WHEN 'hw' THEN 'Горячая вода'
    WHEN 'heat' THEN 'Тепловая энергия' WHEN 'el' THEN 'Электроэнергия' ELSE name END;
UPDATE payment_types SET name = CASE code WHEN 'bank' THEN 'Банк' WHEN 'cash' THEN 'Касса' WHEN 'online' THEN 'Онлайн'
    ELSE name END;
UPDATE recalculation_reasons SET name = CASE code WHEN 'interruption' THEN 'Перерыв в предоставлении услуги'
    WHEN 'quality' THEN 'Несоответствие санитарным нормам' WHEN 'temperature' THEN 'Несоответствие температуры'
    WHEN 'absence' THEN 'Временное отсутствие потребителя' ELSE name END;
UPDATE account_types SET name = CASE code WHEN 'individual' THEN 'Физическое лицо' WHEN 'legal' THEN 'Юридическое лицо'
    ELSE name END;
INSERT INTO services (code, name, unit_id, method, seasonal, priority, payment_priority) VALUES
    ('xvs', 'Холодное водоснабжение', (SELECT id FROM units WHERE code = 'm3'), 'metered', false, 1, 1),
    ('gvs', 'Горячее водоснабжение', (SELECT id FROM units WHERE code = 'm3'), 'metered', false, 2, 2),
    ('vv', 'Водоотведение', (SELECT id FROM units WHERE code = 'm3'), 'norm', false, 3, 3),
    ('opal', 'Отопление', (SELECT id FROM units WHERE code = 'm2'), 'area', true, 4, 4),
    ('sod', 'Содержание жилого помещения', (SELECT id FROM units WHERE code = 'm2'), 'area', false, 5, 5),
    ('tko', 'Обращение с ТКО', (SELECT id FROM units WHERE code = 'apartment'), 'fixed', false, 7, 7),
    ('lift', 'Содержание лифта', (SELECT id FROM units WHERE code = 'apartment'), 'fixed', false, 8, 8)
ON CONFLICT (code) DO NOTHING;
-- Fines are charged on a service of their own.
INSERT INTO services (code, name, unit_id, method, seasonal, priority, payment_priority, benefit_rule, fine)
VALUES ('fine', 'Штрафы', (SELECT id FROM units WHERE code = 'apartment'), 'fixed', false, 9, 9, 'none', true)
ON CONFLICT (code) DO NOTHING;
INSERT INTO employees (code, name, position) VALUES ('e01', 'Белова Ольга Петровна', 'главный бухгалтер')
ON CONFLICT (code) DO NOTHING;
-- The meter reader who walks the demo's buildings (the route sheet's controller).
INSERT INTO employees (code, name, position, is_controller) VALUES ('k01', 'Соколов Иван Петрович', 'контролёр', true)
ON CONFLICT (code) DO NOTHING;
INSERT INTO services (code, name, unit_id, method, seasonal, priority, payment_priority, base_service_id, common_limit, benefit_rule)
SELECT 'xvs_odn', 'ХВС на содержание общего имущества', (SELECT id FROM units WHERE code = 'm3'), 'common_house',
       false, 6, 6, (SELECT id FROM services WHERE code = 'xvs'), 1.2, 'none'
ON CONFLICT (code) DO NOTHING;
UPDATE services SET benefit_rule = 'none' WHERE code IN ('tko', 'lift');
INSERT INTO seasons (code, name, starts_on, ends_on)
SELECT 'heat' || y, 'Отопительный сезон ' || y || '/' || (y + 1), make_date(y, 9, 20), make_date(y + 1, 5, 10)
FROM generate_series({Y} - 1, {Y} + 1) y
ON CONFLICT (code) DO NOTHING;
INSERT INTO price_lists (code, name) VALUES ('base', 'Основной') ON CONFLICT (code) DO NOTHING;
INSERT INTO tariffs (price_list_id, service_id, valid_from, price)
SELECT (SELECT id FROM price_lists WHERE code = 'base'), s.id, t.valid_from, t.price
FROM (VALUES ('xvs', {T0}, 52.3600), ('xvs', {T1}, 55.4800), ('gvs', {T0}, 248.1000), ('vv', {T0}, 41.2000),
             ('opal', {T0}, 48.9400), ('sod', {T0}, 32.5000), ('tko', {T0}, 186.2000), ('lift', {T0}, 145.0000),
             ('xvs_odn', {T0}, 52.3600), ('xvs_odn', {T1}, 55.4800)) AS t(code, valid_from, price)
JOIN services s ON s.code = t.code
ON CONFLICT ON CONSTRAINT tariffs_key DO NOTHING;
INSERT INTO tariff_components (tariff_id, position, name, price)
SELECT t.id, c.position, c.name, c.price
FROM tariffs t JOIN services s ON s.id = t.service_id AND s.code = 'gvs' AND t.valid_from = {T0}
CROSS JOIN (VALUES (1, 'Компонент на теплоноситель', 52.3600), (2, 'Компонент на тепловую энергию', 195.7400))
     AS c(position, name, price)
ON CONFLICT DO NOTHING;
INSERT INTO norms (service_id, kind, basis, valid_from, quantity)
SELECT s.id, n.kind, 'person', {T0}, n.quantity
FROM (VALUES ('xvs', 'consumption', 4.7450), ('xvs', 'social', 3.5000), ('gvs', 'consumption', 3.6030),
             ('gvs', 'social', 2.5000), ('vv', 'consumption', 8.3480)) AS n(code, kind, quantity)
JOIN services s ON s.code = n.code
ON CONFLICT ON CONSTRAINT norms_key DO NOTHING;
INSERT INTO penalty_rates (valid_from, rate) VALUES
    (DATE '2024-10-28', 21.0000), (DATE '2025-06-09', 20.0000), (DATE '2025-07-28', 18.0000),
    (DATE '2025-09-15', 17.0000), (DATE '2025-10-27', 16.5000)
ON CONFLICT (valid_from) DO NOTHING;
INSERT INTO benefits (code, name, percent, family) VALUES
    ('vt', 'Ветеран труда', 50, false), ('inv2', 'Инвалид II группы', 50, false)
ON CONFLICT (code) DO NOTHING;
INSERT INTO benefit_services (benefit_id, service_id)
SELECT b.id, s.id FROM benefits b JOIN services s ON s.code IN ('xvs', 'gvs', 'vv', 'opal', 'sod')
WHERE b.code IN ('vt', 'inv2')
ON CONFLICT DO NOTHING;
INSERT INTO banks (code, name, tax_id, iban) VALUES
    ('042809679', 'Тверское отделение № 8607 ПАО Сбербанк', '7707083893', NULL),
    ('pochta', 'АО «Почта России»', '7724490000', NULL),
    ('044525187', 'Банк ВТБ (ПАО)', '7702070139', NULL)
ON CONFLICT (code) DO NOTHING;
INSERT INTO meter_brands (code, name) VALUES ('betar', 'Бетар'), ('pulsar', 'Пульсар')
ON CONFLICT (code) DO NOTHING;
INSERT INTO meter_models (code, name, brand_id, meter_type_id, diameter_mm, digits, verification_months)
SELECT m.code, m.name, (SELECT id FROM meter_brands WHERE code = m.brand), (SELECT id FROM meter_types WHERE code = m.kind),
       m.dn, m.digits, m.months
FROM (VALUES ('sgv15', 'СХВ-15', 'betar', 'cw', 15, 5, 72), ('sgv15g', 'СГВ-15', 'betar', 'hw', 15, 5, 48),
             ('pulsar40', 'Пульсар Ду40', 'pulsar', 'cw', 40, 6, 72), ('pulsar25', 'Пульсар Ду25', 'pulsar', 'cw', 25, 6, 72))
     AS m(code, name, brand, kind, dn, digits, months)
ON CONFLICT (code) DO NOTHING;
UPDATE billing_settings SET penalty_rule = 'russia', due_day = 10, payment_split = 'proportional';
UPDATE invoice_settings SET legal_name = 'ООО «УК «Демо-Сервис»', tax_code = '6905127340',
    address = '170100, г. Тверь, ул. Советская, д. 10', bank_name = 'Тверское отделение № 8607 ПАО Сбербанк',
    account = '40702810563000001234', bic = '042809679', correspondent_account = '30101810700000000679',
    qr_format = 'gost', purpose = 'Оплата жилищно-коммунальных услуг',
    notes = 'Показания счётчиков передавайте с 20 по 25 число в личном кабинете или по тел. (4822) 55-00-00.';
UPDATE mail_settings SET readings_reminder_day = 20, payment_reminder_day = 5, reminder_hour = 10;
";

pub const SPEC: Spec = Spec {
    tenant: |slug| NewTenant::russian(slug, "УК «Демо-Сервис»"),
    country: "RU",
    lang: "ru",
    branches: &[("1", "Центральный район"), ("2", "Заволжский район")],
    catalog: CATALOG,
    houses: HOUSES,
    flats: FLATS,
    riser_house: None,
    company: COMPANY,
    words: Words {
        benefit_document: "удостоверение",
        bank_statement: "выписка",
        batch_comment: "Платежи через отделения Почты России",
        meter_place: "санузел",
        house_meter_place: "подвал, водомерный узел",
        point_meter_place: "водомерный узел",
        removal_comment: "снят на поверку",
        storno_comment: "Списание по решению комиссии",
        recalculation_comment: "Авария на канализационном коллекторе",
        fine_comment: "Самовольное подключение",
        late_subsidy_comment: "Письмо управления соцзащиты о субсидии",
        debt_notice_comment: "Предупреждение о задолженности",
        reading_slip_comment: "Показание переписано с ошибкой",
    },
    bank_file: BankFile::Registry,
    banks: ("042809679", "pochta", "042809679"),
    portal: PortalUser {
        name: "Иванов Сергей Петрович",
        accounts: &["300001", "300004"],
    },
};
