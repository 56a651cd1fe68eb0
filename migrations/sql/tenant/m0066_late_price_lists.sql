-- Tariffs "before / after the 20th" (seed 001 §6.2, §6.4; issue 22): a building or an
-- apartment may name a second price list whose tariffs apply when the month's invoice is
-- not paid by the due day; the premises' own list wins over the building's, as for the
-- regular one.
ALTER TABLE buildings ADD COLUMN late_price_list_id integer REFERENCES price_lists (id);
ALTER TABLE premises ADD COLUMN late_price_list_id integer REFERENCES price_lists (id);
CREATE INDEX buildings_late_price_list_idx ON buildings (late_price_list_id);
CREATE INDEX premises_late_price_list_idx ON premises (late_price_list_id);
