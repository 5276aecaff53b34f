// StaffingService: the staffing area's use cases (being built).
#pragma once

#include "app/writer.h"
#include "common/clock.h"
#include "store/db.h"

namespace quanze::app {

class StaffingService {
 public:
  StaffingService(store::Database& db, Writer& writer, const Clock& clock)
      : db_(db), writer_(writer), clock_(clock) {}

 private:
  [[maybe_unused]] store::Database& db_;
  [[maybe_unused]] Writer& writer_;
  [[maybe_unused]] const Clock& clock_;
};

}  // namespace quanze::app
