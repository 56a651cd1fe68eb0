-- An invoice e-mail is claimed by the attempt that sends it ('sending', with the time of
-- the claim): two attempts at once (two "send again" runs) send it once; a claim older than
-- the sending lease (the sender died) may be taken over.
ALTER TABLE invoice_mails
    DROP CONSTRAINT invoice_mails_state,
    ADD CONSTRAINT invoice_mails_state CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    ADD COLUMN claimed_at timestamptz;
