-- 0006: indexes for the registration write path. Never edit once shipped.
-- The log's (entity, entity_id, id) index cost every change a write in up to one page per kind
-- of row it touched, and served nothing well: the log is read newest first (by id), filtered.
DROP INDEX audit_log_entity;
-- The desk counts a session's registrations still waiting or seen on every registration (the
-- shortest queue, 号源): from this index alone, instead of reading every registration row of
-- the session.
CREATE INDEX registration_duty_status ON registration (duty_id, status);
