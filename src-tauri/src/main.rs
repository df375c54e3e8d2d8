//! Frontdesk, the desktop app: a window on `ui/` and a thin layer of commands over
//! `frontdesk-core`. Nothing of substance lives here — see ARCHITECTURE.md.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod error;

use std::sync::Mutex;

use frontdesk_core::{paths, Desk, Error, Lang};

/// The desk behind the window, or why it could not be opened (shown on the login screen; the
/// file is not touched).
pub struct AppState {
    pub desk: Mutex<Option<Desk>>,
    pub startup_error: Mutex<Option<Error>>,
    pub lang: Mutex<Lang>,
    /// The data file (or server and database) in use, shown with a startup error.
    pub db_path: String,
}

struct Options {
    db: Option<String>,
    idle_seconds: Option<i64>,
    desk: Option<String>,
    /// `--demo`: a new data file becomes the demo hospital instead of asking for 初始设置.
    demo: bool,
}

fn options() -> Options {
    let mut o = Options {
        db: None,
        idle_seconds: None,
        desk: None,
        demo: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--db" => o.db = args.next(),
            "--idle-seconds" => o.idle_seconds = args.next().and_then(|s| s.parse().ok()),
            "--desk" => o.desk = args.next(),
            "--demo" => o.demo = true,
            _ => {}
        }
    }
    o
}

/// The desk's page is a handful of forms: WebKit's accelerated compositing (a GL context, in
/// software on most desk PCs) and its browser-sized caches hold memory for nothing. Measured
/// under Xvfb: the web process's resident memory at sign-in 270 → 184 MiB, proportional
/// 199 → 76 MiB (README, Benchmarks).
fn lean_webview(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        use webkit2gtk::{
            CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
        };
        let Some(window) = app.get_webview_window("main") else {
            return;
        };
        let done = window.with_webview(|webview| {
            let view = webview.inner();
            if let Some(settings) = view.settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
            if let Some(context) = view.context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
        if let Err(e) = done {
            eprintln!("frontdesk: cannot tune the webview: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

/// The window fits the screen it opens on: the default 1280×800 is taller than the 1366×768
/// screens most desk PCs have, so on a screen (its work area, without the panels) smaller than
/// that the window takes the work area and is maximised. The size is set as well as asked for,
/// because maximising is the window manager's to grant and some desks run none.
fn fit_window(app: &tauri::App) {
    use tauri::Manager;
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let Ok(Some(monitor)) = window
        .current_monitor()
        .or_else(|_| window.primary_monitor())
    else {
        return;
    };
    let area = monitor.work_area();
    let scale = monitor.scale_factor();
    let (width, height) = (
        f64::from(area.size.width) / scale,
        f64::from(area.size.height) / scale,
    );
    if width >= 1280.0 && height >= 800.0 {
        return;
    }
    let _ = window.set_position(tauri::PhysicalPosition::new(
        area.position.x,
        area.position.y,
    ));
    let _ = window.set_size(tauri::PhysicalSize::new(area.size.width, area.size.height));
    let _ = window.maximize();
}

fn main() {
    if std::env::args()
        .skip(1)
        .any(|a| a == "--version" || a == "-V")
    {
        println!("{}", frontdesk_core::version_line("frontdesk"));
        return;
    }
    let options = options();
    let location = paths::resolve_location(options.db);
    let shown = location
        .as_ref()
        .map(|l| l.shown())
        .unwrap_or_else(|_| "PostgreSQL".into());
    let (desk, startup_error) =
        match location.and_then(|at| Desk::open_in_background(at, options.demo)) {
            Ok(mut desk) => {
                desk.set_idle_seconds_override(options.idle_seconds);
                match options.desk.as_deref().map(|code| desk.set_desk_code(code)) {
                    Some(Err(e)) => (None, Some(e)),
                    _ => (Some(desk), None),
                }
            }
            Err(e) => {
                eprintln!("frontdesk: cannot open {shown}: {e}");
                (None, Some(e))
            }
        };
    // The CJK font is read while the clerk signs in, not when the first receipt is printed.
    std::thread::spawn(frontdesk_core::pdf::warm_up);
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            fit_window(app);
            lean_webview(app);
            Ok(())
        })
        .manage(AppState {
            desk: Mutex::new(desk),
            startup_error: Mutex::new(startup_error),
            lang: Mutex::new(Lang::Zh),
            db_path: shown.clone(),
        })
        .invoke_handler(tauri::generate_handler![
            commands::session::app_status,
            commands::session::store_verdict,
            commands::session::set_lang,
            commands::session::login,
            commands::session::first_start,
            commands::session::logout,
            commands::session::lock,
            commands::session::unlock,
            commands::session::touch,
            commands::admin::reference_list,
            commands::admin::reference_save,
            commands::admin::reference_delete,
            commands::admin::staff_list,
            commands::admin::staff_save,
            commands::admin::backups_view,
            commands::admin::backup_choose_dir,
            commands::admin::backup_settings,
            commands::admin::backup_now,
            commands::admin::backup_remake_today,
            commands::admin::printers_view,
            commands::admin::printers_set,
            commands::admin::backup_choose_file,
            commands::admin::backup_restore,
            commands::admin::audit_list,
            commands::admin::audit_verify,
            commands::registration::patient_search,
            commands::registration::patient_get,
            commands::registration::patient_duplicates,
            commands::registration::patient_save,
            commands::registration::shift_current,
            commands::registration::shift_open,
            commands::registration::duty_today,
            commands::registration::triage_suggest,
            commands::registration::registration_quote,
            commands::registration::payment_preview,
            commands::registration::register,
            commands::registration::registration_cancel,
            commands::registration::registration_change_quote,
            commands::registration::registration_change,
            commands::registration::registrations,
            commands::registration::receipt_open,
            commands::registration::receipt_save,
            commands::registration::appointment_book,
            commands::registration::appointments,
            commands::registration::waiting_room,
            commands::registration::mark_seen,
            commands::registration::doctor_stats,
            commands::cash::close_preview,
            commands::cash::close_shift,
            commands::cash::shift_continue,
            commands::cash::close_history,
            commands::cash::daily_report_open,
            commands::cash::daily_report_save,
            commands::complaints::complaint_choices,
            commands::complaints::complaint_patient_search,
            commands::complaints::complaint_record,
            commands::complaints::complaint_step,
            commands::complaints::complaint_view,
            commands::complaints::complaint_list,
            commands::complaints::calendar_import,
            commands::complaints::complaint_figures,
            commands::complaints::complaint_register_save,
            commands::complaints::complaint_case_print,
            commands::followups::followup_list,
            commands::followups::followup_view,
            commands::followups::followup_attempt,
            commands::followups::followup_fix_number,
            commands::followups::followup_concerns_waiting,
            commands::followups::followup_concern_answer,
            commands::followups::discharge_add,
            commands::followups::followup_rates,
            commands::followups::followup_rate_records,
            commands::followups::followup_register_save,
            commands::followups::followup_settings,
            commands::followups::followup_settings_save,
            commands::followups::spot_checks,
            commands::followups::spot_check,
            commands::followups::spot_check_draw,
            commands::followups::spot_check_record,
            commands::followups::spot_check_redraw,
            commands::quality::survey_questionnaires,
            commands::quality::survey_record,
            commands::quality::survey_entered_today,
            commands::quality::questionnaire_list,
            commands::quality::questionnaire_save,
            commands::quality::survey_results,
            commands::quality::market_survey_record,
            commands::quality::market_survey_list,
            commands::quality::quality_targets,
            commands::quality::quality_target_set,
            commands::quality::operating_target_set,
            commands::quality::operating_actuals,
            commands::quality::quality_dashboard,
            commands::quality::quality_records,
            commands::quality::quality_report_save,
            commands::quality::inspection_schedule,
            commands::quality::inspection_record,
            commands::quality::inspection_register,
            commands::quality::quality_promotions,
            commands::quality::quality_register_save,
            commands::quality::retention_periods,
            commands::quality::retention_lengthen,
            commands::quality::retention_pending,
            commands::quality::retention_anonymise,
            commands::guidelog::guide_log_choices,
            commands::guidelog::guide_log_write,
            commands::guidelog::guide_log_list,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Frontdesk");
}
