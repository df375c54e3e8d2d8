-- 0006 for PostgreSQL: ../0006_write_path_indexes.sql. Never edit once shipped.
DROP INDEX audit_log_entity;
CREATE INDEX registration_duty_status ON registration (duty_id, status);
