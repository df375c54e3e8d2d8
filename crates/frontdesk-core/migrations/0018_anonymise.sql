-- 0018: past its retention period a record's personal data may be removed by the
-- administrator (manual 6.1; 已匿名 for a name, nothing for a phone or an ID number), keeping the
-- record and its figures. Exactly that change, and no other, is let through the triggers that
-- keep closed complaints and call attempts as they were; and the audit entries that copied the
-- removed data are redacted the same way, each redaction registered here (its entry's hash
-- over the redacted text) under a log entry that seals the whole list, so the chain still
-- verifies and a redacted entry edited again is caught. Never edit once shipped.

CREATE TABLE audit_redaction (
    entry_id     INTEGER PRIMARY KEY,
    -- The log entry (action audit.redact) whose digest covers this row.
    redaction_id INTEGER NOT NULL,
    -- The entry's hash recomputed over its redacted text (its stored hash stays the chain's).
    hash         TEXT    NOT NULL,
    CHECK (redaction_id > entry_id)
);
CREATE INDEX audit_redaction_by ON audit_redaction (redaction_id, entry_id);
CREATE TRIGGER audit_redaction_append_only_u BEFORE UPDATE ON audit_redaction
BEGIN
    SELECT RAISE(ABORT, 'audit_redaction is append-only');
END;
CREATE TRIGGER audit_redaction_append_only_d BEFORE DELETE ON audit_redaction
BEGIN
    SELECT RAISE(ABORT, 'audit_redaction is append-only');
END;

-- The log: only a registered entry's before and after may change.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor_id IS OLD.actor_id
          AND NEW.actor = OLD.actor AND NEW.action = OLD.action AND NEW.entity = OLD.entity
          AND NEW.entity_id = OLD.entity_id AND NEW.prev_hash = OLD.prev_hash
          AND NEW.hash = OLD.hash
          AND EXISTS (SELECT 1 FROM audit_redaction r WHERE r.entry_id = OLD.id))
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- A closed complaint: only its complainant's name replaced and contact removed.
DROP TRIGGER complaint_closed_is_final;
CREATE TRIGGER complaint_closed_is_final BEFORE UPDATE ON complaint WHEN OLD.closed_at IS NOT NULL
AND NOT (NEW.complainant IS (CASE WHEN OLD.complainant IS NULL THEN NULL ELSE '已匿名' END)
         AND NEW.contact IS NULL
         AND NEW.id = OLD.id AND NEW.number = OLD.number AND NEW.kind = OLD.kind
         AND NEW.received_at = OLD.received_at AND NEW.received_date = OLD.received_date
         AND NEW.channel = OLD.channel AND NEW.patient_id IS OLD.patient_id
         AND NEW.anonymous = OLD.anonymous AND NEW.category_id IS OLD.category_id
         AND NEW.department_id IS OLD.department_id AND NEW.person_id IS OLD.person_id
         AND NEW.description = OLD.description AND NEW.request = OLD.request
         AND NEW.severity = OLD.severity AND NEW.tier_id = OLD.tier_id
         AND NEW.state = OLD.state AND NEW.taken_by = OLD.taken_by
         AND NEW.owner_id = OLD.owner_id AND NEW.ack_due = OLD.ack_due
         AND NEW.feedback_due = OLD.feedback_due AND NEW.due = OLD.due
         AND NEW.acknowledged_at IS OLD.acknowledged_at AND NEW.notified_at IS OLD.notified_at
         AND NEW.closed_at IS OLD.closed_at AND NEW.upheld IS OLD.upheld
         AND NEW.satisfied IS OLD.satisfied AND NEW.updated_at = OLD.updated_at)
BEGIN
    SELECT RAISE(ABORT, 'a closed complaint is final');
END;

-- A call attempt: only the number dialled removed.
DROP TRIGGER followup_attempt_append_only_u;
CREATE TRIGGER followup_attempt_append_only_u BEFORE UPDATE ON followup_attempt
WHEN NOT (NEW.phone IS NULL AND NEW.id = OLD.id AND NEW.followup_id = OLD.followup_id
          AND NEW.n = OLD.n AND NEW.outcome = OLD.outcome AND NEW.staff_id = OLD.staff_id
          AND NEW.at = OLD.at AND NEW.note = OLD.note)
BEGIN
    SELECT RAISE(ABORT, 'followup_attempt is append-only');
END;
