#include "app/app.h"

#include <filesystem>

#include "store/records.h"

namespace quanze::app {

Result<std::unique_ptr<App>> App::Open(const Config& config, std::unique_ptr<Clock> clock) {
  std::unique_ptr<App> app(new App());
  app->config_ = config;
  app->clock_ = std::move(clock);
  if (config.db.find("://") == std::string::npos) {
    std::filesystem::path parent = std::filesystem::path(config.db).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  QZ_ASSIGN_OR_RETURN(app->db_, store::OpenDatabase(config.db));
  std::int64_t log_size = 0;
  QZ_TRY(app->db_->WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(log_size, store::LedgerSize(c));
    return Ok();
  }));
  QZ_ASSIGN_OR_RETURN(auto keys, LoadOrCreateLedgerKeys(config.KeyFile(), config.SecretFile(),
                                                        config.ledger_origin,
                                                        /*may_create=*/log_size == 0));
  app->keys_ = std::make_unique<LedgerKeys>(std::move(keys));
  app->journal_ = std::make_unique<Journal>(app->keys_->commitment_secret);
  app->writer_ = std::make_unique<Writer>(*app->db_, *app->journal_, *app->clock_);
  app->ledger_ = std::make_unique<LedgerService>(
      *app->db_, *app->writer_, app->keys_->signer, *app->clock_, config.ledger_origin,
      std::chrono::milliseconds(config.checkpoint_interval_ms));
  domain::SessionPolicy session{config.session_idle_seconds, config.session_absolute_seconds};
  domain::ThrottlePolicy throttle;
  throttle.slow_after = config.login_slow_after;
  throttle.lock_after = config.login_lock_after;
  throttle.lock_seconds = config.login_lock_seconds;
  app->accounts_ = std::make_unique<Accounts>(*app->db_, *app->writer_, *app->clock_, session, throttle);
  app->regions_ = std::make_unique<Regions>(*app->db_, *app->writer_);
  app->catalogue_ = std::make_unique<CatalogueService>(*app->db_, *app->writer_, *app->clock_);
  app->staffing_ = std::make_unique<StaffingService>(*app->db_, *app->writer_, *app->clock_);
  QZ_ASSIGN_OR_RETURN(app->case_rules_, LoadCaseRules(config.holidays_dir));
  CaseSettings cs;
  cs.yellow_working_days = config.yellow_working_days;
  cs.max_backdate_days = config.max_backdate_days;
  cs.disclosure_working_days = config.disclosure_working_days;
  cs.callback_working_days = config.callback_working_days;
  cs.fix_working_days = config.fix_working_days;
  cs.hearing.natural_person_fen = config.hearing_natural_person_fen;
  cs.hearing.organisation_fen = config.hearing_organisation_fen;
  app->cases_ = std::make_unique<CaseService>(*app->db_, *app->writer_, *app->clock_,
                                              *app->case_rules_, cs);
  return app;
}

App::~App() { Close(); }

void App::Close() {
  if (closed_) return;
  closed_ = true;
  if (writer_) writer_->Stop();
  if (db_) db_->Close();
}

}  // namespace quanze::app
