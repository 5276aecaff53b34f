// The demo parts of the staffing area.
#include "app/demo.h"

namespace quanze::app {

Status BuildStaffingDemo(App&) { return Ok(); }

}  // namespace quanze::app
