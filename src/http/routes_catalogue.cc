// HTTP routes of the catalogue area.
#include "http/routes.h"

namespace quanze::http {

void AddCatalogueRoutes(Router&, app::App&) {}

}  // namespace quanze::http
