// The demo parts of the catalogue area.
#include "app/demo.h"

namespace quanze::app {

Status BuildCatalogueDemo(App&) { return Ok(); }

}  // namespace quanze::app
