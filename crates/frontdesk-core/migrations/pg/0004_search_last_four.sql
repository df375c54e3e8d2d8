-- 0004 for PostgreSQL: ../0004_search_last_four.sql with right(phone, 4). Never edit once shipped.
CREATE INDEX patient_phone_last4 ON patient ((right(phone, 4)), last_visit_at DESC NULLS LAST);
