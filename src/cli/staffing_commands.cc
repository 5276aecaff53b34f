// CLI commands of the staffing area.
#include "cli/commands.h"

namespace quanze::cli {

void AddStaffingCommands(const CommandGroups&, GlobalOptions&, Dispatchers&) {}

}  // namespace quanze::cli
