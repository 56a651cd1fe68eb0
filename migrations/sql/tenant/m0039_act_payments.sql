-- Payments of closed months cancelled by a data-update act (seed 002: «Додавання/закриття
-- оплат»). The closed invoice keeps the payment as issued; the act books its parts back
-- into the open period, and while it is approved the payment is marked with it (the
-- payment's own `cancelled_at` stays empty: the month as issued counted it).
CREATE TABLE act_payments (
    act_id     bigint NOT NULL REFERENCES acts (id) ON DELETE CASCADE,
    payment_id bigint NOT NULL REFERENCES payments (id),
    PRIMARY KEY (act_id, payment_id)
);
CREATE INDEX act_payments_payment ON act_payments (payment_id);
ALTER TABLE payments ADD COLUMN cancelled_by_act bigint REFERENCES acts (id) ON DELETE SET NULL;
