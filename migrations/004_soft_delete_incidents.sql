-- Deleting an incident only marks it, as deleting a claim does: its claims and judgements stay,
-- hidden, and an admin can restore the whole incident.
ALTER TABLE incidents ADD COLUMN deleted_at TEXT;
ALTER TABLE incidents ADD COLUMN deleted_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
