/// The app's own commands, so the capability file can grant exactly these and nothing else.
const COMMANDS: &[&str] = &[
    "app_status",
    "set_lang",
    "login",
    "logout",
    "lock",
    "unlock",
    "touch",
    "reference_list",
    "reference_save",
    "reference_delete",
    "staff_list",
    "staff_save",
    "backups_view",
    "backup_choose_dir",
    "backup_settings",
    "backup_now",
    "backup_choose_file",
    "backup_restore",
    "audit_list",
    "audit_verify",
    "patient_search",
    "patient_get",
    "patient_duplicates",
    "patient_save",
    "shift_current",
    "shift_open",
    "duty_today",
    "triage_suggest",
    "registration_quote",
    "payment_preview",
    "register",
    "registration_cancel",
    "registration_change",
    "registrations",
    "receipt_open",
    "receipt_save",
    "appointment_book",
    "appointments",
    "waiting_room",
    "mark_seen",
    "doctor_stats",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
