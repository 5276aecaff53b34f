// CLI commands of the catalogue area.
#include "cli/commands.h"

namespace quanze::cli {

void AddCatalogueCommands(const CommandGroups&, GlobalOptions&, Dispatchers&) {}

}  // namespace quanze::cli
