-- Issue 22: a season entered once may repeat every year (the heating season from 15
-- October to 15 April, say), moved by whole years to whichever period is calculated.
ALTER TABLE seasons ADD COLUMN yearly boolean NOT NULL DEFAULT false;
