// HTTP routes of the staffing area.
#include "http/routes.h"

namespace quanze::http {

void AddStaffingRoutes(Router&, app::App&) {}

}  // namespace quanze::http
