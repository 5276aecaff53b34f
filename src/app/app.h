// App: the composition root. Opens the database, loads the ledger keys,
// starts the writer, and wires the services that the adapters (http/, cli/)
// call. One App per process.
#pragma once

#include <memory>

#include "app/accounts.h"
#include "app/cases.h"
#include "app/catalogue.h"
#include "app/config.h"
#include "app/journal.h"
#include "app/ledger_service.h"
#include "app/regions.h"
#include "app/staffing.h"
#include "app/writer.h"
#include "common/clock.h"
#include "store/db.h"
#include "store/records.h"

namespace quanze::app {

class App {
 public:
  // Opens (creating) the database and the key files named by `config`.
  static Result<std::unique_ptr<App>> Open(const Config& config, std::unique_ptr<Clock> clock);
  ~App();

  const Config& config() const { return config_; }
  const Clock& clock() const { return *clock_; }
  store::Database& db() { return *db_; }
  Writer& writer() { return *writer_; }
  LedgerService& ledger() { return *ledger_; }
  Accounts& accounts() { return *accounts_; }
  Regions& regions() { return *regions_; }
  CatalogueService& catalogue() { return *catalogue_; }
  StaffingService& staffing() { return *staffing_; }
  CaseService& cases() { return *cases_; }

  // Finishes queued writes, then closes the database. Idempotent.
  void Close();

 private:
  App() = default;

  Config config_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<LedgerKeys> keys_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<LedgerService> ledger_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Regions> regions_;
  std::unique_ptr<CatalogueService> catalogue_;
  std::unique_ptr<StaffingService> staffing_;
  std::unique_ptr<CaseRules> case_rules_;
  std::unique_ptr<CaseService> cases_;
  bool closed_ = false;
};

}  // namespace quanze::app
