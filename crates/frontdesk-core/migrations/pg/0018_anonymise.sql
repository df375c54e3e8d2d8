-- 0018 for PostgreSQL: ../0018_anonymise.sql in PostgreSQL's words (trigger functions, as a
-- trigger's WHEN may hold no subquery). Never edit once shipped.
--
-- Past its retention period a record's personal data may be removed, and the audit entries
-- that copied it redacted, each registered in audit_redaction; nothing else is let through.

CREATE TABLE audit_redaction (
    entry_id     BIGINT PRIMARY KEY,
    redaction_id BIGINT NOT NULL,
    hash         TEXT COLLATE "C" NOT NULL,
    CHECK (redaction_id > entry_id)
);
CREATE INDEX audit_redaction_by ON audit_redaction (redaction_id, entry_id);
CREATE TRIGGER audit_redaction_append_only_u BEFORE UPDATE ON audit_redaction
    FOR EACH ROW EXECUTE FUNCTION frontdesk_refuse('audit_redaction is append-only');
CREATE TRIGGER audit_redaction_append_only_d BEFORE DELETE ON audit_redaction
    FOR EACH ROW EXECUTE FUNCTION frontdesk_refuse('audit_redaction is append-only');
CREATE TRIGGER audit_redaction_no_truncate BEFORE TRUNCATE ON audit_redaction
    FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_refuse('audit_redaction is append-only');

CREATE FUNCTION frontdesk_audit_redaction_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o audit_log;
BEGIN
    o := OLD;
    o.before := NEW.before;
    o.after := NEW.after;
    IF NEW IS DISTINCT FROM o
       OR NOT EXISTS (SELECT 1 FROM audit_redaction r WHERE r.entry_id = OLD.id) THEN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER audit_log_no_update ON audit_log;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION frontdesk_audit_redaction_only();

CREATE FUNCTION frontdesk_complaint_anonymised_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o complaint;
BEGIN
    o := OLD;
    o.complainant := CASE WHEN OLD.complainant IS NULL THEN NULL ELSE '已匿名' END;
    o.contact := NULL;
    IF NEW IS DISTINCT FROM o THEN
        RAISE EXCEPTION 'a closed complaint is final' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER complaint_closed_is_final ON complaint;
CREATE TRIGGER complaint_closed_is_final BEFORE UPDATE ON complaint
    FOR EACH ROW WHEN (OLD.closed_at IS NOT NULL) EXECUTE FUNCTION frontdesk_complaint_anonymised_only();

CREATE FUNCTION frontdesk_followup_attempt_anonymised_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o followup_attempt;
BEGIN
    o := OLD;
    o.phone := NULL;
    IF NEW IS DISTINCT FROM o THEN
        RAISE EXCEPTION 'followup_attempt is append-only' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER followup_attempt_append_only_u ON followup_attempt;
CREATE TRIGGER followup_attempt_append_only_u BEFORE UPDATE ON followup_attempt
    FOR EACH ROW EXECUTE FUNCTION frontdesk_followup_attempt_anonymised_only();
