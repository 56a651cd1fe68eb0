-- Heating floor coefficients (seed 001 §2 «Параметри опалення», pricing::heating): from a
-- day on, a heating charge by area or per-m² norm is multiplied by the coefficient of the
-- building's storeys (1–4, or 5 and more).
CREATE TABLE heating_coefficients (
    id         serial PRIMARY KEY,
    valid_from date NOT NULL,
    low_rise   numeric(6, 4) NOT NULL,
    high_rise  numeric(6, 4) NOT NULL,
    note       text NOT NULL DEFAULT '',
    CONSTRAINT heating_coefficients_day_key UNIQUE (valid_from),
    CONSTRAINT heating_coefficients_range_check CHECK (low_rise BETWEEN 0.5 AND 3 AND high_rise BETWEEN 0.5 AND 3)
);
