-- 0005 for PostgreSQL: ../0005_search_last_four_list.sql with right(phone, 4). Never edit once
-- shipped.
DROP INDEX patient_phone_last4;
DELETE FROM patient_key WHERE key >= '4:' AND key < '4;';
CREATE INDEX patient_phone_last4_list ON patient
    ((right(phone, 4)), last_visit_at DESC NULLS LAST, name, id, card_no, sex, birth_date, phone, id_number);
