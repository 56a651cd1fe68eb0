-- Two periods of one service on one account must not overlap. The GiST exclusion
-- constraint of m0010 kept that, but made assigning five services to a million accounts
-- take minutes (every row a GiST insertion). The rule is now the application's: every
-- change of an account's services first locks the account rows (SELECT … FOR UPDATE, in
-- id order) and checks for overlaps in the same statement, so concurrent changes of one
-- account run one after the other. A plain index serves those checks.
ALTER TABLE account_services DROP CONSTRAINT account_services_no_overlap;
CREATE INDEX account_services_account_idx ON account_services (account_id, service_id, starts_on);
