-- 0007: the printers of each desk PC (by its desk code): the 80 mm receipt printer and the A4
-- printer for reports, as CUPS names them on that PC. No row, or a NULL, means "open the PDF
-- in the viewer", as before. Never edit once shipped.
CREATE TABLE desk_printer (
    id              INTEGER PRIMARY KEY,
    desk            TEXT NOT NULL UNIQUE,
    receipt_printer TEXT,
    report_printer  TEXT,
    updated_at      INTEGER NOT NULL
);
