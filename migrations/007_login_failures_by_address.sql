-- Failed sign-ins remember the address they came from, so that guesses spread over many names from
-- one client are limited too (src/actions/accounts.ts). NULL for failures recorded before.
ALTER TABLE login_failures ADD COLUMN address TEXT;
CREATE INDEX login_failures_by_address ON login_failures (address, at);
