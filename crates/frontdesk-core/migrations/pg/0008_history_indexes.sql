-- 0008 for PostgreSQL: ../0008_history_indexes.sql. Never edit once shipped.
CREATE INDEX registration_shift_status ON registration (shift_id, status);
CREATE INDEX receipt_shift ON receipt (shift_id, desk, seq);
CREATE INDEX receipt_registration ON receipt (registration_id);
CREATE INDEX ledger_receipt ON ledger (receipt_id);
CREATE INDEX receipt_print_shift ON receipt_print (shift_id);
